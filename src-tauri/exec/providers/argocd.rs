//! Argo CD, per its REST API (`assets/swagger.json`) and what `argocd app
//! wait` waits for:
//!
//! - prepare: `GET /api/v1/applications/{app}` notes the last deployment in
//!   `status.history` (its `id` is what a rollback returns to) and the start of
//!   the last operation. An application with `spec.syncPolicy.automated`
//!   refuses a sync to a `revision` and any rollback: such a step is refused
//!   (at pre-flight too) unless its deploy section has a `rollback` action.
//! - trigger: `POST /api/v1/applications/{app}/sync` (`revision` when given).
//! - poll: `GET` the application until the sync is over and the controller
//!   has seen its result: the operation is ours (a new `startedAt`) and
//!   finished (`finishedAt`, no `operation` in progress, phase not `Running`
//!   or `Terminating`), `status.reconciledAt` is not before `finishedAt`,
//!   `status.sync.status` is `Synced` and `status.health.status` is
//!   `Healthy`. Until the controller reconciles, the health shown is the old
//!   one. `Failed`/`Error`, or `Degraded` once reconciled: failed.
//! - cancel: `DELETE /api/v1/applications/{app}/operation` (terminate).
//! - rollback: `POST /api/v1/applications/{app}/rollback` `{"id": <that
//!   history id>}`, itself an operation: awaited until it has finished.

use super::{field, poll_call, poll_refused, with_said, Poll, StepError, Target, Undo};
use crate::exec::context::Ctx;
use crate::exec::http::{form_encode, Request};
use serde_json::{json, Value};
use std::time::Duration;

fn app_name<'a>(d: &'a crate::plan::Deploy, e: &'a crate::plan::Endpoint) -> &'a str {
    d.app.as_deref().or(e.app.as_deref()).unwrap_or("")
}

fn app(t: &Target<'_>) -> String {
    form_encode(app_name(t.deploy, t.endpoint))
}

fn app_request(t: &Target<'_>) -> Request {
    Request::to(
        t.endpoint,
        "GET",
        t.url(&format!("/api/v1/applications/{}", app(t))),
    )
}

fn sync_request(t: &Target<'_>) -> Request {
    let mut body = json!({ "prune": false, "dryRun": false });
    if let Some(r) = &t.deploy.revision {
        body["revision"] = Value::from(r.clone());
    }
    Request::to(
        t.endpoint,
        "POST",
        t.url(&format!("/api/v1/applications/{}/sync", app(t))),
    )
    .header("Idempotency-Key", &t.key())
    .json(body)
}

fn terminate_request(t: &Target<'_>) -> Request {
    Request::to(
        t.endpoint,
        "DELETE",
        t.url(&format!("/api/v1/applications/{}/operation", app(t))),
    )
}

pub(super) fn rollback_request(t: &Target<'_>, id: &str) -> Request {
    let id_value = id
        .parse::<i64>()
        .map(Value::from)
        .unwrap_or_else(|_| Value::from(id));
    Request::to(
        t.endpoint,
        "POST",
        t.url(&format!("/api/v1/applications/{}/rollback", app(t))),
    )
    .header("Idempotency-Key", &format!("{}:rollback", t.key()))
    .json(json!({ "id": id_value, "prune": false, "dryRun": false }))
}

/// Why Argo CD would refuse this step, given its application: auto-sync
/// refuses a sync to a revision, and a rollback (unless the deploy section
/// rolls back its own way).
pub(crate) fn auto_sync_refusal(
    app: &Value,
    d: &crate::plan::Deploy,
    e: &crate::plan::Endpoint,
) -> Option<String> {
    // Argo CD's own test: `automated` set and not `enabled: false`.
    let automated = app
        .pointer("/spec/syncPolicy/automated")
        .is_some_and(|a| a.is_object() && a.get("enabled") != Some(&Value::Bool(false)));
    if !automated {
        return None;
    }
    let name = app_name(d, e);
    let target = field(app, "spec.source.targetRevision").unwrap_or_else(|| "HEAD".into());
    if let Some(r) = d.revision.as_ref().filter(|r| **r != target) {
        return Some(format!(
            "Argo CD application {name} has auto-sync on (spec.syncPolicy.automated), and Argo CD refuses a sync to a revision ({r}) other than its target ({target}) then: turn auto-sync off, or deploy without a revision"
        ));
    }
    if d.rollback.is_none() {
        return Some(format!(
            "Argo CD application {name} has auto-sync on (spec.syncPolicy.automated), and Argo CD refuses a rollback then: turn auto-sync off, or give the deploy section a rollback action"
        ));
    }
    None
}

