//! The desktop app: a Tauri 2 window over the same core the CLI uses.
//!
//! Owns: the Tauri builder, commands and events. Must not hold logic: each
//! command parses its input, calls one core function and maps the result.
//! Database work runs on a blocking thread, never on the async runtime.

use crate::error::{Error, ErrorPayload};
use crate::store::{default_db_path, ReleaseSummary, Store};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The open workspace, shared by every command.
struct Workspace(Arc<Mutex<Store>>);

/// Runs a closure on the workspace on a blocking thread, mapping errors to
/// the `{code, message, path}` payload the UI matches on.
async fn with_store<T, F>(ws: &Workspace, f: F) -> Result<T, ErrorPayload>
where
    T: Send + 'static,
    F: FnOnce(&mut Store) -> crate::Result<T> + Send + 'static,
{
    let store = ws.0.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut guard = store.lock().map_err(|_| {
            Error::Workspace("the workspace is unavailable after an earlier failure".into())
        })?;
        f(&mut guard)
    })
    .await
    .map_err(|e| Error::Workspace(format!("background task failed: {e}")).payload())?
    .map_err(|e| e.payload())
}

#[tauri::command]
async fn list_releases(
    ws: tauri::State<'_, Workspace>,
) -> Result<Vec<ReleaseSummary>, ErrorPayload> {
    with_store(&ws, |s| s.releases()).await
}

/// Loads the sample plan into the workspace (a no-op when its release is there)
/// and returns the releases.
#[tauri::command]
async fn open_sample(ws: tauri::State<'_, Workspace>) -> Result<Vec<ReleaseSummary>, ErrorPayload> {
    with_store(&ws, |s| {
        let plan = crate::plan::parse_plan(crate::SAMPLE_PLAN)?;
        let present = s.releases()?.iter().any(|r| plan.release(&r.key).is_some());
        if !present {
            s.import(&plan, false)?;
        }
        s.releases()
    })
    .await
}

/// Opens the window on the workspace at `db` (or the default one). Returns the
/// process exit code.
pub fn run(db: Option<PathBuf>) -> i32 {
    let path = db.unwrap_or_else(default_db_path);
    let store = match Store::open(&path) {
        Ok(s) => s,
        Err(e) => return crate::cli::report(&e),
    };
    let result = tauri::Builder::default()
        .manage(Workspace(Arc::new(Mutex::new(store))))
        .invoke_handler(tauri::generate_handler![list_releases, open_sample])
        .run(tauri::generate_context!());
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: the desktop app could not start: {e}");
            1
        }
    }
}
