//! The OS's own dialogs: the file chooser every import and export starts
//! from, and the yes/no question an import asks before it replaces a release.
//! The page gets no dialog permission of its own: it calls these two commands.
//!
//! The file chooser runs in a child process (`flotilla choose-file`, hidden),
//! never in the window's. GTK's chooser reads the first bytes of the files in
//! the folders it shows, to tell their type; shown the workspace's folder, it
//! would open and close the database, its WAL and shared-memory files in this
//! process, and a close drops every POSIX lock the process holds on a file,
//! SQLite's included: the next `flotilla` process to close the database would
//! take it for unused and delete the WAL under the window's connection. In a
//! child process its opens and closes touch no lock of ours.
//!
//! The question box reads no file: it runs here, through
//! `tauri-plugin-dialog`, on a blocking thread (its call waits for the main
//! GTK thread to answer).

use crate::error::{Code, Error, ErrorPayload};
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

/// Shows the native file chooser (in a child process); `None` when the user
/// cancels.
#[tauri::command]
pub async fn choose_file(choice: FileChoice) -> Result<Option<String>, ErrorPayload> {
    let save = match choice.mode.as_str() {
        "save" => true,
        "open" => false,
        other => {
            return Err(Error::invalid(
                Code::BadValue,
                "mode",
                format!("the chooser's mode is \"open\" or \"save\", not \"{other}\""),
            )
            .payload())
        }
    };
    let exe = std::env::current_exe()
        .map_err(|e| Error::Desktop(format!("the file chooser could not start: {e}")).payload())?;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("choose-file").arg("--title").arg(&choice.title);
    if save {
        cmd.arg("--save");
    }
    if let Some(default) = choice.default_path.as_deref().filter(|p| !p.is_empty()) {
        cmd.arg("--default-path").arg(default);
    }
    // Without a session bus GTK's settings store (dconf) cannot save and keeps
    // trying to start one (dbus-launch): keep the chooser's settings in memory.
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        cmd.env("GSETTINGS_BACKEND", "memory");
    }
    for f in &choice.filters {
        cmd.arg("--filter")
            .arg(format!("{}={}", f.name, f.extensions.join(",")));
    }
    let out = tauri::async_runtime::spawn_blocking(move || cmd.output())
        .await
        .map_err(|e| Error::Desktop(format!("the file chooser failed: {e}")).payload())?
        .map_err(|e| Error::Desktop(format!("the file chooser could not start: {e}")).payload())?;
    // The answer is the child's one whole line, whatever its exit status: GTK
    // may crash while the process ends, after the answer is written.
    match chooser_answer(&String::from_utf8_lossy(&out.stdout)) {
        Some(answer) => Ok(answer),
        None => Err(Error::Desktop(format!(
            "the file chooser failed ({}): {}",
            out.status,
            last_lines(&String::from_utf8_lossy(&out.stderr))
        ))
        .payload()),
    }
}

/// The child's answer: `chosen:PATH` or `cancelled`, on a line of its own.
fn chooser_answer(stdout: &str) -> Option<Option<String>> {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("chosen:") || *l == "cancelled")?;
    if !stdout.contains(&format!("{line}\n")) {
        return None;
    }
    Some(line.strip_prefix("chosen:").map(str::to_string))
}

/// The end of a child's standard error (GTK's warnings come first).
fn last_lines(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(3)..].join(" / ")
}

/// `flotilla choose-file`: the chooser's own process (see the module's notes).
#[derive(Debug, clap::Args)]
pub struct ChooserArgs {
    /// The dialog's title
    #[arg(long)]
    pub title: String,
    /// Ask for a file name to save to (without it: an existing file to open)
    #[arg(long)]
    pub save: bool,
    /// The suggested file (save) or folder (open)
    #[arg(long, value_name = "PATH")]
    pub default_path: Option<PathBuf>,
    /// A file type, NAME=EXT[,EXT...]; repeatable
    #[arg(long, value_name = "NAME=EXTS")]
    pub filter: Vec<String>,
}

/// Shows the chooser and prints `chosen:PATH` or `cancelled`.
pub fn chooser_main(args: ChooserArgs) -> crate::error::Result<()> {
    let mut dialog = rfd::FileDialog::new().set_title(&args.title);
    if let Some(default) = &args.default_path {
        let (dir, name) = split_default(default, args.save);
        if let Some(dir) = dir {
            dialog = dialog.set_directory(dir);
        }
        if let Some(name) = name {
            dialog = dialog.set_file_name(name);
        }
    }
    for f in &args.filter {
        let (name, exts) = f.split_once('=').ok_or_else(|| {
            Error::invalid(
                Code::BadValue,
                "--filter",
                format!("a file type is NAME=EXT[,EXT...], not {f:?}"),
            )
        })?;
        let exts: Vec<&str> = exts.split(',').filter(|e| !e.is_empty()).collect();
        dialog = dialog.add_filter(name, &exts);
    }
    let chosen = if args.save {
        dialog.save_file()
    } else {
        dialog.pick_file()
    };
    // One line, flushed before the process ends (see chooser_answer).
    let line = match chosen {
        Some(path) => format!("chosen:{}\n", path.display()),
        None => "cancelled\n".to_string(),
    };
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(line.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::Desktop(format!("the chooser could not answer: {e}")))?;
    Ok(())
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
        .map_err(|e| Error::Desktop(format!("the question could not be asked: {e}")).payload())
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
    use super::{chooser_answer, split_default};

    #[test]
    fn the_childs_answer_is_one_whole_line() {
        assert_eq!(
            chooser_answer("chosen:/home/me/q1.json\n"),
            Some(Some("/home/me/q1.json".into()))
        );
        assert_eq!(chooser_answer("cancelled\n"), Some(None));
        // Noise before it (a library's output) is passed over.
        assert_eq!(
            chooser_answer("Gtk-Message: x\nchosen:/tmp/a b.csv\n"),
            Some(Some("/tmp/a b.csv".into()))
        );
        // Cut short, or nothing: no answer (the chooser failed).
        assert_eq!(chooser_answer("chosen:/home/me/q1.js"), None);
        assert_eq!(chooser_answer(""), None);
    }
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
