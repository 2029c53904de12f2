//! The open workspace shared by every command, and the one way commands reach it.

use crate::error::{Error, ErrorPayload};
use crate::store::Store;
use std::sync::{Arc, Mutex};

/// The open workspace, shared by every command.
pub struct Workspace(pub Arc<Mutex<Store>>);

/// Runs a closure on the workspace on a blocking thread, mapping errors to
/// the `{code, message, path}` payload the UI matches on.
pub async fn with_store<T, F>(ws: &Workspace, f: F) -> Result<T, ErrorPayload>
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
    .map_err(|e| Error::Desktop(format!("background task failed: {e}")).payload())?
    .map_err(|e| e.payload())
}
