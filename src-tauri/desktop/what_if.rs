//! What-if: slip a component and see what moves, before committing anything.

use super::workspace::{today, with_store, Workspace};
use crate::error::ErrorPayload;

/// Slips `component` by `days` working days in a copy of the schedule and
/// reports what moves (`schedule::what_if`, as `analyze --what-if` prints it).
#[tauri::command]
pub async fn what_if(
    ws: tauri::State<'_, Workspace>,
    release: String,
    component: String,
    days: u32,
) -> Result<serde_json::Value, ErrorPayload> {
    with_store(&ws, move |s| {
        let plan = s.load_plan(Some(&release))?;
        let rel = &plan.releases[0];
        let calendar = plan.effective_calendar();
        let report =
            crate::schedule::what_if(&calendar, rel, today(), &[(component.clone(), days)])?;
        Ok(serde_json::to_value(&report).expect("a what-if report serializes"))
    })
    .await
}
