//! The releases list (`views::release_overview`, as of the app's today) and
//! loading the sample plan.

use super::workspace::{with_store, Workspace};
use crate::error::{ErrorPayload, Result};
use crate::store::Store;
use crate::views::{release_overview, today, ReleaseOverview};

/// Every release with its risk counts, scheduled as of today.
pub fn overview(store: &Store) -> Result<Vec<ReleaseOverview>> {
    release_overview(store, today(None))
}

#[tauri::command]
pub async fn list_releases(
    ws: tauri::State<'_, Workspace>,
) -> Result<Vec<ReleaseOverview>, ErrorPayload> {
    with_store(&ws, |s| overview(s)).await
}

/// Loads the sample plan into the workspace (a no-op when its release is there)
/// and returns the releases.
#[tauri::command]
pub async fn open_sample(
    ws: tauri::State<'_, Workspace>,
) -> Result<Vec<ReleaseOverview>, ErrorPayload> {
    with_store(&ws, |s| {
        let plan = crate::plan::parse_plan(crate::SAMPLE_PLAN)?;
        let present = s.releases()?.iter().any(|r| plan.release(&r.key).is_some());
        if !present {
            s.import(&plan, false)?;
        }
        overview(s)
    })
    .await
}
