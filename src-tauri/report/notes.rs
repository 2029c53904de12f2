//! The release notes of a release, in the seeds' shape: what's new,
//! enhancements, bug fixes, breaking changes, known issues, upgrade
//! instructions.
//!
//! How it works: the release's own notes come first in each section, then
//! each component's in the plan's order, each line naming the component. The
//! known issues add what the workspace knows is not finished: a release gate
//! (a checklist item with `gate`) still open, marked as waived when a run
//! started past it with `--force`, and every integration scenario not yet
//! tested. Empty sections are left out.

use crate::error::Result;
use crate::plan::{Date, NoteCategory, Release};
use crate::store::Store;
use serde::Serialize;

/// The release notes of one release.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ReleaseNotes {
    pub release: String,
    pub name: String,
    pub release_date: Date,
    /// The sections that have lines, in the order they are written.
    pub sections: Vec<NoteSection>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct NoteSection {
    pub category: NoteCategory,
    pub heading: String,
    pub lines: Vec<NoteLine>,
}

/// One line of the notes and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct NoteLine {
    pub text: String,
    /// The component's title, for a component's note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    pub source: NoteSource,
}

/// Where a line of the release notes comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoteSource {
    /// A note written in the plan.
    Plan,
    /// A release gate of the checklist that is not done.
    Gate,
    /// An integration scenario not yet tested.
    Scenario,
}

/// The release notes of `release` as the workspace holds it now.
pub fn notes(store: &Store, release: &str) -> Result<ReleaseNotes> {
    let r = store.load_release(release)?;
    let forced = store
        .runs()?
        .into_iter()
        .filter(|run| run.release_key == r.key && run.forced)
        .map(|run| run.started_at)
        .min();
    Ok(notes_of(&r, forced.as_deref()))
}

/// The release notes of `r`; `forced_at` is when the first run started past
/// open gates (`--force`), if one did.
pub fn notes_of(r: &Release, forced_at: Option<&str>) -> ReleaseNotes {
    let mut sections = Vec::new();
    for category in NoteCategory::ALL {
        let mut lines: Vec<NoteLine> = r
            .notes
            .iter()
            .filter(|n| n.category == category)
            .map(|n| NoteLine {
                text: n.text.trim().to_string(),
                component: None,
                source: NoteSource::Plan,
            })
            .collect();
        for c in &r.components {
            lines.extend(
                c.notes
                    .iter()
                    .filter(|n| n.category == category)
                    .map(|n| NoteLine {
                        text: n.text.trim().to_string(),
                        component: Some(c.title.clone()),
                        source: NoteSource::Plan,
                    }),
            );
        }
        if category == NoteCategory::KnownIssue {
            for item in r.checklist.iter().filter(|i| i.gate && !i.done) {
                let text = match forced_at {
                    Some(at) => format!(
                        "Release gate not met: {} (waived: a run started past it with --force at {at})",
                        item.text
                    ),
                    None => format!("Release gate not met yet: {}", item.text),
                };
                lines.push(NoteLine {
                    text,
                    component: None,
                    source: NoteSource::Gate,
                });
            }
            for m in &r.milestones {
                for s in m.scenarios.iter().filter(|s| !s.done) {
                    lines.push(NoteLine {
                        text: format!("Not yet tested: {} ({})", s.text, m.name),
                        component: None,
                        source: NoteSource::Scenario,
                    });
                }
            }
        }
        if !lines.is_empty() {
            sections.push(NoteSection {
                category,
                heading: category.heading().to_string(),
                lines,
            });
        }
    }
    ReleaseNotes {
        release: r.key.clone(),
        name: r.name.clone(),
        release_date: r.release_date,
        sections,
    }
}
