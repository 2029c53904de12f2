//! The run itself: waves in order, the steps of a wave at once (bounded);
//! each step triggered once, polled, verified; on a stop, no new step starts,
//! and on a rollback trigger every triggered step is rolled back in reverse
//! order of completion. A step the run gives up on while it still runs on
//! its service (its timeout, an abort, a rollback) is cancelled there first
//! (providers::cancel), and the outcome is in the audit trail.

use super::context::{Ctx, StepMem, Stop};
use super::events::RunEvent;
use super::providers::{self, Cancel, Poll, Target, Undo};
use crate::error::Result;
use crate::plan::{NotifyEvent, RollbackTrigger};
use crate::runbook::{Step, StepAction};
use crate::store::{RunState, RunWrite, StepState};
use serde_json::Value;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tracing::Instrument;

/// How a run ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ending {
    pub state: RunState,
    pub exit_code: i32,
    pub reason: Option<String>,
}

/// Writes a step's new state to the journal (waiting for the commit) and
/// reports it.
pub(crate) async fn set_state(
    ctx: &Ctx,
    step: &Step,
    wave: u32,
    state: StepState,
    provider_ref: Option<Value>,
    completed: Option<i64>,
    message: Option<String>,
) -> Result<()> {
    let message = message.map(|m| ctx.http.masker.scrub(&m));
    tracing::info!(step = %step.id, %state, message = message.as_deref().unwrap_or(""), "step state");
    {
        let mut steps = ctx.steps.lock().unwrap_or_else(|e| e.into_inner());
        let m = steps.entry(step.id.clone()).or_default();
        m.state = state;
        if provider_ref.is_some() {
            m.provider_ref = provider_ref.clone();
        }
        if completed.is_some() {
            m.completed = completed;
        }
        if message.is_some() {
            m.message = message.clone();
        }
    }
    let write = RunWrite::Step {
        run: ctx.run_id.clone(),
        step: step.id.clone(),
        state,
        provider_ref: provider_ref.clone(),
        completed,
        message: message.clone(),
    };
    // What a resumed run relies on is committed before the run goes on: that
    // a trigger is about to be sent, what it answered, and each rollback's
    // outcome (rollbacks are one at a time, so this costs little). Other
    // transitions are queued (the journal keeps their order and commits them
    // in batches); after a crash, a step recorded as triggered is polled
    // again, which is safe.
    let done = if state.is_finished() {
        ctx.done.fetch_add(1, Ordering::SeqCst) + 1
    } else {
        ctx.done.load(Ordering::SeqCst)
    };
    // The failure's messages are committed with the failure.
    let mut writes = vec![write];
    if state == StepState::Failed {
        writes.extend(ctx.tell(NotifyEvent::StepFailed, |f| {
            f.step = Some(step.id.clone());
            f.wave = Some(wave);
            f.message = message.clone();
        }));
    }
    if provider_ref.is_some() || state.is_rollback() {
        ctx.journal.write_all(writes).await?;
    } else {
        ctx.journal.post_all(writes);
    }
    ctx.emit(RunEvent::Step {
        step: step.id.clone(),
        wave,
        state,
        message,
        done,
        total: ctx.total,
    });
    Ok(())
}

/// Records that the step is triggered, with the provider's reference as it
/// now stands (committed before the run goes on), and what happened to it.
async fn triggered(
    ctx: &Ctx,
    step: &Step,
    wave: u32,
    r: &Value,
    message: Option<String>,
) -> Result<()> {
    set_state(
        ctx,
        step,
        wave,
        StepState::Triggered,
        Some(r.clone()),
        None,
        message,
    )
    .await
}

/// Does the release roll back when a step or a check fails?
fn rolls_back_on_failure(ctx: &Ctx) -> bool {
    ctx.rb
        .rollback_triggers
        .iter()
        .any(|t| matches!(t, RollbackTrigger::VerifyFailed { .. }))
}

