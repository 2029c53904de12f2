//! One run from start to end, in four parts: read what an earlier attempt
//! left (resume), start (the pre-flight against the services, the context,
//! the journal's first records), supervise (aborts, metric triggers, the
//! waves) and finish (the rollback if one is due, the ending written and
//! reported).

use super::context::{Ctx, StepMem, Stop};
use super::events::{EventSink, RunEvent};
use super::{check_preflight, check_runbook, engine, http, journal, metric, secret};
use super::{new_run_id, Abort, RunOptions, RunReport};
use crate::error::{Code, Error, Result};
use crate::notify::{self, PumpOptions};
use crate::plan::NotifyEvent;
use crate::runbook::Runbook;
use crate::store::{RunRecord, RunState, RunWrite, StepRecord, Store};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;
use tracing::Instrument;

/// How long a run's sender goes on after the run's end.
const DRAIN: Duration = Duration::from_secs(15);

/// What an interrupted run left: its record and its steps.
type Prior = (RunRecord, Vec<StepRecord>);

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
    let (actor, prior) = read_prior(&opts, &rb.digest).await?;
    if prior.is_none() {
        check_preflight(&rb, opts.force)?;
    }
    let run_id = prior
        .as_ref()
        .map(|(r, _)| r.id.clone())
        .unwrap_or_else(new_run_id);
    let span = tracing::info_span!("run", run_id = %run_id, release = %rb.release.key);
    async move {
        tracing::info!(
            resumed = prior.is_some(),
            steps = rb.steps().count(),
            "run starting"
        );
        let journal = journal::Journal::open(&opts.db)?;
        // The sender: the run's messages go out while it runs, and for up to
        // DRAIN after its end (a retry due by then is waited for).
        let run_over = Arc::new(AtomicBool::new(false));
        let sender = rb.comms.is_some().then(|| {
            tokio::spawn(
                notify::pump(PumpOptions {
                    db: opts.db.clone(),
                    actor: actor.clone(),
                    run: Some(run_id.clone()),
                    follow: Some(run_over.clone()),
                    linger: DRAIN,
                })
                .in_current_span(),
            )
        });
        let ran = async {
            let ctx = start(rb, &opts, events, &journal, run_id, actor, prior).await?;
            supervise(&ctx, &opts, abort).await?;
            finish(&ctx, &journal, opts.db.clone()).await
        }
        .await;
        run_over.store(true, Ordering::SeqCst);
        let messages = match sender {
            Some(t) => match t.await {
                Ok(Ok(r)) => Some(r),
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "the outbox sender stopped");
                    None
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the outbox sender stopped");
                    None
                }
            },
            None => None,
        };
        let mut report = ran?;
        report.messages = messages;
        Ok(report)
    }
    .instrument(span)
    .await
}

