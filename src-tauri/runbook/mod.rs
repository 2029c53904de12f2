//! The release-day runbook: compiled from a release and its schedule, exported
//! for people (Markdown, printable HTML) and for the executor (JSON with a
//! digest). docs/runbook.md describes the file.
//!
//! Owns: the runbook's types, compiling, the digest, the three exports.
//! Must not touch: the database, the network, the terminal, the UI. `exec`
//! runs the JSON form; it never reads the live plan.

mod digest;
mod html;
mod markdown;
mod model;

pub use digest::{
    canonical_json, digest_of, parse_runbook, read_runbook_file, seal, write_runbook,
};
pub(crate) use html::esc;
pub use html::runbook_html;
pub use markdown::runbook_markdown;
pub use model::*;

use crate::error::{Code, Error, Result};
use crate::plan::{Contacts, Date, Endpoint, Plan, Release, RollbackTrigger, Status, Team};
use crate::schedule::{analyze, Analysis};
use indexmap::IndexMap;

/// The export formats of `flotilla runbook`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RunbookFormat {
    #[serde(rename = "md")]
    Markdown,
    Html,
    Json,
}

/// What every face says of a runbook format: the CLI's `--format` values and
/// help, the desktop command's names and the file chooser's types all come
/// from [`RUNBOOK_FORMATS`].
#[derive(Debug, Clone, Copy, serde::Serialize, schemars::JsonSchema)]
pub struct RunbookFormatInfo {
    #[serde(skip)]
    #[schemars(skip)]
    pub format: RunbookFormat,
    /// The name on the command line and in the desktop command.
    pub name: &'static str,
    /// What `flotilla runbook --help` says of it.
    pub help: &'static str,
    /// Its name in the Runbook view's export buttons.
    pub label: &'static str,
    /// The file chooser's name for the file type.
    pub file_type: &'static str,
    /// The file name extension, without the dot.
    pub ext: &'static str,
}

/// Every runbook format, in the order the faces list them.
pub const RUNBOOK_FORMATS: &[RunbookFormatInfo] = &[
    RunbookFormatInfo {
        format: RunbookFormat::Markdown,
        name: "md",
        help: "The release-day runbook for people, as Markdown",
        label: "Markdown",
        file_type: "Markdown",
        ext: "md",
    },
    RunbookFormatInfo {
        format: RunbookFormat::Html,
        name: "html",
        help: "The same, as one printable HTML page",
        label: "HTML",
        file_type: "HTML",
        ext: "html",
    },
    RunbookFormatInfo {
        format: RunbookFormat::Json,
        name: "json",
        help: "For `flotilla run`: every step, call and check, sealed with a digest",
        label: "JSON",
        file_type: "Runbook (JSON)",
        ext: "json",
    },
];

impl RunbookFormat {
    /// The format's row of [`RUNBOOK_FORMATS`].
    pub fn info(self) -> &'static RunbookFormatInfo {
        RUNBOOK_FORMATS
            .iter()
            .find(|f| f.format == self)
            .expect("every runbook format has a row in RUNBOOK_FORMATS")
    }

    /// The format named `s`, or a bad-input error that lists the names.
    pub fn parse(s: &str) -> Result<RunbookFormat> {
        RUNBOOK_FORMATS
            .iter()
            .find(|f| f.name == s)
            .map(|f| f.format)
            .ok_or_else(|| {
                let names: Vec<&str> = RUNBOOK_FORMATS.iter().map(|f| f.name).collect();
                Error::invalid(
                    Code::BadValue,
                    "format",
                    format!(
                        "unknown runbook format \"{s}\" (one of {})",
                        names.join(", ")
                    ),
                )
            })
    }
}

/// Schedules release `key` of `plan` and compiles its runbook.
pub fn compile_plan(plan: &Plan, key: &str) -> Result<Runbook> {
    let release = plan.release(key).ok_or_else(|| Error::NotFound {
        what: "release",
        key: key.to_string(),
    })?;
    // Waves do not depend on the day; milestones' lateness is not in a runbook.
    let analysis = analyze(&plan.effective_calendar(), release, release.start)?;
    Ok(compile(release, &plan.teams, &plan.endpoints, &analysis))
}