/// Runs the waves (unless the run is already stopping), then watches the
/// metric triggers for `watch`, then rolls back if a rollback trigger fired.
pub(crate) async fn run_waves(ctx: Arc<Ctx>, max_parallel: usize, watch: Duration) -> Result<()> {
    let sem = Arc::new(Semaphore::new(max_parallel.max(1)));
    for wave in &ctx.rb.waves {
        if ctx.stopped().is_none() {
            ctx.emit(RunEvent::Wave {
                number: wave.number,
                steps: wave.steps.len(),
            });
        }
        let mut tasks = tokio::task::JoinSet::new();
        for step in &wave.steps {
            let ctx = ctx.clone();
            let step = step.clone();
            let sem = sem.clone();
            let number = wave.number;
            let span = tracing::info_span!("step", step = %step.id, wave = number);
            tasks.spawn(async move { run_step(&ctx, &step, number, &sem).await }.instrument(span));
        }
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(r) => r?,
                Err(e) => {
                    ctx.request_stop(Stop {
                        reason: format!("internal error in a step: {e}"),
                        rollback: true,
                    });
                }
            }
        }
        if ctx.stopped().is_none() {
            if let Some(w) = ctx.tell(NotifyEvent::WaveDone, |f| f.wave = Some(wave.number)) {
                ctx.journal.post(w);
            }
        }
    }
    if ctx.stopped().is_none() && !watch.is_zero() {
        ctx.emit(RunEvent::Watch {
            seconds: watch.as_secs(),
        });
        let mut rx = ctx.stop.subscribe();
        let _ = tokio::time::timeout(watch, rx.wait_for(|s| s.is_some())).await;
    }
    Ok(())
}