/// Pre-flight against the services: every metric trigger's query is sent
/// once (a query Prometheus refuses would never fire), and every Argo CD
/// step's application is checked for auto-sync. Any problem refuses the run
/// before anything is triggered.
async fn check_services(rb: &Runbook, http: &http::Http) -> Result<()> {
    let mut problems = metric::check_queries(rb, http).await;
    problems.extend(super::providers::preflight(rb, http).await);
    for p in &problems {
        tracing::warn!(path = %p.path, message = %p.message, "pre-flight refused");
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The acting user, and the record and steps of the run to resume (checked
/// against the runbook), read off the async runtime.
async fn read_prior(opts: &RunOptions, digest: &str) -> Result<(String, Option<Prior>)> {
    let db = opts.db.clone();
    let resume = opts.resume.clone();
    let digest = digest.to_string();
    tokio::task::spawn_blocking(move || -> Result<_> {
        let store = Store::open(&db)?;
        let actor = store.actor().to_string();
        let prior = match &resume {
            Some(id) => {
                let run = store.run(id)?;
                if run.digest != digest {
                    return Err(Error::invalid(
                        Code::DigestMismatch,
                        "--resume",
                        format!(
                            "run {id} ran runbook {}, not {digest}: resume it with the same runbook file",
                            run.digest
                        ),
                    ));
                }
                if run.exit_code.is_some() {
                    return Err(Error::invalid(
                        Code::RunFinished,
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
    .map_err(|e| Error::Run(format!("the run could not read the workspace: {e}")))?
}

/// The run's context, seeded with what a resumed run left, and the first
/// records of a new run (or the note that it resumed) in the journal.
async fn start(
    rb: Runbook,
    opts: &RunOptions,
    events: EventSink,
    journal: &journal::Journal,
    run_id: String,
    actor: String,
    prior: Option<Prior>,
) -> Result<Arc<Ctx>> {
    // One HTTP client for the run, its pre-flight against the services
    // included (a secret read there is masked in everything the run writes);
    // a new run is refused here, before its first record.
    let http = http::Http::new(secret::Masker::default())?;
    if prior.is_none() {
        check_services(&rb, &http).await?;
    }
    let total = rb.steps().count();
    let forced = opts.force && rb.preflight_open() > 0;
    let mut steps = HashMap::new();
    let mut next = 0;
    let mut prior_stop = None;
    if let Some((run, recs)) = &prior {
        for s in recs {
            next = next.max(s.completed.map_or(0, |c| c + 1));
            steps.insert(
                s.step_id.clone(),
                StepMem {
                    state: s.state,
                    provider_ref: s.provider_ref.clone(),
                    completed: s.completed,
                    message: s.message.clone(),
                },
            );
        }
        if run.state == RunState::RollingBack || run.state == RunState::Halting {
            prior_stop = Some(Stop {
                reason: run.reason.clone().unwrap_or_else(|| "stopped".into()),
                rollback: run.state == RunState::RollingBack,
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
        stop: watch::channel(prior_stop).0,
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
                state: RunState::Running,
                forced,
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
            let mut writes = vec![RunWrite::Create {
                run: record,
                runbook: crate::runbook::write_runbook(&rb),
                steps: list,
            }];
            writes.extend(ctx.tell(NotifyEvent::RunStarted, |_| {}));
            journal.write_all(writes).await?;
            ctx.audit_event(
                None,
                &format!("run started by {actor} (runbook {})", rb.digest),
            );
            if forced {
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
        run_id,
        release: rb.release.key.clone(),
        total,
        resumed: prior.is_some(),
        forced,
    });
    Ok(ctx)
}

/// Runs the waves while an outside abort and the metric triggers can stop
/// the run, until the last wave and the watch window are over.
async fn supervise(ctx: &Arc<Ctx>, opts: &RunOptions, abort: Abort) -> Result<()> {
    // Outside aborts become a rollback stop.
    let abort_task = {
        let ctx = ctx.clone();
        let mut rx = abort.tx.subscribe();
        tokio::spawn(
            async move {
                if let Ok(r) = rx.wait_for(|r| r.is_some()).await {
                    let reason = r.clone().unwrap_or_default();
                    drop(r);
                    ctx.request_stop(Stop {
                        reason: format!("manual: {reason}"),
                        rollback: true,
                    });
                }
            }
            .in_current_span(),
        )
    };
    // Metric triggers, from now until the end of the watch window.
    let metrics = metric::metric_triggers(&ctx.rb.rollback_triggers);
    let (end_tx, end_rx) = watch::channel(false);
    let metric_task = if metrics.is_empty() || ctx.stopped().is_some() {
        None
    } else {
        let every = opts
            .metric_every
            .unwrap_or_else(|| metric::default_every(&metrics));
        Some(tokio::spawn(
            metric::watch(ctx.clone(), metrics.clone(), every, end_rx).in_current_span(),
        ))
    };
    let watch_for = if metrics.is_empty() {
        Duration::ZERO
    } else {
        opts.watch.unwrap_or_else(|| {
            Duration::from_secs(u64::from(
                metrics.iter().map(|m| m.for_s).max().unwrap_or(0),
            ))
        })
    };

    let waves = engine::run_waves(ctx.clone(), opts.max_parallel, watch_for).await;
    let _ = end_tx.send(true);
    if let Some(t) = metric_task {
        let _ = t.await;
    }
    abort_task.abort();
    waves
}

/// Rolls back when a rollback stop is due, writes how the run ended, and
/// reads the run back from the workspace.
async fn finish(ctx: &Arc<Ctx>, journal: &journal::Journal, db: PathBuf) -> Result<RunReport> {
    let ending = match ctx.stopped() {
        None => engine::Ending {
            state: RunState::Succeeded,
            exit_code: 0,
            reason: None,
        },
        Some(stop) if stop.rollback => {
            let all_ok = engine::roll_back(ctx).await?;
            engine::Ending {
                state: if all_ok {
                    RunState::RolledBack
                } else {
                    RunState::RollbackIncomplete
                },
                exit_code: if all_ok { 3 } else { 4 },
                reason: Some(stop.reason),
            }
        }
        Some(stop) => engine::Ending {
            state: RunState::Failed,
            exit_code: 4,
            reason: Some(stop.reason),
        },
    };
    tracing::info!(state = %ending.state, exit_code = ending.exit_code, "run ended");
    ctx.audit_event(
        None,
        &format!(
            "run ended: {} (exit code {})",
            ending.state, ending.exit_code
        ),
    );
    let mut writes = vec![RunWrite::Run {
        run: ctx.run_id.clone(),
        state: ending.state,
        reason: ending.reason.clone(),
        exit_code: Some(ending.exit_code),
    }];
    let reason = ending.reason.as_deref().map(|r| ctx.http.masker.scrub(r));
    if ctx.stopped().is_some_and(|s| s.rollback) {
        writes.extend(ctx.tell(NotifyEvent::RollbackFinished, |f| {
            f.state = Some(ending.state.to_string().replace('_', " "));
            f.message = reason.clone();
        }));
    }
    writes.extend(ctx.tell(NotifyEvent::RunFinished, |f| {
        f.state = Some(ending.state.to_string().replace('_', " "));
        f.message = reason.clone();
    }));
    journal.write_all(writes).await?;
    journal.flush().await?;
    ctx.emit(RunEvent::Finished {
        run_id: ctx.run_id.clone(),
        state: ending.state,
        exit_code: ending.exit_code,
        reason: ending.reason.clone(),
    });
    let run_id = ctx.run_id.clone();
    tokio::task::spawn_blocking(move || -> Result<RunReport> {
        let store = Store::open(&db)?;
        Ok(RunReport {
            run: store.run(&run_id)?,
            steps: store.run_steps(&run_id)?,
            messages: None,
        })
    })
    .await
    .map_err(|e| Error::Run(format!("the run could not read the workspace: {e}")))?
}
