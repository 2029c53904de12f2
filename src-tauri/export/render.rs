//! One entry point for every export format, shared by the CLI and the app.

use super::{components_csv, dot, ical, mermaid, status_report};
use crate::error::{Code, Error, Result};
use crate::plan::{write_plan, Date, Plan, Release};
use crate::schedule::{analyze, Analysis};
use schemars::JsonSchema;
use serde::Serialize;

/// An export format, named as `flotilla export --format` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Json,
    Csv,
    Ical,
    Md,
    Dot,
    Mermaid,
}

/// What every face says of an export format: the CLI's `--format` values
/// and help, the File menu's items, the release page's "Export as" list and
/// the file chooser's types all come from [`FORMATS`].
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
pub struct FormatInfo {
    #[serde(skip)]
    #[schemars(skip)]
    pub format: Format,
    /// The name on the command line and in menu ids (`export-NAME`).
    pub name: &'static str,
    /// What `flotilla export --help` says of it.
    pub help: &'static str,
    /// Its entry in the release page's "Export as" list.
    pub label: &'static str,
    /// Its item in the File menu.
    pub menu: &'static str,
    /// The file chooser's name for the file type.
    pub file_type: &'static str,
    /// The file name extension, without the dot.
    pub ext: &'static str,
    /// It describes one release (a plan with several needs `--release`).
    pub one_release: bool,
}

/// Every export format, in the order the faces list them.
pub const FORMATS: &[FormatInfo] = &[
    FormatInfo {
        format: Format::Json,
        name: "json",
        help: "The plan file (canonical JSON)",
        label: "JSON",
        menu: "Export release as JSON…",
        file_type: "Flotilla plan (JSON)",
        ext: "json",
        one_release: false,
    },
    FormatInfo {
        format: Format::Csv,
        name: "csv",
        help: "One row per component, for spreadsheets",
        label: "CSV",
        menu: "Export release as CSV…",
        file_type: "CSV",
        ext: "csv",
        one_release: false,
    },
    FormatInfo {
        format: Format::Ical,
        name: "ical",
        help: "Release date, freezes, milestones and component finishes as calendar events",
        label: "iCal",
        menu: "Export release as iCal…",
        file_type: "iCalendar",
        ext: "ics",
        one_release: false,
    },
    FormatInfo {
        format: Format::Md,
        name: "md",
        help: "A one-page Markdown status report of the release",
        label: "Markdown report",
        menu: "Export release as Markdown report…",
        file_type: "Markdown",
        ext: "md",
        one_release: true,
    },
    FormatInfo {
        format: Format::Dot,
        name: "dot",
        help: "The dependency graph for Graphviz, critical path and risks marked",
        label: "DOT graph",
        menu: "Export release graph as DOT…",
        file_type: "Graphviz DOT",
        ext: "dot",
        one_release: true,
    },
    FormatInfo {
        format: Format::Mermaid,
        name: "mermaid",
        help: "The dependency graph as a Mermaid flowchart",
        label: "Mermaid graph",
        menu: "Export release graph as Mermaid…",
        file_type: "Mermaid",
        ext: "mmd",
        one_release: true,
    },
];

impl Format {
    /// Every format, in [`FORMATS`] order.
    pub fn all() -> impl Iterator<Item = Format> {
        FORMATS.iter().map(|f| f.format)
    }

    /// The format's row of [`FORMATS`].
    pub fn info(self) -> &'static FormatInfo {
        FORMATS
            .iter()
            .find(|f| f.format == self)
            .expect("every format has a row in FORMATS")
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The format named `s`, or a bad-input error that lists the names.
    pub fn parse(s: &str) -> Result<Format> {
        Format::all().find(|f| f.name() == s).ok_or_else(|| {
            let names: Vec<&str> = FORMATS.iter().map(|f| f.name).collect();
            Error::invalid(
                Code::BadValue,
                "format",
                format!(
                    "unknown export format \"{s}\" (one of {})",
                    names.join(", ")
                ),
            )
        })
    }
}

/// The text of `plan` (the whole workspace, or one release) in `format`,
/// scheduled as of `today`. The graph and report formats describe one
/// release: with several in the plan, the caller must pick one.
pub fn render(plan: &Plan, format: Format, today: Date) -> Result<String> {
    let calendar = plan.effective_calendar();
    match format {
        Format::Json => Ok(write_plan(plan)),
        Format::Csv => Ok(components_csv(plan)),
        Format::Ical => {
            let analyses = plan
                .releases
                .iter()
                .map(|r| analyze(&calendar, r, today))
                .collect::<Result<Vec<_>>>()?;
            let pairs: Vec<_> = plan.releases.iter().zip(analyses.iter()).collect();
            Ok(ical(&pairs, today))
        }
        Format::Md => one_release(plan, today, |r, a| status_report(plan, r, a)),
        Format::Dot => one_release(plan, today, |r, a| dot(plan, r, a)),
        Format::Mermaid => one_release(plan, today, |r, a| mermaid(plan, r, a)),
    }
}

/// A format that describes one release: the plan's only release, scheduled.
fn one_release(
    plan: &Plan,
    today: Date,
    write: impl FnOnce(&Release, &Analysis) -> String,
) -> Result<String> {
    let release = match plan.releases.as_slice() {
        [one] => one,
        [] => {
            return Err(Error::invalid(
                Code::NoRelease,
                "release",
                "the workspace has no release to export",
            ))
        }
        _ => {
            return Err(Error::invalid(
                Code::ReleaseRequired,
                "release",
                "this format describes one release: choose it (--release KEY)",
            ))
        }
    };
    let a = analyze(&plan.effective_calendar(), release, today)?;
    Ok(write(release, &a))
}
