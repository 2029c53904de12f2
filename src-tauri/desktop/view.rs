//! A release as the release page draws it: the stored release, its teams and
//! its schedule, read in one go so that every edit redraws from one answer.

use super::workspace::{today, with_store, Workspace};
use crate::error::{ErrorPayload, Result};
use crate::plan::{Release, Team};
use crate::schedule::analyze;
use crate::store::Store;
use schemars::JsonSchema;
use serde::Serialize;
use std::sync::Mutex;

/// The release page's data.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReleaseView {
    pub release: Release,
    /// Every team of the workspace, in workspace order (pickers list them all).
    pub teams: Vec<Team>,
    /// `schedule::analyze` of the release, as `flotilla analyze --json` prints it.
    #[schemars(with = "crate::schedule::Analysis<'static>")]
    pub analysis: serde_json::Value,
    /// Whether the store has an edit of this release to undo / redo.
    pub can_undo: bool,
    pub can_redo: bool,
}

/// The workspace's teams, read once: only an import changes them, and the
/// import commands call [`forget_teams`].
static TEAMS: Mutex<Option<Vec<Team>>> = Mutex::new(None);

fn teams(store: &Store) -> Result<Vec<Team>> {
    let mut cached = TEAMS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(t) = cached.as_ref() {
        return Ok(t.clone());
    }
    let t = store.load_plan(None)?.teams;
    *cached = Some(t.clone());
    Ok(t)
}

/// Drops the cached teams (after an import).
pub fn forget_teams() {
    *TEAMS.lock().unwrap_or_else(|e| e.into_inner()) = None;
}

/// Reads and schedules one release.
pub fn release_view(store: &Store, key: &str) -> Result<ReleaseView> {
    let plan = store.load_plan(Some(key))?;
    let teams = teams(store)?;
    let release = plan
        .releases
        .into_iter()
        .next()
        .expect("load_plan(Some) returns that release");
    let calendar = plan.calendar.unwrap_or_default();
    let analysis = analyze(&calendar, &release, today())?;
    let analysis = serde_json::to_value(&analysis).expect("an analysis serializes");
    Ok(ReleaseView {
        release,
        teams,
        analysis,
        can_undo: store.can_undo(key)?,
        can_redo: store.can_redo(key)?,
    })
}

#[tauri::command]
pub async fn load_release(
    ws: tauri::State<'_, Workspace>,
    release: String,
) -> Result<ReleaseView, ErrorPayload> {
    with_store(&ws, move |s| release_view(s, &release)).await
}
