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
//! the window is idle), `webview` (WebKitGTK and JavaScriptCore tuning),
//! `single_instance` (one window per workspace: a second start hands over),
//! `open_file` (plan files opened from outside: the queue and its commands),
//! `reports` (the weekly and daily drafts, the release notes, the
//! post-release review, delivery metrics).

mod authoring;
pub mod dialogs;
mod edits;
mod files;
mod heap;
mod menu;
mod open_file;
mod releases;
mod reports;
mod runbook;
mod single_instance;
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
/// window closes; with `open`, on that plan file. When the workspace is open
/// in another start of the app already, hands `open` to it and returns.
pub fn run(db: Option<PathBuf>, open: Option<PathBuf>) -> crate::Result<()> {
    let path = db.unwrap_or_else(default_db_path);
    #[cfg(target_os = "linux")]
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return Err(crate::Error::Desktop(
            "no display: DISPLAY and WAYLAND_DISPLAY are unset, so the window cannot open; every command works headless (flotilla --help)".into(),
        ));
    }
    let open = match open {
        Some(f) => Some(std::path::absolute(&f).map_err(|e| crate::Error::io(&f, e, true))?),
        None => None,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| crate::Error::io(dir, e, false))?;
    }
    let mut primary = match single_instance::claim(&path, open.as_deref())
        .map_err(|e| crate::Error::Desktop(format!("the desktop app could not start: {e}")))?
    {
        single_instance::Claim::HandedOver => {
            eprintln!(
                "Flotilla is already open on {}: its window was brought to the front{}",
                path.display(),
                if open.is_some() { " with the file" } else { "" }
            );
            return Ok(());
        }
        single_instance::Claim::Primary(p) => p,
    };
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
    let opened = open_file::Opened::default();
    if let Some(f) = open {
        opened.push(f);
    }
    let app_handle: Arc<std::sync::OnceLock<tauri::AppHandle>> = Default::default();
    {
        let (opened, app_handle) = (opened.clone(), app_handle.clone());
        primary.serve(Box::new(move |file| match app_handle.get() {
            Some(app) => open_file::handed_over(app, &opened, file),
            // Not up yet: the page takes the file when it starts.
            None => opened
                .0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(file),
        }));
    }
    let closing = primary.closer();
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
        runbook::send_run_messages,
        reports::weekly_report,
        reports::daily_report,
        reports::release_notes,
        reports::release_review,
        reports::delivery_metrics,
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
        open_file::take_opened_file,
        open_file::open_plan_file,
    ];
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(Workspace(Arc::new(Mutex::new(store))))
        .manage(view::Sent::default())
        .manage(opened)
        .manage(runbook::Runs::new(path.clone()))
        .menu(menu::build)
        .on_menu_event(|app, event| menu::forward(app, event.id().as_ref()))
        .on_window_event(move |window, event| {
            if matches!(event, tauri::WindowEvent::Destroyed) {
                closing();
            }
            window_state::on_window_event(window, event)
        })
        .setup(move |app| {
            let _ = app_handle.set(app.handle().clone());
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
    drop(primary);
    result.map_err(|e| crate::Error::Desktop(format!("the desktop app could not start: {e}")))
}