/// Pre-flight: reads the application the step deploys and says why Argo CD
/// would refuse the step (`None`: it would not).
pub(super) async fn preflight(
    http: &crate::exec::http::Http,
    d: &crate::plan::Deploy,
    e: &crate::plan::Endpoint,
) -> Option<String> {
    let name = app_name(d, e);
    let req = Request::to(
        e,
        "GET",
        e.url(&format!("/api/v1/applications/{}", form_encode(name))),
    );
    match http.send(&req).await {
        Ok(reply) if reply.ok() => match reply.json() {
            Ok(v) => auto_sync_refusal(&v, d, e),
            Err(m) => Some(format!("Argo CD application {name}: {m}")),
        },
        Ok(reply) => Some(with_said(
            format!("Argo CD application {name} answered {}", reply.status),
            &reply,
        )),
        Err(f) => Some(format!("Argo CD application {name}: {f}")),
    }
}

pub(super) async fn prepare(ctx: &Ctx, t: &Target<'_>) -> Result<Value, StepError> {
    let before = ctx.call(Some(&t.step.id), &app_request(t)).await?;
    if !before.ok() {
        return Err(StepError::Answer(with_said(
            format!("the application answered {}", before.status),
            &before,
        )));
    }
    let v = before.json().map_err(StepError::Answer)?;
    if let Some(m) = auto_sync_refusal(&v, t.deploy, t.endpoint) {
        return Err(StepError::Setup(m));
    }
    let previous = v
        .pointer("/status/history")
        .and_then(Value::as_array)
        .and_then(|h| h.last())
        .and_then(|e| e.get("id"))
        .and_then(Value::as_i64);
    Ok(json!({
        "previous_id": previous,
        "previous_started": field(&v, "status.operationState.startedAt"),
    }))
}

pub(super) async fn trigger(
    ctx: &Ctx,
    t: &Target<'_>,
    prepared: Value,
) -> Result<Value, StepError> {
    let reply = ctx.call(Some(&t.step.id), &sync_request(t)).await?;
    if !reply.ok() {
        return Err(StepError::Answer(with_said(
            format!("the sync answered {}", reply.status),
            &reply,
        )));
    }
    Ok(prepared)
}

/// Reads the application once.
async fn read(ctx: &Ctx, t: &Target<'_>) -> Result<Result<Value, Poll>, StepError> {
    let reply = match poll_call(ctx, t, &app_request(t), "the application").await? {
        Ok(r) => r,
        Err(p) => return Ok(Err(p)),
    };
    if !reply.ok() {
        return poll_refused(&reply, "the application").map(Err);
    }
    Ok(Ok(reply.json().map_err(StepError::Answer)?))
}

fn time(v: &Value, path: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc3339(&field(v, path)?).ok()
}

/// Where the operation started after `before` stands: `Err` while it runs.
fn operation_end(v: &Value, before: Option<&str>, what: &str) -> Result<Poll, Poll> {
    let started = field(v, "status.operationState.startedAt");
    if started.is_none() || started.as_deref() == before {
        return Err(Poll::Running(format!("waiting for the {what} to start")));
    }
    let phase = field(v, "status.operationState.phase").unwrap_or_default();
    let message = field(v, "status.operationState.message").unwrap_or_default();
    if matches!(phase.as_str(), "Failed" | "Error") {
        return Ok(Poll::Failed(format!("{what} {phase}: {message}")));
    }
    let in_progress = v.get("operation").is_some_and(|o| !o.is_null());
    let finished = field(v, "status.operationState.finishedAt").is_some();
    if in_progress || !finished || matches!(phase.as_str(), "Running" | "Terminating" | "") {
        return Err(Poll::Running(format!("{what} {}", phase_or(&phase))));
    }
    Ok(Poll::Succeeded)
}

fn phase_or(phase: &str) -> &str {
    if phase.is_empty() {
        "requested"
    } else {
        phase
    }
}

pub(super) async fn poll(ctx: &Ctx, t: &Target<'_>, r: &mut Value) -> Result<Poll, StepError> {
    let v = match read(ctx, t).await? {
        Ok(v) => v,
        Err(p) => return Ok(p),
    };
    let before = r.get("previous_started").and_then(Value::as_str);
    match operation_end(&v, before, "sync") {
        Err(p) => return Ok(p),
        Ok(Poll::Succeeded) => {}
        Ok(other) => return Ok(other),
    }
    let health = field(&v, "status.health.status").unwrap_or_default();
    let sync = field(&v, "status.sync.status").unwrap_or_default();
    let reconciled = match (
        time(&v, "status.reconciledAt"),
        time(&v, "status.operationState.finishedAt"),
    ) {
        (Some(rec), Some(fin)) => rec >= fin,
        _ => false,
    };
    if !reconciled {
        return Ok(Poll::Running(format!(
            "synced; waiting for Argo CD to reconcile the application (its health, {health}, is from before the sync)"
        )));
    }
    Ok(match (sync.as_str(), health.as_str()) {
        ("Synced", "Healthy") => Poll::Succeeded,
        (_, "Degraded") => Poll::Failed("synced, but the application is Degraded".into()),
        _ => Poll::Running(format!("synced; the application is {sync}, {health}")),
    })
}

