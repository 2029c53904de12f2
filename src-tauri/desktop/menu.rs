//! The native menu bar. Choosing an item sends a `menu` event with the item's
//! id to the page, which runs the same action as the button or shortcut.
//! The page handles the same shortcuts too (a key the menu takes first runs
//! the action once; actions are idempotent: open a tab, open a dialog).

use crate::export::{Format, FORMATS};
use tauri::menu::{Menu, MenuBuilder, MenuItem, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// Menu items: id (as the page receives it), label (`&&` is a literal `&`:
/// a single one marks a mnemonic), accelerator. Undo and
/// redo carry no accelerator: the page handles Ctrl+Z so that inside a text
/// field it stays the field's own undo; their labels name the keys instead.
pub const ITEMS: &[(&str, &str, Option<&str>)] = &[
    ("import", "Import plan…", Some("CmdOrCtrl+O")),
    ("open-sample", "Open the sample plan", None),
    ("export-plan-json", "Export whole plan as JSON…", None),
    ("undo", "Undo (Ctrl+Z)", None),
    ("redo", "Redo (Ctrl+Shift+Z)", None),
    ("view-releases", "Releases", Some("CmdOrCtrl+0")),
    ("view-graph", "Graph", Some("CmdOrCtrl+1")),
    ("view-timeline", "Timeline", Some("CmdOrCtrl+2")),
    ("view-board", "Board", Some("CmdOrCtrl+3")),
    (
        "view-milestones",
        "Milestones && checklist",
        Some("CmdOrCtrl+4"),
    ),
    ("view-runbook", "Runbook", Some("CmdOrCtrl+5")),
    ("view-sync", "Sync", Some("CmdOrCtrl+6")),
    ("shortcuts", "Keyboard shortcuts (?)", None),
    ("open-log-folder", "Open log folder", None),
    ("quit", "Quit", Some("CmdOrCtrl+Q")),
];

/// The File menu's export items, one per export format (`export::FORMATS`),
/// with the id `export-NAME`; the JSON export has Ctrl+E.
fn export_items<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Vec<MenuItem<R>>> {
    FORMATS
        .iter()
        .map(|f| {
            let builder = MenuItemBuilder::with_id(format!("export-{}", f.name), f.menu);
            match f.format {
                Format::Json => builder.accelerator("CmdOrCtrl+E").build(app),
                Format::Csv | Format::Ical | Format::Md | Format::Dot | Format::Mermaid => {
                    builder.build(app)
                }
            }
        })
        .collect()
}

/// Is `id` an export item's id?
fn is_export_item(id: &str) -> bool {
    id.strip_prefix("export-")
        .is_some_and(|name| FORMATS.iter().any(|f| f.name == name))
}

fn item<R: Runtime>(app: &AppHandle<R>, id: &str) -> tauri::Result<MenuItem<R>> {
    let (_, label, accel) = ITEMS
        .iter()
        .find(|(i, _, _)| *i == id)
        .expect("every menu id is listed");
    let builder = MenuItemBuilder::with_id(id, *label);
    match accel {
        Some(a) => builder.accelerator(*a).build(app),
        None => builder.build(app),
    }
}

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let item = |id: &str| item(app, id);
    let mut file = SubmenuBuilder::new(app, "File")
        .item(&item("import")?)
        .item(&item("open-sample")?)
        .separator();
    for export in export_items(app)? {
        file = file.item(&export);
    }
    let file = file
        .item(&item("export-plan-json")?)
        .separator()
        .item(&item("quit")?)
        .build()?;
    let edit = SubmenuBuilder::new(app, "Edit")
        .item(&item("undo")?)
        .item(&item("redo")?)
        .build()?;
    let view = SubmenuBuilder::new(app, "View")
        .item(&item("view-releases")?)
        .separator()
        .item(&item("view-graph")?)
        .item(&item("view-timeline")?)
        .item(&item("view-board")?)
        .item(&item("view-milestones")?)
        .item(&item("view-runbook")?)
        .item(&item("view-sync")?)
        .build()?;
    let help = SubmenuBuilder::new(app, "Help")
        .item(&item("shortcuts")?)
        .item(&item("open-log-folder")?)
        .build()?;
    MenuBuilder::new(app)
        .items(&[&file, &edit, &view, &help])
        .build()
}

/// Passes a chosen menu item on to the page. Quit closes the main window
/// (GTK has no predefined Quit item), which saves its size and ends the app.
pub fn forward<R: Runtime>(app: &AppHandle<R>, id: &str) {
    if id == "quit" {
        match app.get_webview_window("main") {
            Some(w) => {
                if let Err(e) = w.close() {
                    tracing::warn!("the window did not close: {e}");
                    app.exit(0);
                }
            }
            None => app.exit(0),
        }
        return;
    }
    if id == "open-log-folder" {
        open_log_folder(app);
        return;
    }
    if ITEMS.iter().any(|(i, _, _)| *i == id) || is_export_item(id) {
        if let Err(e) = app.emit("menu", id) {
            tracing::warn!("menu item {id} was not delivered to the window: {e}");
        }
    }
}

/// Opens the folder of the app's log files in the system's file manager;
/// when that fails, a message box says where the folder is.
fn open_log_folder<R: Runtime>(app: &AppHandle<R>) {
    let dir = crate::logs::log_dir();
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    tracing::info!(folder = %dir.display(), "opening the log folder");
    if let Err(e) = std::fs::create_dir_all(&dir)
        .and_then(|()| std::process::Command::new(opener).arg(&dir).spawn())
        .map(|mut child| {
            // Reaped when the file manager's launcher exits.
            std::thread::spawn(move || child.wait());
        })
    {
        tracing::warn!(folder = %dir.display(), "the log folder could not be opened: {e}");
        use tauri_plugin_dialog::{DialogExt, MessageDialogKind};
        app.dialog()
            .message(format!(
                "The log folder is {}.\n\nIt could not be opened in a file manager ({opener}: {e}).",
                dir.display()
            ))
            .title("Open log folder")
            .kind(MessageDialogKind::Warning)
            .show(|_| {});
    }
}
