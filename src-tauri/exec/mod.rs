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
mod metric;
mod providers;
mod rehearsal;
pub mod secret;

pub use context::Stop;
pub use dry_run::{dry_run_text, DRY_RUN_ID};
pub use events::{EventSink, RunEvent};
pub use http::{check_url, BODY_CAP};
pub use rehearsal::{start_rehearsal_target, RehearsalTarget};
pub use secret::MASK;

use crate::error::{Error, Result};
use crate::runbook::Runbook;
use crate::store::{RunRecord, RunWrite, StepRecord, Store};
use context::{Ctx, StepMem};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicUsize};
use std::sync::{Arc, Mutex};
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
                "insecure_endpoint",
                format!("endpoints.{name}.base_url"),
                m,
            ));
        }
    }
    for s in rb.steps() {
        if let Some(d) = &s.deploy {
            if !rb.endpoints.contains_key(&d.endpoint) {
                problems.push(crate::error::Problem::new(
                    "unknown_reference",
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
        "preflight_open",
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

/// Runs (or, with `resume`, continues) a runbook. Progress goes to `events`
/// as it happens; `abort` stops it from outside. Returns the run's record:
/// `exit_code` 0 (succeeded), 3 (rolled back, every rollback succeeded) or 4
/// (a step failed and the rollback is incomplete or needs a person).
pub async fn run(
    rb: Runbook,
    opts: RunOptions,
    events: EventSink,
    abort: Abort,
) -> Result<RunReport> {
    check_runbook(&rb)?;
    let db = opts.db.clone();
    let resume = opts.resume.clone();
    let digest = rb.digest.clone();
    // Read what a resumed run left, off the async runtime.
    let (actor, prior) = tokio::task::spawn_blocking(move || -> Result<_> {
        let store = Store::open(&db)?;
        let actor = store.actor().to_string();
        let prior = match &resume {
            Some(id) => {
                let run = store.run(id)?;
                if run.digest != digest {
                    return Err(Error::invalid(
                        "digest_mismatch",
                        "--resume",
                        format!(
                            "run {id} ran runbook {}, not {digest}: resume it with the same runbook file",
                            run.digest
                        ),
                    ));
                }
                if run.exit_code.is_some() {
                    return Err(Error::invalid(
                        "run_finished",
                        "--resume",
                        format!("run {id} already finished ({})", run.state),
                    ));
                }
                Some((run, store.run_steps(id)?))
            }
            None => None,
        };
        Ok((actor, prior))
    })
    .await
    .map_err(|e| Error::Workspace(format!("cannot read the workspace: {e}")))??;
    if prior.is_none() {
        check_preflight(&rb, opts.force)?;
    }

    let journal = journal::Journal::open(&opts.db)?;
    let masker = secret::Masker::default();
    let http = http::Http::new(masker).map_err(Error::Workspace)?;
    let total = rb.steps().count();
    let run_id = prior
        .as_ref()
        .map(|(r, _)| r.id.clone())
        .unwrap_or_else(new_run_id);
    let mut steps = HashMap::new();
    let mut next = 0;
    let mut prior_stop = None;
    if let Some((run, recs)) = &prior {
        for s in recs {
            next = next.max(s.completed.map_or(0, |c| c + 1));
            steps.insert(
                s.step_id.clone(),
                StepMem {
                    state: s.state.clone(),
                    provider_ref: s.provider_ref.clone(),
                    completed: s.completed,
                    message: s.message.clone(),
                },
            );
        }
        if run.state == "rolling_back" || run.state == "halting" {
            prior_stop = Some(Stop {
                reason: run.reason.clone().unwrap_or_else(|| "stopped".into()),
                rollback: run.state == "rolling_back",
            });
        }
    }
    let rb = Arc::new(rb);
    let ctx = Arc::new(Ctx {
        rb: rb.clone(),
        http,
        journal: journal.clone(),
        run_id: run_id.clone(),
        actor: actor.clone(),
        events,
        stop: watch::channel(prior_stop.clone()).0,
        completed: AtomicI64::new(next),
        done: AtomicUsize::new(0),
        total,
        steps: Mutex::new(steps),
    });

    match &prior {
        None => {
            let record = RunRecord {
                id: run_id.clone(),
                release_key: rb.release.key.clone(),
                digest: rb.digest.clone(),
                actor: actor.clone(),
                started_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                finished_at: None,
                state: "running".into(),
                forced: opts.force && rb.preflight_open() > 0,
                reason: None,
                exit_code: None,
            };
            let mut position = 0;
            let mut list = Vec::new();
            for w in &rb.waves {
                for s in &w.steps {
                    list.push((s.id.clone(), w.number, position));
                    position += 1;
                }
            }
            journal
                .write(RunWrite::Create {
                    run: record,
                    runbook: crate::runbook::write_runbook(&rb),
                    steps: list,
                })
                .await?;
            ctx.audit_event(
                None,
                &format!("run started by {actor} (runbook {})", rb.digest),
            );
            if opts.force && rb.preflight_open() > 0 {
                ctx.audit_event(
                    None,
                    &format!(
                        "--force: started with {} pre-flight item(s) open",
                        rb.preflight_open()
                    ),
                );
            }
        }
        Some(_) => ctx.audit_event(None, &format!("run resumed by {actor}")),
    }
    ctx.emit(RunEvent::Started {
        run_id: run_id.clone(),
        release: rb.release.key.clone(),
        total,
        resumed: prior.is_some(),
        forced: opts.force && rb.preflight_open() > 0,
    });

    // Outside aborts become a rollback stop.
    let abort_task = {
        let ctx = ctx.clone();
        let mut rx = abort.tx.subscribe();
        tokio::spawn(async move {
            if let Ok(r) = rx.wait_for(|r| r.is_some()).await {
                let reason = r.clone().unwrap_or_default();
                drop(r);
                ctx.request_stop(Stop {
                    reason: format!("manual: {reason}"),
                    rollback: true,
                });
            }
        })
    };
    // Metric triggers, from now until the end of the watch window.
    let metrics = metric::metric_triggers(&rb.rollback_triggers);
    let (end_tx, end_rx) = watch::channel(false);
    let metric_task = if metrics.is_empty() || prior_stop.is_some() {
        None
    } else {
        let every = opts
            .metric_every
            .unwrap_or_else(|| metric::default_every(&metrics));
        Some(tokio::spawn(metric::watch(
            ctx.clone(),
            metrics.clone(),
            every,
            end_rx,
        )))
    };
    let watch_for = opts.watch.unwrap_or_else(|| {
        Duration::from_secs(u64::from(
            metrics.iter().map(|m| m.for_s).max().unwrap_or(0),
        ))
    });
    let watch_for = if metrics.is_empty() {
        Duration::ZERO
    } else {
        watch_for
    };

    let waves = engine::run_waves(ctx.clone(), opts.max_parallel, watch_for).await;
    let _ = end_tx.send(true);
    if let Some(t) = metric_task {
        let _ = t.await;
    }
    abort_task.abort();
    waves?;

    let ending = match ctx.stopped() {
        None => engine::Ending {
            state: "succeeded",
            exit_code: 0,
            reason: None,
        },
        Some(stop) if stop.rollback => {
            let all_ok = engine::roll_back(&ctx).await?;
            engine::Ending {
                state: if all_ok {
                    "rolled_back"
                } else {
                    "rollback_incomplete"
                },
                exit_code: if all_ok { 3 } else { 4 },
                reason: Some(stop.reason),
            }
        }
        Some(stop) => engine::Ending {
            state: "failed",
            exit_code: 4,
            reason: Some(stop.reason),
        },
    };
    ctx.audit_event(
        None,
        &format!(
            "run ended: {} (exit code {})",
            ending.state, ending.exit_code
        ),
    );
    journal
        .write(RunWrite::Run {
            run: run_id.clone(),
            state: ending.state.into(),
            reason: ending.reason.clone(),
            exit_code: Some(ending.exit_code),
        })
        .await?;
    journal.flush().await?;
    ctx.emit(RunEvent::Finished {
        run_id: run_id.clone(),
        state: ending.state.into(),
        exit_code: ending.exit_code,
        reason: ending.reason.clone(),
    });
    let db = opts.db.clone();
    tokio::task::spawn_blocking(move || -> Result<RunReport> {
        let store = Store::open(&db)?;
        Ok(RunReport {
            run: store.run(&run_id)?,
            steps: store.run_steps(&run_id)?,
        })
    })
    .await
    .map_err(|e| Error::Workspace(format!("cannot read the workspace: {e}")))?
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
        .map_err(|e| Error::Workspace(format!("cannot start the runtime: {e}")))?;
    rt.block_on(run(rb, opts, events, abort))
}