/// Runs one step to its end; failures stop the run rather than return errors
/// (only a journal failure is an error).
async fn run_step(ctx: &Ctx, step: &Step, wave: u32, sem: &Semaphore) -> Result<()> {
    let prior = ctx
        .steps
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&step.id)
        .cloned()
        .unwrap_or_default();
    if prior.state.is_finished() {
        ctx.done.fetch_add(1, Ordering::SeqCst);
        return Ok(());
    }
    // Resumed while rolling back: the rollback phase deals with it.
    if prior.state.is_rollback() {
        return Ok(());
    }
    if prior.provider_ref.is_some() && ctx.stopped().is_some_and(|s| s.rollback) {
        return Ok(());
    }
    match step.action {
        StepAction::Manual => {
            let msg = format!("deployed by hand: {}", step.who_to_call());
            return set_state(ctx, step, wave, StepState::Manual, None, None, Some(msg)).await;
        }
        StepAction::Released => {
            return set_state(ctx, step, wave, StepState::Released, None, None, None).await;
        }
        StepAction::Deploy => {}
    }
    let _permit = sem.acquire().await.expect("semaphore open");
    let stop_rollback = |ctx: &Ctx| ctx.stopped().is_some_and(|s| s.rollback);
    if prior.provider_ref.is_none() && ctx.stopped().is_some() {
        return set_state(ctx, step, wave, StepState::Skipped, None, None, None).await;
    }
    let (Some(deploy), Some(endpoint)) = (
        step.deploy.as_ref(),
        step.deploy
            .as_ref()
            .and_then(|d| ctx.rb.endpoints.get(&d.endpoint)),
    ) else {
        return fail(
            ctx,
            step,
            wave,
            "the step's endpoint is not in the runbook".into(),
        )
        .await;
    };
    let t = Target {
        step,
        deploy,
        endpoint,
        run_id: &ctx.run_id,
    };

    // Trigger, once: a step with a reference was triggered before (resume).
    let mut r = match prior.provider_ref {
        Some(r) => {
            ctx.audit_event(Some(&step.id), "resumed: polling, not triggering again");
            set_state(
                ctx,
                step,
                wave,
                StepState::Triggered,
                None,
                None,
                Some("resumed: polling, not triggering again".into()),
            )
            .await?;
            r
        }
        None => {
            // What can be checked without a call is checked before the step
            // counts as triggered: the endpoint's URL and its secrets.
            let ready =
                super::http::check_url(&endpoint.base_url, endpoint.allow_http == Some(true))
                    .map_err(|e| e.to_string())
                    .and_then(|()| {
                        endpoint.secret_refs().try_for_each(|r| {
                            super::secret::resolve(r)
                                .map(|v| ctx.http.masker.remember(&v))
                                .map_err(|e| e.to_string())
                        })
                    });
            if let Err(e) = ready {
                return fail(ctx, step, wave, format!("not triggered: {e}")).await;
            }
            let prepared = match providers::prepare(ctx, &t).await {
                Ok(p) => p,
                Err(e) => return fail(ctx, step, wave, format!("not triggered: {e}")).await,
            };
            set_state(
                ctx,
                step,
                wave,
                StepState::Triggering,
                Some(prepared.clone()),
                None,
                None,
            )
            .await?;
            match providers::trigger(ctx, &t, prepared).await {
                Ok(r) => {
                    triggered(ctx, step, wave, &r, None).await?;
                    r
                }
                Err(e) => return fail(ctx, step, wave, format!("trigger failed: {e}")).await,
            }
        }
    };

    // Poll until done, failed or timed out; the first poll at once. What the
    // service says while it runs is reported when it changes.
    let (every, limit) = providers::timing(&t);
    let deadline = Instant::now() + limit;
    let mut stop_rx = ctx.stop.subscribe();
    let mut said = String::new();
    loop {
        let before = r.clone();
        let polled_at = Instant::now();
        let mut wait = every;
        match providers::poll(ctx, &t, &mut r).await {
            Ok(Poll::Succeeded) => break,
            Ok(Poll::Failed(m)) => return fail(ctx, step, wave, m).await,
            Err(e) => return fail(ctx, step, wave, e.to_string()).await,
            Ok(Poll::Running(m)) => said_changed(ctx, step, wave, &mut said, m).await?,
            Ok(Poll::Later(m, w)) => {
                wait = wait.max(w);
                said_changed(ctx, step, wave, &mut said, m).await?;
            }
        }
        if r != before {
            triggered(ctx, step, wave, &r, None).await?;
        }
        let now = Instant::now();
        if now >= deadline {
            cancel_remote(ctx, step, wave, &t, &mut r, "timed out").await?;
            let last = if said.is_empty() {
                String::new()
            } else {
                format!("; last: {said}")
            };
            return fail(
                ctx,
                step,
                wave,
                format!("not done after {} s (timeout){last}", limit.as_secs()),
            )
            .await;
        }
        // The next poll is `wait` after this one began.
        let nap = (polled_at + wait)
            .saturating_duration_since(now)
            .min(deadline - now);
        tokio::select! {
            _ = tokio::time::sleep(nap) => {}
            _ = stop_rx.wait_for(|s| s.as_ref().is_some_and(|s| s.rollback)) => {}
        }
        if stop_rollback(ctx) {
            cancel_remote(ctx, step, wave, &t, &mut r, "the run is rolling back").await?;
            let seq = ctx.next_completion();
            return set_state(
                ctx,
                step,
                wave,
                StepState::Interrupted,
                None,
                Some(seq),
                Some("stopped while deploying".into()),
            )
            .await;
        }
    }

    // Verification checks after success.
    if !deploy.verify.is_empty() {
        set_state(ctx, step, wave, StepState::Verifying, None, None, None).await?;
        for v in &deploy.verify {
            let req = match providers::verify_request(&ctx.rb, &deploy.endpoint, v) {
                Ok(req) => req,
                Err(name) => {
                    return fail(ctx, step, wave, format!("verify: unknown endpoint {name}")).await
                }
            };
            let want = v.expect_status();
            match ctx.call(Some(&step.id), &req).await {
                Ok(reply) if reply.status == want => {}
                Ok(reply) => {
                    return fail(
                        ctx,
                        step,
                        wave,
                        format!(
                            "verify failed: GET {} answered {}, expected {want}",
                            req.url, reply.status
                        ),
                    )
                    .await
                }
                Err(e) => {
                    return fail(
                        ctx,
                        step,
                        wave,
                        format!("verify failed: GET {}: {e}", req.url),
                    )
                    .await
                }
            }
        }
    }
    let seq = ctx.next_completion();
    set_state(ctx, step, wave, StepState::Succeeded, None, Some(seq), None).await
}

/// Marks a step failed and stops the run: a rollback when the release has a
/// `verify_failed` trigger, else a halt that needs a person.
async fn fail(ctx: &Ctx, step: &Step, wave: u32, message: String) -> Result<()> {
    let seq = ctx.next_completion();
    set_state(
        ctx,
        step,
        wave,
        StepState::Failed,
        None,
        Some(seq),
        Some(message.clone()),
    )
    .await?;
    ctx.request_stop(Stop {
        reason: format!("verify_failed: step {} failed: {message}", step.id),
        rollback: rolls_back_on_failure(ctx),
    });
    Ok(())
}

