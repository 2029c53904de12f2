//! The Runbook view: a release's runbook as data and its exports, runs started
//! from the window (every `RunEvent` forwarded to the page as `run-event`),
//! the abort button, past runs with their audit trail, its chain check and
//! the messages each run sent, and who the communication plan tells of what.

use super::files::user_path;
use super::workspace::{with_store, Workspace};
use crate::error::{Code, Error, ErrorPayload, Result};
use crate::exec::{self, Abort, EventSink, RunEvent, RunOptions, RunReport};
use crate::notify;
use crate::runbook::{compile_plan, export, Runbook, RunbookFormat};
use crate::store::{AuditCheck, AuditRecord, OutboxMessage, RunRecord, StepRecord, Store};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::Emitter;

/// The event every run event is sent to the window as.
pub const RUN_EVENT: &str = "run-event";

/// Runs started from the window: the workspace file they are recorded in,
/// and the abort handle of the one under way (one at a time).
pub struct Runs {
    db: PathBuf,
    current: Mutex<Option<Abort>>,
}

impl Runs {
    pub fn new(db: PathBuf) -> Runs {
        Runs {
            db,
            current: Mutex::new(None),
        }
    }
}

/// The runbook as the view draws it, with the count of open pre-flight items.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RunbookData {
    pub runbook: Runbook,
    pub preflight_open: usize,
    /// Who the communication plan tells of which event, on which channel.
    pub told: Vec<notify::Told>,
    /// The `run_started` message as it would read if the run started now.
    pub first_message: Option<notify::Preview>,
}

/// A past run: its record, its steps, its audit trail and the chain check.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RunDetail {
    pub run: RunRecord,
    pub steps: Vec<StepRecord>,
    pub audit: Vec<AuditRecord>,
    pub check: AuditCheck,
    /// The messages the run queued, oldest first, with how each went.
    pub messages: Vec<OutboxMessage>,
}

fn compiled(store: &Store, release: &str) -> Result<Runbook> {
    compile_plan(&store.load_plan(Some(release))?, release)
}

/// Compiles release `release` into its runbook, as `flotilla runbook` does.
#[tauri::command]
pub async fn compile_runbook(
    ws: tauri::State<'_, Workspace>,
    release: String,
) -> Result<RunbookData, ErrorPayload> {
    with_store(&ws, move |s| {
        let runbook = compiled(s, &release)?;
        Ok(RunbookData {
            preflight_open: runbook.preflight_open(),
            told: notify::who_is_told(&runbook),
            first_message: notify::run_started(
                &runbook,
                "(new run)",
                s.actor(),
                chrono::Utc::now(),
            ),
            runbook,
        })
    })
    .await
}

/// Writes the runbook to `path` as `md`, `html` or `json`; returns the path written.
#[tauri::command]
pub async fn export_runbook(
    ws: tauri::State<'_, Workspace>,
    release: String,
    format: String,
    path: String,
) -> Result<String, ErrorPayload> {
    with_store(&ws, move |s| {
        let format = RunbookFormat::parse(&format)?;
        let path = user_path(&path)?;
        let text = export(&compiled(s, &release)?, format);
        crate::export::write_file_atomic(&path, &text)?;
        Ok(path.display().to_string())
    })
    .await
}

