//! One entry point for every export format, shared by the CLI and the app.

use super::{components_csv, dot, ical, mermaid, status_report};
use crate::error::{Error, Result};
use crate::plan::{write_plan, Date, Plan};
use crate::schedule::analyze;

/// An export format, named as `flotilla export --format` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Ical,
    Md,
    Dot,
    Mermaid,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Json,
        Format::Csv,
        Format::Ical,
        Format::Md,
        Format::Dot,
        Format::Mermaid,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Ical => "ical",
            Format::Md => "md",
            Format::Dot => "dot",
            Format::Mermaid => "mermaid",
        }
    }

    /// The format named `s`, or a bad-input error that lists the names.
    pub fn parse(s: &str) -> Result<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                Error::invalid(
                    "bad_value",
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
        Format::Md | Format::Dot | Format::Mermaid => {
            let release = match plan.releases.as_slice() {
                [one] => one,
                [] => {
                    return Err(Error::invalid(
                        "no_release",
                        "release",
                        "the workspace has no release to export",
                    ))
                }
                _ => {
                    return Err(Error::invalid(
                        "release_required",
                        "release",
                        "this format describes one release: choose it (--release KEY)",
                    ))
                }
            };
            let a = analyze(&calendar, release, today)?;
            Ok(match format {
                Format::Md => status_report(plan, release, &a),
                Format::Dot => dot(plan, release, &a),
                _ => mermaid(plan, release, &a),
            })
        }
    }
}
