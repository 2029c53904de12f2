//! The native menu bar. Choosing an item sends a `menu` event with the item's
//! id to the page, which runs the same action as the button or shortcut.
//! Shortcuts are handled by the page (so that Ctrl+Z in a text field stays the
//! field's own undo); the menu labels name them.

use tauri::menu::{Menu, MenuBuilder, MenuItemBuilder, PredefinedMenuItem, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Runtime};

/// Menu item ids, as the page receives them.
pub const ITEMS: &[(&str, &str)] = &[
    ("import", "Import plan…"),
    ("open-sample", "Open the sample plan"),
    ("export-json", "Export release as JSON…"),
    ("export-csv", "Export release as CSV…"),
    ("export-ical", "Export release as iCal…"),
    ("export-md", "Export release as Markdown report…"),
    ("export-dot", "Export release graph as DOT…"),
    ("export-mermaid", "Export release graph as Mermaid…"),
    ("export-plan-json", "Export whole plan as JSON…"),
    ("undo", "Undo\tCtrl+Z"),
    ("redo", "Redo\tCtrl+Shift+Z"),
    ("view-releases", "Releases\tCtrl+0"),
    ("view-graph", "Graph\tCtrl+1"),
    ("view-timeline", "Timeline\tCtrl+2"),
    ("view-board", "Board\tCtrl+3"),
    ("view-milestones", "Milestones & checklist\tCtrl+4"),
    ("shortcuts", "Keyboard shortcuts\t?"),
];

fn label(id: &str) -> &'static str {
    ITEMS
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(_, l)| *l)
        .expect("every menu id has a label")
}

pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let item = |id: &str| MenuItemBuilder::with_id(id, label(id)).build(app);
    let file = SubmenuBuilder::new(app, "File")
        .item(&item("import")?)
        .item(&item("open-sample")?)
        .separator()
        .item(&item("export-json")?)
        .item(&item("export-csv")?)
        .item(&item("export-ical")?)
        .item(&item("export-md")?)
        .item(&item("export-dot")?)
        .item(&item("export-mermaid")?)
        .item(&item("export-plan-json")?)
        .separator()
        .item(&PredefinedMenuItem::quit(app, Some("Quit"))?)
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
        .build()?;
    let help = SubmenuBuilder::new(app, "Help")
        .item(&item("shortcuts")?)
        .build()?;
    MenuBuilder::new(app)
        .items(&[&file, &edit, &view, &help])
        .build()
}

/// Passes a chosen menu item on to the page.
pub fn forward<R: Runtime>(app: &AppHandle<R>, id: &str) {
    if ITEMS.iter().any(|(i, _)| *i == id) {
        if let Err(e) = app.emit("menu", id) {
            eprintln!("warning: menu item {id} was not delivered to the window: {e}");
        }
    }
}