/// Compiles the runbook of `release` from its schedule: steps in waves, each
/// with its slot time, deploy section and contacts; the rollback triggers;
/// the open pre-flight items. The result is sealed (its digest is set).
pub fn compile(
    release: &Release,
    teams: &[Team],
    endpoints: &IndexMap<String, Endpoint>,
    analysis: &Analysis,
) -> Runbook {
    let team = |k: &str| teams.iter().find(|t| t.key == k);
    let slot = |k: &str| {
        release
            .deploy_schedule
            .as_ref()
            .and_then(|d| d.slots.iter().find(|s| s.team == k))
            .map(|s| s.at.clone())
    };
    let mut used: Vec<String> = Vec::new();
    let mut waves = Vec::with_capacity(analysis.waves.len());
    for (i, keys) in analysis.waves.iter().enumerate() {
        let mut steps = Vec::with_capacity(keys.len());
        for key in keys {
            let Some(c) = release.component(key) else {
                continue;
            };
            let t = team(&c.team);
            let action = if c.status == Status::Released {
                StepAction::Released
            } else if c.deploy.is_some() {
                StepAction::Deploy
            } else {
                StepAction::Manual
            };
            let deploy = c.deploy.clone().filter(|_| action == StepAction::Deploy);
            if let Some(d) = &deploy {
                used.push(d.endpoint.clone());
                used.extend(d.verify.iter().filter_map(|v| v.endpoint.clone()));
            }
            steps.push(Step {
                id: c.key.clone(),
                title: c.title.clone(),
                team: c.team.clone(),
                team_name: t.map_or_else(|| c.team.clone(), |t| t.name.clone()),
                at: slot(&c.team),
                action,
                kind: deploy
                    .as_ref()
                    .and_then(|d| endpoints.get(&d.endpoint))
                    .map(|e| e.kind),
                deploy: deploy.map(|d| *d),
                contacts: t.and_then(|t| t.contacts.clone()).unwrap_or_default(),
            });
        }
        waves.push(Wave {
            number: i as u32 + 1,
            steps,
        });
    }
    for trig in &release.rollback_triggers {
        if let RollbackTrigger::Metric { endpoint, .. } = trig {
            used.push(endpoint.clone());
        }
    }
    let endpoints: IndexMap<String, Endpoint> = endpoints
        .iter()
        .filter(|(k, _)| used.contains(k))
        .map(|(k, e)| (k.clone(), e.clone()))
        .collect();

    let mut contacts = Vec::new();
    for c in &release.components {
        if contacts.iter().any(|t: &TeamContacts| t.team == c.team) {
            continue;
        }
        let t = team(&c.team);
        contacts.push(TeamContacts {
            team: c.team.clone(),
            name: t.map_or_else(|| c.team.clone(), |t| t.name.clone()),
            contacts: t
                .and_then(|t| t.contacts.clone())
                .unwrap_or_else(Contacts::default),
        });
    }

    let mut runbook = Runbook {
        format: RUNBOOK_FORMAT.to_string(),
        version: RUNBOOK_VERSION,
        digest: String::new(),
        release: ReleaseInfo {
            key: release.key.clone(),
            name: release.name.clone(),
            release_date: release.release_date,
            deploy_date: deploy_date(release),
            strategy: release.strategy,
        },
        preflight: preflight(release),
        waves,
        rollback_triggers: release.rollback_triggers.clone(),
        endpoints,
        contacts,
        comms: release.comms.clone(),
    };
    seal(&mut runbook);
    runbook
}

fn deploy_date(release: &Release) -> Date {
    release
        .deploy_schedule
        .as_ref()
        .and_then(|d| d.date)
        .unwrap_or(release.release_date)
}

/// Gate items not done, and milestones not done: a milestone is done when it
/// has scenarios and all are done, or, without scenarios, when all its
/// components are done (`done_on` set or released).
fn preflight(release: &Release) -> Preflight {
    let checklist = release
        .checklist
        .iter()
        .filter(|i| i.gate && !i.done)
        .map(|i| OpenItem {
            text: i.text.clone(),
            owner: i.owner.clone(),
            due: i.due,
        })
        .collect();
    let mut milestones = Vec::new();
    for m in &release.milestones {
        let open_scenarios: Vec<String> = m
            .scenarios
            .iter()
            .filter(|s| !s.done)
            .map(|s| s.text.clone())
            .collect();
        let open_components: Vec<String> = if m.scenarios.is_empty() {
            m.components
                .iter()
                .filter(|k| {
                    release
                        .component(k)
                        .is_some_and(|c| c.done_on.is_none() && c.status != Status::Released)
                })
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        if !open_scenarios.is_empty() || !open_components.is_empty() {
            milestones.push(OpenMilestone {
                key: m.key.clone(),
                name: m.name.clone(),
                due: m.due,
                open_scenarios,
                open_components,
            });
        }
    }
    Preflight {
        checklist,
        milestones,
    }
}

/// Renders a runbook in one of the export formats.
pub fn export(runbook: &Runbook, format: RunbookFormat) -> String {
    match format {
        RunbookFormat::Markdown => runbook_markdown(runbook),
        RunbookFormat::Html => runbook_html(runbook),
        RunbookFormat::Json => write_runbook(runbook),
    }
}
