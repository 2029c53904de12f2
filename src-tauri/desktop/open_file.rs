//! Plan files opened from outside the window (the file manager, `flotilla
//! PLAN_FILE`, a second start on this workspace): a queue the page takes
//! from, the preview and the person's choice (`views::open_file`).

use super::workspace::{with_store, Workspace};
use crate::error::ErrorPayload;
use crate::views::{OpenChoice, OpenOutcome, OpenedFile};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tauri::{Emitter, Manager};

/// The event that tells the page a file is waiting (`take_opened_file`).
pub const OPENED_EVENT: &str = "opened-file";

/// Files handed to the app, oldest first, until the page takes them.
#[derive(Clone, Default)]
pub struct Opened(pub Arc<Mutex<VecDeque<PathBuf>>>);

impl Opened {
    pub fn push(&self, path: PathBuf) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_back(path);
    }

    fn pop(&self) -> Option<PathBuf> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).pop_front()
    }
}

/// A second start handed this app a file (or nothing): bring the window to
/// the front and tell the page.
pub fn handed_over(app: &tauri::AppHandle, opened: &Opened, path: Option<PathBuf>) {
    tracing::info!(file = ?path, "a second start on this workspace handed over");
    if let Some(path) = path {
        opened.push(path);
        if let Err(e) = app.emit(OPENED_EVENT, ()) {
            tracing::warn!(error = %e, "could not tell the page about the opened file");
        }
    }
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// The next file handed to the app, with what opening it would change; null
/// when none is waiting.
#[tauri::command]
pub async fn take_opened_file(
    ws: tauri::State<'_, Workspace>,
    opened: tauri::State<'_, Opened>,
) -> Result<Option<OpenedFile>, ErrorPayload> {
    let Some(path) = opened.pop() else {
        return Ok(None);
    };
    with_store(&ws, move |s| crate::views::preview_file(s, &path).map(Some)).await
}

/// Imports the file, or links its release to it, as the person chose.
#[tauri::command]
pub async fn open_plan_file(
    ws: tauri::State<'_, Workspace>,
    path: String,
    choice: OpenChoice,
) -> Result<OpenOutcome, ErrorPayload> {
    with_store(&ws, move |s| {
        let path = super::files::user_path(&path)?;
        crate::views::open_file(s, &path, choice)
    })
    .await
}
