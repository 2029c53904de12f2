//! The OS's own dialogs, called from Rust (`tauri-plugin-dialog`): the file
//! chooser every import and export starts from, and the yes/no question an
//! import asks before it replaces a release. The page gets no dialog
//! permission of its own: it calls these two commands.
//!
//! The plugin's blocking calls wait for the main (GTK) thread to answer, so
//! they run on a blocking thread, never on the main thread or the async runtime.
//!
//! Known hazard: GTK's chooser reads the first bytes of the files in the
//! folders it shows, to tell their type. Shown the workspace's own folder, it
//! opens and closes the database, its WAL and shared-memory files, and a close
//! drops every POSIX lock this process holds on them, SQLite's included; the
//! next `flotilla` process to close the database then takes it for unused and
//! deletes the WAL under the window's connection ("disk I/O error" until the
//! app restarts). The default workspace lives in a hidden data folder; see
//! docs/desktop.md.

use crate::error::{Error, ErrorPayload};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use tauri::WebviewWindow;
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

/// One entry of the chooser's file-type list: "JSON plan" with `["json"]`.
#[derive(Debug, Clone, Deserialize)]
pub struct FileFilter {
    pub name: String,
    pub extensions: Vec<String>,
}

/// What the page asks for: an existing file to open, or a file name to save to.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileChoice {
    /// `"open"` or `"save"`.
    pub mode: String,
    pub title: String,
    /// The suggested file (save) or folder (open); its folder is where the chooser starts.
    #[serde(default)]
    pub default_path: Option<String>,
    #[serde(default)]
    pub filters: Vec<FileFilter>,
}

/// Shows the native file chooser over the window; `None` when the user cancels.
#[tauri::command]
pub async fn choose_file(
    window: WebviewWindow,
    choice: FileChoice,
) -> Result<Option<String>, ErrorPayload> {
    let save = match choice.mode.as_str() {
        "save" => true,
        "open" => false,
        other => {
            return Err(Error::invalid(
                "bad_value",
                "mode",
                format!("the chooser's mode is \"open\" or \"save\", not \"{other}\""),
            )
            .payload())
        }
    };
    let mut builder = window.dialog().file().set_title(&choice.title);
    if let Some(default) = choice.default_path.as_deref().filter(|p| !p.is_empty()) {
        let (dir, name) = split_default(Path::new(default), save);
        if let Some(dir) = dir {
            builder = builder.set_directory(dir);
        }
        if let Some(name) = name {
            builder = builder.set_file_name(name);
        }
    }
    for filter in &choice.filters {
        let extensions: Vec<&str> = filter.extensions.iter().map(String::as_str).collect();
        builder = builder.add_filter(&filter.name, &extensions);
    }
    builder = builder.set_parent(&window);
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        if save {
            builder.blocking_save_file()
        } else {
            builder.blocking_pick_file()
        }
    })
    .await
    .map_err(|e| Error::Workspace(format!("the file chooser failed: {e}")).payload())?;
    Ok(chosen
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

/// Asks a yes/no question in a native message box; true when the user said `ok`.
#[tauri::command]
pub async fn confirm(
    window: WebviewWindow,
    title: String,
    message: String,
    ok: String,
) -> Result<bool, ErrorPayload> {
    let dialog = window
        .dialog()
        .message(message)
        .title(title)
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(ok, "Cancel".into()))
        .parent(&window);
    tauri::async_runtime::spawn_blocking(move || dialog.blocking_show())
        .await
        .map_err(|e| Error::Workspace(format!("the question could not be asked: {e}")).payload())
}

/// Where the chooser starts and the name it suggests: a save dialog splits
/// `/home/me/q1.json` into the folder and the name; an open dialog starts in
/// the folder given (or the file's folder) and suggests no name.
fn split_default(path: &Path, save: bool) -> (Option<PathBuf>, Option<String>) {
    if !save || path.as_os_str().to_string_lossy().ends_with('/') {
        let dir = if path.is_file() {
            path.parent().map(Path::to_path_buf)
        } else {
            Some(path.to_path_buf())
        };
        return (dir, None);
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf);
    (dir, name)
}

#[cfg(test)]
mod tests {
    use super::split_default;
    use std::path::{Path, PathBuf};

    #[test]
    fn a_save_default_is_split_into_folder_and_name() {
        assert_eq!(
            split_default(Path::new("/home/me/q1-2025.json"), true),
            (Some(PathBuf::from("/home/me")), Some("q1-2025.json".into()))
        );
        assert_eq!(
            split_default(Path::new("q1.csv"), true),
            (None, Some("q1.csv".into()))
        );
        assert_eq!(
            split_default(Path::new("/home/me/"), true),
            (Some(PathBuf::from("/home/me/")), None)
        );
    }

    #[test]
    fn an_open_default_is_a_folder() {
        assert_eq!(
            split_default(Path::new("/home/me"), false),
            (Some(PathBuf::from("/home/me")), None)
        );
    }
}
