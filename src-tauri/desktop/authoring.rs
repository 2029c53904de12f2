//! Authoring from the window: the workspace page (teams, endpoints, the
//! calendar), secrets into the OS keyring, *Test connection*, the next
//! release from the last, and components from a CSV file. Each command calls
//! the store or `views` and answers with what the page redraws from.

use super::files::user_path;
use super::releases::overview;
use super::workspace::{with_store, Workspace};
use crate::error::{Code, Error, ErrorPayload};
use crate::exec::{secret, test_connection, ConnectionTest};
use crate::plan::{Date, Endpoint};
use crate::store::{Edit, WORKSPACE};
use crate::views::{
    copy_release, csv_preview, import_edit, today, workspace_view, CsvMapping, CsvPreview,
    ReleaseOverview, ReleaseView, WorkspaceView,
};

#[tauri::command]
pub async fn load_workspace(
    ws: tauri::State<'_, Workspace>,
) -> Result<WorkspaceView, ErrorPayload> {
    with_store(&ws, |s| workspace_view(s)).await
}

/// Applies a team, endpoint or calendar edit and returns the workspace page.
#[tauri::command]
pub async fn apply_workspace_edit(
    ws: tauri::State<'_, Workspace>,
    edit: Edit,
) -> Result<WorkspaceView, ErrorPayload> {
    with_store(&ws, move |s| {
        if !edit.is_workspace() {
            return Err(Error::invalid(
                Code::BadEdit,
                "edit",
                "this edit changes a release: send it from the release page",
            ));
        }
        s.apply(&edit)?;
        workspace_view(s)
    })
    .await
}

/// Undoes or redoes the newest workspace edit.
#[tauri::command]
pub async fn undo_redo_workspace(
    ws: tauri::State<'_, Workspace>,
    redo: bool,
) -> Result<(Option<String>, WorkspaceView), ErrorPayload> {
    with_store(&ws, move |s| {
        let step = if redo {
            s.redo(WORKSPACE)?
        } else {
            s.undo(WORKSPACE)?
        };
        Ok((step.map(|st| st.summary), workspace_view(s)?))
    })
    .await
}

/// Stores a secret's value in the OS keyring under `keyring:NAME`, as
/// `flotilla secret set` does; the workspace keeps only the reference.
#[tauri::command]
pub async fn set_secret(name: String, value: String) -> Result<(), ErrorPayload> {
    tauri::async_runtime::spawn_blocking(move || {
        if value.is_empty() {
            return Err(
                Error::invalid(Code::EmptySecret, "value", "the secret is empty").payload(),
            );
        }
        secret::keyring_set(&name, &value).map_err(|e| Error::Secret(e).payload())
    })
    .await
    .map_err(|e| Error::Desktop(format!("background task failed: {e}")).payload())?
}

/// Whether `keyring:NAME` holds a value (never the value itself).
#[tauri::command]
pub async fn has_secret(name: String) -> Result<bool, ErrorPayload> {
    tauri::async_runtime::spawn_blocking(move || match secret::keyring_get(&name) {
        Ok(_) => Ok(true),
        Err(e) if e.code() == Code::SecretUnavailable => Ok(false),
        Err(e) => Err(Error::Secret(e).payload()),
    })
    .await
    .map_err(|e| Error::Desktop(format!("background task failed: {e}")).payload())?
}

/// One harmless read call to the endpoint as configured (saved or not).
#[tauri::command]
pub async fn test_endpoint(endpoint: Endpoint) -> Result<ConnectionTest, ErrorPayload> {
    test_connection(&endpoint).await.map_err(|e| e.payload())
}

/// *New release from...*: copies `from` under `key`, dates moved.
#[tauri::command]
pub async fn copy_release_from(
    ws: tauri::State<'_, Workspace>,
    from: String,
    key: String,
    release_date: Date,
    name: Option<String>,
) -> Result<Vec<ReleaseOverview>, ErrorPayload> {
    with_store(&ws, move |s| {
        copy_release(s, &from, &key, release_date, name.as_deref())?;
        overview(s)
    })
    .await
}

/// Reads a CSV file against a release: the preview, nothing stored.
#[tauri::command]
pub async fn preview_csv(
    ws: tauri::State<'_, Workspace>,
    release: String,
    path: String,
    mapping: CsvMapping,
) -> Result<CsvPreview, ErrorPayload> {
    with_store(&ws, move |s| {
        let path = user_path(&path)?;
        let text = read_text(&path)?;
        let plan = s.workspace()?;
        let rel = s.load_release(&release)?;
        Ok(csv_preview(&plan, &rel, &text, &mapping))
    })
    .await
}

/// Stores a CSV file's components and dependencies (read again, so what is
/// stored is what the file holds now), as one undoable edit.
#[tauri::command]
pub async fn import_csv_file(
    ws: tauri::State<'_, Workspace>,
    sent: tauri::State<'_, super::view::Sent>,
    release: String,
    path: String,
    mapping: CsvMapping,
) -> Result<ReleaseView, ErrorPayload> {
    let sent = sent.inner().clone();
    with_store(&ws, move |s| {
        let path = user_path(&path)?;
        let text = read_text(&path)?;
        let plan = s.workspace()?;
        let rel = s.load_release(&release)?;
        let preview = csv_preview(&plan, &rel, &text, &mapping);
        s.apply(&import_edit(&release, &preview)?)?;
        Ok(sent.send(crate::views::release_view(s, &release, today(None))?))
    })
    .await
}

fn read_text(path: &std::path::Path) -> crate::Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e, true))?;
    String::from_utf8(bytes).map_err(|_| {
        Error::invalid(
            Code::Encoding,
            path.display().to_string(),
            "the file is not UTF-8 text: save it from the spreadsheet as \"CSV UTF-8\"",
        )
    })
}
