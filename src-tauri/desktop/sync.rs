//! The Sync view: a release linked to a plan file on disk, saved to it, and
//! synced from it three ways, with a person's choice for each conflict
//! (`merge::link`, `save`, `sync`, `resolve`).

use super::files::user_path;
use super::workspace::{with_store, Workspace};
use crate::error::ErrorPayload;
use crate::merge::{self, LinkReport, Resolutions, Side, SyncReport};
use std::collections::HashMap;

/// The file the release is linked to, if any.
#[tauri::command]
pub async fn linked_file(
    ws: tauri::State<'_, Workspace>,
    release: String,
) -> Result<Option<String>, ErrorPayload> {
    with_store(&ws, move |s| {
        Ok(s.link(&release)?.map(|l| l.path.display().to_string()))
    })
    .await
}

/// Links the release to the plan file at `path` (written from the workspace
/// when it does not exist).
#[tauri::command]
pub async fn link_release(
    ws: tauri::State<'_, Workspace>,
    release: String,
    path: String,
) -> Result<LinkReport, ErrorPayload> {
    with_store(&ws, move |s| {
        let path = user_path(&path)?;
        merge::link(s, &release, &path)
    })
    .await
}

/// Writes the release to its linked file; refused when the file changed since
/// the last sync, unless `force`. Returns the path written.
#[tauri::command]
pub async fn save_release(
    ws: tauri::State<'_, Workspace>,
    release: String,
    force: bool,
) -> Result<String, ErrorPayload> {
    with_store(&ws, move |s| merge::save(s, &release, force)).await
}

/// Merges the linked file into the workspace; conflicts come back for a person.
#[tauri::command]
pub async fn sync_release(
    ws: tauri::State<'_, Workspace>,
    release: String,
) -> Result<SyncReport, ErrorPayload> {
    with_store(&ws, move |s| merge::sync(s, &release)).await
}

/// The same sync, with the side chosen for each conflict path.
#[tauri::command]
pub async fn resolve_sync(
    ws: tauri::State<'_, Workspace>,
    release: String,
    choices: HashMap<String, Side>,
) -> Result<SyncReport, ErrorPayload> {
    with_store(&ws, move |s| {
        merge::resolve(s, &release, &Resolutions(choices))
    })
    .await
}
