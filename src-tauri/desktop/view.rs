//! A release as the release page draws it: the stored release, its teams and
//! its schedule, read in one go so that every edit redraws from one answer.

use super::workspace::{today, with_store, Workspace};
use crate::error::{ErrorPayload, Result};
use crate::plan::{Release, Team};
use crate::schedule::analyze;
use crate::store::Store;
use schemars::JsonSchema;
use serde::Serialize;

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

/// Reads and schedules one release.
pub fn release_view(store: &Store, key: &str) -> Result<ReleaseView> {
    let plan = store.load_plan(Some(key))?;
    let teams = store.teams()?;
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