/// Runs the release's runbook, refusing when it is no longer the one the
/// person reviewed (`digest`). Every event goes to the window as it happens;
/// answers with the finished run. `watch_s` overrides how long the metric
/// triggers are watched after the last step.
#[tauri::command]
pub async fn start_run(
    app: tauri::AppHandle,
    ws: tauri::State<'_, Workspace>,
    runs: tauri::State<'_, Runs>,
    release: String,
    digest: String,
    force: bool,
    watch_s: Option<u64>,
) -> Result<RunReport, ErrorPayload> {
    let rb = with_store(&ws, move |s| compiled(s, &release)).await?;
    if rb.digest != digest {
        return Err(Error::invalid(
            Code::RunbookChanged,
            "digest",
            "the plan changed since this runbook was shown: review the runbook again before running it",
        )
        .payload());
    }
    exec::check_runbook(&rb).map_err(|e| e.payload())?;
    exec::check_preflight(&rb, force).map_err(|e| e.payload())?;
    let abort = Abort::new();
    {
        let mut current = runs.current.lock().unwrap_or_else(|e| e.into_inner());
        if current.is_some() {
            return Err(Error::invalid(
                Code::RunInProgress,
                "run",
                "a run is already under way in this window: wait for it, or abort it",
            )
            .payload());
        }
        *current = Some(abort.clone());
    }
    let mut opts = RunOptions::new(runs.db.clone());
    opts.force = force;
    opts.watch = watch_s.map(Duration::from_secs);
    let sink: EventSink = Arc::new(move |ev: RunEvent| {
        let _ = app.emit(RUN_EVENT, ev);
    });
    let result = exec::run(rb, opts, sink, abort).await;
    *runs.current.lock().unwrap_or_else(|e| e.into_inner()) = None;
    result.map_err(|e| e.payload())
}

/// Aborts the run under way: no new step starts and every triggered step is
/// rolled back. False when no run is under way.
#[tauri::command]
pub fn abort_run(runs: tauri::State<'_, Runs>, reason: String) -> bool {
    let current = runs.current.lock().unwrap_or_else(|e| e.into_inner());
    match current.as_ref() {
        Some(abort) => {
            let reason = reason.trim();
            abort.abort(if reason.is_empty() {
                "aborted from the desktop app"
            } else {
                reason
            });
            true
        }
        None => false,
    }
}

/// The release's runs, newest first.
#[tauri::command]
pub async fn list_runs(
    ws: tauri::State<'_, Workspace>,
    release: String,
) -> Result<Vec<RunRecord>, ErrorPayload> {
    with_store(&ws, move |s| {
        Ok(s.runs()?
            .into_iter()
            .filter(|r| r.release_key == release)
            .collect())
    })
    .await
}

/// One run with its steps and its audit trail, the chain verified.
#[tauri::command]
pub async fn run_detail(
    ws: tauri::State<'_, Workspace>,
    run: String,
) -> Result<RunDetail, ErrorPayload> {
    with_store(&ws, move |s| {
        Ok(RunDetail {
            run: s.run(&run)?,
            steps: s.run_steps(&run)?,
            audit: s.run_audit(&run)?,
            check: s.verify_run_audit(&run)?,
            messages: s.outbox(Some(&run))?,
        })
    })
    .await
}

/// Sends the run's unsent messages now: those waiting for a retry and
/// those refused (queued again), as `flotilla outbox retry` then `send` do.
#[tauri::command]
pub async fn send_run_messages(
    ws: tauri::State<'_, Workspace>,
    runs: tauri::State<'_, Runs>,
    run: String,
) -> Result<notify::PumpReport, ErrorPayload> {
    let id = run.clone();
    let actor = with_store(&ws, move |s| {
        s.hurry_messages(&id)?;
        Ok(s.actor().to_string())
    })
    .await?;
    notify::pump(notify::PumpOptions {
        db: runs.db.clone(),
        actor,
        run: Some(run),
        follow: None,
        linger: Duration::ZERO,
    })
    .await
    .map_err(|e| e.payload())
}

#[cfg(test)]
mod tests {
    use crate::runbook::RunbookFormat;

    #[test]
    fn export_formats_are_the_cli_names() {
        assert_eq!(RunbookFormat::parse("md").unwrap(), RunbookFormat::Markdown);
        assert_eq!(RunbookFormat::parse("html").unwrap(), RunbookFormat::Html);
        assert_eq!(RunbookFormat::parse("json").unwrap(), RunbookFormat::Json);
        assert_eq!(
            RunbookFormat::parse("pdf").unwrap_err().payload().code,
            "bad_value"
        );
    }
}
