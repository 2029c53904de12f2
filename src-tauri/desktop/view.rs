//! The release page's command: `views::release_view` as of the app's today.

use super::workspace::{with_store, Workspace};
use crate::error::ErrorPayload;
use crate::views::{release_view, today, ReleaseView};

#[tauri::command]
pub async fn load_release(
    ws: tauri::State<'_, Workspace>,
    release: String,
) -> Result<ReleaseView, ErrorPayload> {
    with_store(&ws, move |s| release_view(s, &release, today(None))).await
}
