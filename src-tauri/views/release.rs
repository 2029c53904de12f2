//! One release as the release page draws it (the stored release, its teams
//! and its schedule, read in one go so that every edit redraws from one
//! answer), and what-if on a stored release.

use crate::error::Result;
use crate::plan::{Calendar, Date, Endpoint, Release, Team};
use crate::schedule::{analyze, WhatIf};
use crate::store::Store;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Serialize;

/// The release page's data.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReleaseView {
    pub release: Release,
    /// Every team of the workspace, in workspace order (pickers list them all).
    pub teams: Vec<Team>,
    /// Every endpoint of the workspace (deploy sections and triggers pick one).
    pub endpoints: IndexMap<String, Endpoint>,
    /// The working calendar the release is scheduled on.
    pub calendar: Calendar,
    /// `schedule::analyze` of the release, as `flotilla analyze --json` prints it.
    #[schemars(with = "crate::schedule::Analysis<'static>")]
    pub analysis: serde_json::Value,
    /// Whether the store has an edit of this release to undo / redo.
    pub can_undo: bool,
    pub can_redo: bool,
    /// The window's number for this view, which an edit names so that its
    /// answer can be only what changed (see `views::patch`); 0 when no
    /// window numbered it.
    pub version: u64,
}

/// Reads and schedules one release as of `today`.
pub fn release_view(store: &Store, key: &str, today: Date) -> Result<ReleaseView> {
    let release = store.load_release(key)?;
    let ws = store.workspace()?;
    let calendar = ws.calendar.unwrap_or_default();
    let analysis = analyze(&calendar, &release, today)?;
    let analysis = serde_json::to_value(&analysis).expect("an analysis serializes");
    Ok(ReleaseView {
        teams: ws.teams,
        endpoints: ws.endpoints,
        calendar,
        can_undo: store.can_undo(key)?,
        can_redo: store.can_redo(key)?,
        release,
        analysis,
        version: 0,
    })
}

/// Slips components of a stored release by working days in a copy of its
/// schedule and reports what moves (a [`WhatIf`], as `analyze --what-if
/// --json` prints it); nothing is stored.
pub fn what_if(
    store: &Store,
    release: &str,
    slips: &[(String, u32)],
    today: Date,
) -> Result<serde_json::Value> {
    let release = store.load_release(release)?;
    let report: WhatIf = crate::schedule::what_if(&store.calendar()?, &release, today, slips)?;
    Ok(serde_json::to_value(&report).expect("a what-if report serializes"))
}
