//! Edits from the window: each is applied by the store (validated, one
//! transaction, recorded in the history, undoable) and answered with the
//! release re-scheduled, so the page redraws from one round trip.

use super::releases::overview;
use super::view::Sent;
use super::workspace::{with_store, Workspace};
use crate::error::ErrorPayload;
use crate::store::{Change, Edit};
use crate::views::{release_view, today, ReleaseOverview, ReleaseView, ViewAnswer};

/// Applies one edit and returns the release as it now stands.
#[tauri::command]
pub async fn apply_edit(
    ws: tauri::State<'_, Workspace>,
    sent: tauri::State<'_, Sent>,
    edit: Edit,
    base: Option<u64>,
) -> Result<ViewAnswer, ErrorPayload> {
    let sent = sent.inner().clone();
    with_store(&ws, move |s| {
        s.apply(&edit)?;
        Ok(sent.answer(release_view(s, edit.release(), today(None))?, base))
    })
    .await
}

/// Applies an edit made from the releases list (create, rename, re-date,
/// archive) and returns the list as it now stands.
#[tauri::command]
pub async fn apply_list_edit(
    ws: tauri::State<'_, Workspace>,
    edit: Edit,
) -> Result<Vec<ReleaseOverview>, ErrorPayload> {
    with_store(&ws, move |s| {
        s.apply(&edit)?;
        overview(s)
    })
    .await
}

/// What an undo or redo did, with the release as it now stands.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Stepped {
    /// What was undone or redone (`null`: there was nothing to).
    pub summary: Option<String>,
    pub view: ReleaseView,
}

/// Undoes (`redo: false`) or redoes the newest edit of a release.
#[tauri::command]
pub async fn undo_redo(
    ws: tauri::State<'_, Workspace>,
    sent: tauri::State<'_, Sent>,
    release: String,
    redo: bool,
) -> Result<Stepped, ErrorPayload> {
    let sent = sent.inner().clone();
    with_store(&ws, move |s| {
        let step = if redo {
            s.redo(&release)?
        } else {
            s.undo(&release)?
        };
        Ok(Stepped {
            summary: step.map(|st| st.summary),
            view: sent.send(release_view(s, &release, today(None))?),
        })
    })
    .await
}

/// The change history of a release, newest first; of one component (or a
/// `from->to` dependency) when `key` is given.
#[tauri::command]
pub async fn history(
    ws: tauri::State<'_, Workspace>,
    release: String,
    key: Option<String>,
    limit: Option<usize>,
) -> Result<Vec<Change>, ErrorPayload> {
    with_store(&ws, move |s| {
        s.history(Some(&release), key.as_deref(), limit.unwrap_or(200))
    })
    .await
}