/// Terminates the running operation: `Ok(None)` when none was running.
pub(super) async fn cancel(ctx: &Ctx, t: &Target<'_>) -> Result<Option<String>, StepError> {
    let reply = ctx.call(Some(&t.step.id), &terminate_request(t)).await?;
    if reply.ok() {
        return Ok(Some(format!(
            "the operation on {} was terminated",
            app_name(t.deploy, t.endpoint)
        )));
    }
    let said = super::said(&reply).unwrap_or_default();
    if said.to_ascii_lowercase().contains("no operation") {
        return Ok(None);
    }
    Err(StepError::Answer(with_said(
        format!("terminating the operation answered {}", reply.status),
        &reply,
    )))
}

pub(super) async fn rollback(ctx: &Ctx, t: &Target<'_>, r: &Value) -> Undo {
    let Some(id) = r.get("previous_id").and_then(Value::as_i64) else {
        return Undo::Manual;
    };
    // The rollback is an operation of its own: note where the last one stands.
    let before = match read(ctx, t).await {
        Ok(Ok(v)) => field(&v, "status.operationState.startedAt"),
        Ok(Err(p)) => return Undo::Failed(format!("the application: {p:?}")),
        Err(e) => return Undo::Failed(e.to_string()),
    };
    match ctx
        .call(Some(&t.step.id), &rollback_request(t, &id.to_string()))
        .await
    {
        Ok(reply) if reply.ok() => {}
        Ok(reply) => {
            return Undo::Failed(with_said(
                format!("the Argo CD rollback answered {}", reply.status),
                &reply,
            ))
        }
        Err(e) => return Undo::Failed(e.message),
    }
    let (every, limit) = super::timing(t);
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        match read(ctx, t).await {
            Ok(Ok(v)) => match operation_end(&v, before.as_deref(), "rollback") {
                Ok(Poll::Succeeded) => return Undo::Done,
                Ok(Poll::Failed(m)) => return Undo::Failed(m),
                Ok(_) | Err(_) => {}
            },
            Ok(Err(_)) => {}
            Err(e) => return Undo::Failed(e.to_string()),
        }
        if tokio::time::Instant::now() + every > deadline {
            return Undo::Failed(format!(
                "the rollback to deployment {id} did not finish in {} s",
                limit.as_secs()
            ));
        }
        tokio::time::sleep(every.min(Duration::from_secs(5))).await;
    }
}

pub(super) fn planned(t: &Target<'_>) -> Vec<(&'static str, Request)> {
    vec![
        ("history", app_request(t)),
        ("trigger", sync_request(t)),
        ("status", app_request(t)),
        ("cancel (on a timeout or an abort)", terminate_request(t)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finished_sync_counts_only_once_reconciled_synced_and_healthy() {
        let app = |op: Value, rec: &str, sync: &str, health: &str, in_progress: bool| {
            let mut v = json!({"status": {"operationState": op, "reconciledAt": rec,
                "sync": {"status": sync}, "health": {"status": health}}});
            if in_progress {
                v["operation"] = json!({"sync": {}});
            }
            v
        };
        let done = json!({"phase": "Succeeded", "startedAt": "2025-03-01T09:00:00Z",
            "finishedAt": "2025-03-01T09:01:00Z"});
        let running = json!({"phase": "Running", "startedAt": "2025-03-01T09:00:00Z"});
        let before = Some("2025-02-01T09:00:00Z");
        // Still running.
        let v = app(
            running,
            "2025-03-01T08:00:00Z",
            "OutOfSync",
            "Healthy",
            true,
        );
        assert!(operation_end(&v, before, "sync").is_err());
        // Finished, not reconciled: the old health is not believed.
        let v = app(
            done.clone(),
            "2025-03-01T08:59:00Z",
            "OutOfSync",
            "Healthy",
            false,
        );
        assert_eq!(operation_end(&v, before, "sync"), Ok(Poll::Succeeded));
        // The same operation as before the sync is not ours.
        assert!(operation_end(&v, Some("2025-03-01T09:00:00Z"), "sync").is_err());
    }
}
