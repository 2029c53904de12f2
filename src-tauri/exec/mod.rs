//! Running a runbook against real deployment endpoints: providers, polling,
//! verification, rollback triggers (failed step or check, Prometheus metric,
//! manual abort), rollback in reverse order of completion, crash-safe state in
//! the workspace, and a hash-chained audit trail. docs/runbook.md says how.
//!
//! Owns: HTTP calls (tokio + reqwest with rustls), the run state machine, the
//! run journal, secrets at call time. Must not touch: the live plan (a run
//! executes exactly its runbook file), the terminal (progress goes out as
//! [`RunEvent`]s; the CLI and the desktop app show them).

mod context;
mod dry_run;
mod engine;
mod events;
mod http;
mod journal;
mod lifecycle;
mod metric;
mod probe;
mod providers;
mod rehearsal;
pub mod secret;

pub use context::Stop;
pub use dry_run::{dry_run_text, DRY_RUN_ID};
pub use events::{EventSink, RunEvent};
pub use http::{check_url, BODY_CAP};
pub use lifecycle::run;
pub use probe::{probe_request, test_connection, ConnectionTest};
pub use rehearsal::{start_rehearsal_target, RehearsalTarget};
pub use secret::MASK;

use crate::error::{Code, Error, Result};
use crate::runbook::Runbook;
use crate::store::{RunRecord, StepRecord};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The workspace database the run is recorded in.
    pub db: PathBuf,
    /// Continue this run (after a crash) instead of starting a new one.
    pub resume: Option<String>,
    /// Start although pre-flight items are open (recorded in the audit trail).
    pub force: bool,
    /// Steps of a wave running at once.
    pub max_parallel: usize,
    /// How long to watch the metric triggers after the last step; `None`: the
    /// largest `for_s` of the metric triggers.
    pub watch: Option<Duration>,
    /// How often to evaluate the metric triggers; `None`: a quarter of the
    /// shortest `for_s`, within 1 to 15 s.
    pub metric_every: Option<Duration>,
}

impl RunOptions {
    pub fn new(db: PathBuf) -> RunOptions {
        RunOptions {
            db,
            resume: None,
            force: false,
            max_parallel: 16,
            watch: None,
            metric_every: None,
        }
    }
}

/// Aborts a run from outside (Ctrl+C, the app's button): no new step starts
/// and every triggered step is rolled back.
#[derive(Debug, Clone)]
pub struct Abort {
    tx: Arc<watch::Sender<Option<String>>>,
}

impl Default for Abort {
    fn default() -> Self {
        Abort::new()
    }
}

impl Abort {
    pub fn new() -> Abort {
        Abort {
            tx: Arc::new(watch::channel(None).0),
        }
    }

    /// Asks the run to stop and roll back; `reason` goes into the audit trail.
    pub fn abort(&self, reason: &str) {
        self.tx.send_if_modified(|r| {
            if r.is_none() {
                *r = Some(reason.to_string());
                true
            } else {
                false
            }
        });
    }
}

/// A finished (or stopped) run: its record and its steps.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct RunReport {
    pub run: RunRecord,
    pub steps: Vec<StepRecord>,
    /// What the run's sender did with the run's messages (a release with a
    /// communication plan only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<crate::notify::PumpReport>,
}

impl RunReport {
    /// The exit code of spec/cli.md: 0 done, 3 rolled back, 4 needs a person.
    pub fn exit_code(&self) -> i32 {
        self.run.exit_code.unwrap_or(1)
    }
}

/// Checks what must hold before a run starts: every endpoint https (or
/// loopback, or `allow_http`), every deploy endpoint present.
pub fn check_runbook(rb: &Runbook) -> Result<()> {
    let mut problems = Vec::new();
    for (name, e) in &rb.endpoints {
        if let Err(m) = check_url(&e.base_url, e.allow_http == Some(true)) {
            problems.push(crate::error::Problem::new(
                Code::InsecureEndpoint,
                format!("endpoints.{name}.base_url"),
                m.to_string(),
            ));
        }
        let used = rb
            .steps()
            .any(|s| s.deploy.as_ref().is_some_and(|d| &d.endpoint == name));
        if used && e.kind == crate::plan::EndpointKind::Gitlab && e.auth.is_none() {
            problems.push(crate::error::Problem::new(
                Code::MissingField,
                format!("endpoints.{name}.auth"),
                "a GitLab endpoint needs auth: an access token that reads pipelines (read_api, with a trigger_token to start them; else api)",
            ));
        }
    }
    for s in rb.steps() {
        if let Some(d) = &s.deploy {
            if !rb.endpoints.contains_key(&d.endpoint) {
                problems.push(crate::error::Problem::new(
                    Code::UnknownReference,
                    format!("steps.{}.deploy.endpoint", s.id),
                    format!("unknown endpoint \"{}\"", d.endpoint),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The pre-flight refusal: open items and no `force`.
pub fn check_preflight(rb: &Runbook, force: bool) -> Result<()> {
    let open = rb.preflight_open();
    if open == 0 || force {
        return Ok(());
    }
    let mut items: Vec<String> = rb
        .preflight
        .checklist
        .iter()
        .map(|i| i.text.clone())
        .collect();
    items.extend(
        rb.preflight
            .milestones
            .iter()
            .map(|m| format!("milestone {}", m.name)),
    );
    Err(Error::invalid(
        Code::PreflightOpen,
        "preflight",
        format!(
            "{open} pre-flight item(s) open ({}); finish them, or start anyway with --force (recorded in the audit trail)",
            items.join("; ")
        ),
    ))
}

fn new_run_id() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let salt = (nanos ^ std::process::id().rotate_left(16)) & 0xffff;
    format!(
        "run-{}-{salt:04x}",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    )
}

/// Runs a runbook on a runtime of its own (the CLI, or a thread of the app).
pub fn run_blocking(
    rb: Runbook,
    opts: RunOptions,
    events: EventSink,
    abort: Abort,
) -> Result<RunReport> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Run(format!("cannot start the runtime: {e}")))?;
    rt.block_on(run(rb, opts, events, abort))
}
