//! What the window remembers between runs: its size and the last open release,
//! kept in the workspace's settings table.

use super::workspace::{with_store, Workspace};
use crate::error::ErrorPayload;
use crate::plan::Date;
use crate::views::{today, today_fixed};
use serde::{Deserialize, Serialize};
use tauri::{LogicalSize, Manager, Window, WindowEvent};

const WINDOW_KEY: &str = "desktop.window";
const LAST_RELEASE_KEY: &str = "desktop.last_release";

/// The window's size in logical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WindowSize {
    pub width: f64,
    pub height: f64,
    pub maximized: bool,
}

/// Gives the main window the size it had when it was last closed.
pub fn restore(app: &tauri::App) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let ws = app.state::<Workspace>();
    let saved =
        ws.0.lock()
            .ok()
            .and_then(|s| s.setting(WINDOW_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str::<WindowSize>(&text).ok());
    if let Some(size) = saved.filter(|s| s.width >= 720.0 && s.height >= 480.0) {
        let _ = window.set_size(LogicalSize::new(size.width, size.height));
        if size.maximized {
            let _ = window.maximize();
        }
    }
}

/// Remembers the size when the window is about to close.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    if !matches!(event, WindowEvent::CloseRequested { .. }) {
        return;
    }
    let (Ok(size), Ok(scale)) = (window.inner_size(), window.scale_factor()) else {
        return;
    };
    let logical = size.to_logical::<f64>(scale);
    let state = WindowSize {
        width: logical.width,
        height: logical.height,
        maximized: window.is_maximized().unwrap_or(false),
    };
    let ws = window.state::<Workspace>();
    if let Ok(store) = ws.0.lock() {
        let text = serde_json::to_string(&state).expect("a size serializes");
        if let Err(e) = store.set_setting(WINDOW_KEY, &text) {
            tracing::warn!("the window size was not saved: {e}");
        }
    };
}

/// What the page restores on start.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct UiState {
    pub last_release: Option<String>,
    /// The day the schedule is judged by (`FLOTILLA_TODAY`, else the local date).
    pub today: Date,
    /// Whether `FLOTILLA_TODAY` fixes it (the page then keeps it, day after day).
    pub today_fixed: bool,
}

#[tauri::command]
pub async fn ui_state(ws: tauri::State<'_, Workspace>) -> Result<UiState, ErrorPayload> {
    with_store(&ws, |s| {
        Ok(UiState {
            last_release: s.setting(LAST_RELEASE_KEY)?.filter(|k| !k.is_empty()),
            today: today(None),
            today_fixed: today_fixed().is_some(),
        })
    })
    .await
}

/// Remembers the open release (`null`: the releases list is open).
#[tauri::command]
pub async fn remember_release(
    ws: tauri::State<'_, Workspace>,
    release: Option<String>,
) -> Result<(), ErrorPayload> {
    with_store(&ws, move |s| {
        s.set_setting(LAST_RELEASE_KEY, release.as_deref().unwrap_or(""))
    })
    .await
}

/// The name edits are recorded under (the OS user name until one is set).
#[tauri::command]
pub async fn actor(ws: tauri::State<'_, Workspace>) -> Result<String, ErrorPayload> {
    with_store(&ws, |s| Ok(s.actor().to_string())).await
}

/// Sets, and remembers in the workspace, the name edits are recorded under.
#[tauri::command]
pub async fn set_actor(
    ws: tauri::State<'_, Workspace>,
    name: String,
) -> Result<String, ErrorPayload> {
    with_store(&ws, move |s| {
        s.set_actor(&name)?;
        Ok(s.actor().to_string())
    })
    .await
}
