//! Argo CD: before syncing, `GET /api/v1/applications/{app}` notes the last
//! deployment in `status.history` (its `id` is what a rollback returns to);
//! `POST /api/v1/applications/{app}/sync` (`revision` when given); then
//! `GET` the application until `status.operationState.phase` is `Succeeded`
//! and `status.health.status` is `Healthy` (`Failed`/`Error` phase or a
//! `Degraded` app after the sync: failure). Rollback: `POST
//! /api/v1/applications/{app}/rollback` with `{"id": <that history id>}`.

use super::{field, poll_error, Poll, StepError, Target, Undo};
use crate::exec::context::Ctx;
use crate::exec::http::{form_encode, Request};
use serde_json::{json, Value};

fn app(t: &Target<'_>) -> String {
    form_encode(
        t.deploy
            .app
            .as_deref()
            .or(t.endpoint.app.as_deref())
            .unwrap_or(""),
    )
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
    .json(json!({ "id": id_value, "prune": false }))
}

pub(super) async fn prepare(ctx: &Ctx, t: &Target<'_>) -> Result<Value, StepError> {
    let before = ctx.call(Some(&t.step.id), &app_request(t)).await?;
    if !before.ok() {
        return Err(StepError::Answer(format!(
            "the application answered {}",
            before.status
        )));
    }
    let previous = before
        .json()
        .map_err(StepError::Answer)?
        .pointer("/status/history")
        .and_then(Value::as_array)
        .and_then(|h| h.last())
        .and_then(|e| e.get("id"))
        .and_then(Value::as_i64);
    Ok(json!({ "previous_id": previous }))
}

pub(super) async fn trigger(
    ctx: &Ctx,
    t: &Target<'_>,
    prepared: Value,
) -> Result<Value, StepError> {
    let reply = ctx.call(Some(&t.step.id), &sync_request(t)).await?;
    if !reply.ok() {
        return Err(StepError::Answer(format!(
            "the sync answered {}",
            reply.status
        )));
    }
    Ok(prepared)
}

pub(super) async fn poll(ctx: &Ctx, t: &Target<'_>) -> Result<Poll, StepError> {
    let reply = match ctx.call(Some(&t.step.id), &app_request(t)).await {
        Ok(r) => r,
        Err(e) if e.retry => return poll_error(None, "the application"),
        Err(e) => return Err(StepError::Call(e)),
    };
    if !reply.ok() {
        return poll_error(Some(reply.status), "the application");
    }
    let v = reply.json().map_err(StepError::Answer)?;
    let phase = field(&v, "status.operationState.phase").unwrap_or_default();
    let health = field(&v, "status.health.status").unwrap_or_default();
    Ok(match (phase.as_str(), health.as_str()) {
        ("Succeeded", "Healthy") => Poll::Succeeded,
        ("Failed" | "Error", _) => Poll::Failed(format!(
            "sync {phase}: {}",
            field(&v, "status.operationState.message").unwrap_or_default()
        )),
        ("Succeeded", "Degraded") => Poll::Failed("synced, but the application is Degraded".into()),
        _ => Poll::Running(format!("sync {phase}, health {health}")),
    })
}

pub(super) async fn rollback(ctx: &Ctx, t: &Target<'_>, r: &Value) -> Undo {
    let Some(id) = r.get("previous_id").and_then(Value::as_i64) else {
        return Undo::Manual;
    };
    match ctx
        .call(Some(&t.step.id), &rollback_request(t, &id.to_string()))
        .await
    {
        Ok(reply) if reply.ok() => Undo::Done,
        Ok(reply) => Undo::Failed(format!("the Argo CD rollback answered {}", reply.status)),
        Err(e) => Undo::Failed(e.message),
    }
}

pub(super) fn planned(t: &Target<'_>) -> Vec<(&'static str, Request)> {
    vec![
        ("history", app_request(t)),
        ("trigger", sync_request(t)),
        ("status", app_request(t)),
    ]
}
