//! What-if: slip a component and see what moves, before committing anything
//! (`views::what_if`, as `analyze --what-if` prints it).

use super::workspace::{with_store, Workspace};
use crate::error::ErrorPayload;
use crate::views::today;

/// Slips `component` by `days` working days in a copy of the schedule and
/// reports what moves.
#[tauri::command]
pub async fn what_if(
    ws: tauri::State<'_, Workspace>,
    release: String,
    component: String,
    days: u32,
) -> Result<serde_json::Value, ErrorPayload> {
    with_store(&ws, move |s| {
        crate::views::what_if(s, &release, &[(component, days)], today(None))
    })
    .await
}