/// Reports what the service says about a running step, when it changed.
async fn said_changed(
    ctx: &Ctx,
    step: &Step,
    wave: u32,
    said: &mut String,
    now: String,
) -> Result<()> {
    if *said == now {
        return Ok(());
    }
    *said = now.clone();
    set_state(ctx, step, wave, StepState::Triggered, None, None, Some(now)).await
}

/// Cancels a step still running on its service (once: the reference
/// remembers it), records the outcome in the audit trail, and commits the
/// reference.
pub(crate) async fn cancel_remote(
    ctx: &Ctx,
    step: &Step,
    wave: u32,
    t: &Target<'_>,
    r: &mut Value,
    why: &str,
) -> Result<()> {
    if r.get("cancelled").is_some() {
        return Ok(());
    }
    let outcome = providers::cancel(ctx, t, r).await;
    let (note, done) = match &outcome {
        Cancel::Unsupported => return Ok(()),
        Cancel::Done(m) => (format!("{why}: cancelled on the service: {m}"), true),
        Cancel::Failed(m) => (
            format!(
                "{why}: the cancel on the service failed: {m}; call {}",
                step.who_to_call()
            ),
            false,
        ),
    };
    tracing::info!(step = %step.id, %note, "remote cancel");
    ctx.audit_event(Some(&step.id), &note);
    r["cancelled"] = Value::from(done);
    triggered(ctx, step, wave, r, Some(note)).await
}

/// Rolls back every triggered step, in reverse order of completion. Returns
/// true when every rollback succeeded.
pub(crate) async fn roll_back(ctx: &Ctx) -> Result<bool> {
    let mut todo: Vec<(String, StepMem)> = ctx
        .steps
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .filter(|(_, m)| {
            m.provider_ref.is_some()
                && !matches!(m.state, StepState::RolledBack | StepState::RollbackManual)
        })
        .map(|(k, m)| (k.clone(), m.clone()))
        .collect();
    // Latest completion first; a step with none (still in flight) before all.
    todo.sort_by_key(|(k, m)| {
        (
            std::cmp::Reverse(m.completed.unwrap_or(i64::MAX)),
            k.clone(),
        )
    });
    let mut all_ok = true;
    for (id, mem) in todo {
        let Some(step) = ctx.rb.step(&id).cloned() else {
            continue;
        };
        let wave = ctx
            .rb
            .waves
            .iter()
            .find(|w| w.steps.iter().any(|s| s.id == id))
            .map_or(0, |w| w.number);
        let (Some(deploy), Some(endpoint)) = (
            step.deploy.as_ref(),
            step.deploy
                .as_ref()
                .and_then(|d| ctx.rb.endpoints.get(&d.endpoint)),
        ) else {
            continue;
        };
        let t = Target {
            step: &step,
            deploy,
            endpoint,
            run_id: &ctx.run_id,
        };
        let mut r = mem.provider_ref.unwrap_or(Value::Null);
        // Still running on the service (a run resumed while rolling back):
        // cancelled first, or the rollback would race it.
        if matches!(mem.state, StepState::Triggering | StepState::Triggered) {
            cancel_remote(ctx, &step, wave, &t, &mut r, "rolling back").await?;
        }
        set_state(ctx, &step, wave, StepState::RollingBack, None, None, None).await?;
        match providers::rollback(ctx, &t, &r).await {
            Undo::Done => {
                set_state(ctx, &step, wave, StepState::RolledBack, None, None, None).await?
            }
            Undo::Failed(m) => {
                all_ok = false;
                let msg = format!("rollback failed: {m}; call {}", step.who_to_call());
                set_state(
                    ctx,
                    &step,
                    wave,
                    StepState::RollbackFailed,
                    None,
                    None,
                    Some(msg),
                )
                .await?
            }
            Undo::Manual => {
                all_ok = false;
                let msg = format!(
                    "no rollback action: roll it back by hand; call {}",
                    step.who_to_call()
                );
                set_state(
                    ctx,
                    &step,
                    wave,
                    StepState::RollbackManual,
                    None,
                    None,
                    Some(msg),
                )
                .await?
            }
        }
    }
    Ok(all_ok)
}
