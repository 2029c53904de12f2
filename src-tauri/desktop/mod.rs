//! The desktop app: a Tauri 2 window over the same core the CLI uses.
//!
//! Owns: the Tauri builder, commands, menus and events. Must not hold logic:
//! each command parses its input, calls one core function and maps the result.
//! Database work runs on a blocking thread, never on the async runtime.
//!
//! What the window shows is computed by `views` (the release overview, a
//! release with its schedule, what-if, today), which the CLI calls too.
//!
//! One concern per file: `workspace` (the shared store and the blocking
//! runner), `releases` (the list, the sample plan), `view` (a release with its
//! schedule), `edits` (edits and history), `what_if`, `files` (import, export,
//! drawings), `window_state` (size, last release), `menu` (the menu bar, the
//! log folder), `ts_types` (the generated TypeScript of the types the commands
//! send and the error payload), `runbook` (the runbook, runs and their audit),
//! `sync` (a linked plan file: save, sync, resolve), `dialogs` (the native
//! file chooser and yes/no question), `heap` (giving freed memory back when
//! the window is idle), `webview` (WebKitGTK and JavaScriptCore tuning).

mod authoring;
pub mod dialogs;
mod edits;
mod files;
mod heap;
mod menu;
mod releases;
mod runbook;
mod sync;
mod ts_types;
mod view;
mod webview;
mod what_if;
mod window_state;
mod workspace;

pub use files::{decode_base64, export_text};
pub use releases::overview;
pub use ts_types::{typescript, GENERATED_TS};

use crate::store::{default_db_path, Store};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use workspace::Workspace;

/// Opens the window on the workspace at `db` (or the default one), until the
/// window closes.
pub fn run(db: Option<PathBuf>) -> crate::Result<()> {
    let path = db.unwrap_or_else(default_db_path);
    let store = Store::open(&path)?;
    // The log file; without it the app still runs (and says so on stderr).
    let _log_guard = match crate::logs::init_app() {
        Ok(g) => Some(g),
        Err(e) => {
            eprintln!(
                "warning: no log file in {}: {e}",
                crate::logs::log_dir().display()
            );
            None
        }
    };
    tracing::info!(workspace = %path.display(), "desktop app starting");
    webview::before_start();
    heap::start();
    let commands: fn(tauri::ipc::Invoke<tauri::Wry>) -> bool = tauri::generate_handler![
        releases::list_releases,
        releases::open_sample,
        view::load_release,
        edits::apply_edit,
        edits::apply_list_edit,
        edits::undo_redo,
        edits::history,
        what_if::what_if,
        files::export_plan,
        files::import_plan,
        files::save_drawing,
        files::home_dir,
        dialogs::choose_file,
        dialogs::confirm,
        window_state::ui_state,
        window_state::remember_release,
        window_state::actor,
        window_state::set_actor,
        runbook::compile_runbook,
        runbook::export_runbook,
        runbook::start_run,
        runbook::abort_run,
        runbook::list_runs,
        runbook::run_detail,
        sync::linked_file,
        sync::link_release,
        sync::save_release,
        sync::sync_release,
        sync::resolve_sync,
        authoring::load_workspace,
        authoring::apply_workspace_edit,
        authoring::undo_redo_workspace,
        authoring::set_secret,
        authoring::has_secret,
        authoring::test_endpoint,
        authoring::copy_release_from,
        authoring::preview_csv,
        authoring::import_csv_file,
    ];
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(Workspace(Arc::new(Mutex::new(store))))
        .manage(view::Sent::default())
        .manage(runbook::Runs::new(path.clone()))
        .menu(menu::build)
        .on_menu_event(|app, event| menu::forward(app, event.id().as_ref()))
        .on_window_event(window_state::on_window_event)
        .setup(|app| {
            window_state::restore(app);
            webview::tune(app);
            Ok(())
        })
        .invoke_handler(move |invoke| {
            heap::note_command();
            let span = tracing::info_span!("command", name = invoke.message.command());
            let _entered = span.enter();
            tracing::info!("called");
            commands(invoke)
        })
        .run(tauri::generate_context!());
    result.map_err(|e| crate::Error::Desktop(format!("the desktop app could not start: {e}")))
}
