//! The generic webhook: `trigger` sent to `base_url + path` with its body as
//! JSON; `status` polled with GET until `field` is a `success` or `failure`
//! value; without `status`, an accepted trigger is done.

use super::{field, poll_call, poll_error, Poll, StepError, Target};
use crate::exec::context::Ctx;
use crate::exec::http::Request;
use serde_json::{json, Value};

fn trigger_request(t: &Target<'_>) -> Result<Request, StepError> {
    let tr = t
        .deploy
        .trigger
        .as_ref()
        .ok_or_else(|| StepError::Setup("a webhook deploy needs a trigger".into()))?;
    let mut req = Request::to(t.endpoint, tr.method.as_str(), t.url(&tr.path))
        .header("Idempotency-Key", &t.key());
    if let Some(b) = &tr.body {
        req = req.json(b.clone());
    }
    Ok(req)
}

fn status_request(t: &Target<'_>) -> Option<Request> {
    let s = t.deploy.status.as_ref()?;
    Some(Request::to(t.endpoint, "GET", t.url(&s.path)).header("Accept", "application/json"))
}

pub(super) async fn trigger(ctx: &Ctx, t: &Target<'_>) -> Result<Value, StepError> {
    let req = trigger_request(t)?;
    let reply = ctx.call(Some(&t.step.id), &req).await?;
    if !reply.ok() {
        return Err(StepError::Answer(format!(
            "the trigger answered {}",
            reply.status
        )));
    }
    Ok(json!({}))
}

pub(super) async fn poll(ctx: &Ctx, t: &Target<'_>) -> Result<Poll, StepError> {
    let (Some(s), Some(req)) = (t.deploy.status.as_ref(), status_request(t)) else {
        return Ok(Poll::Succeeded);
    };
    let reply = match poll_call(ctx, t, &req, "the status").await? {
        Ok(r) => r,
        Err(p) => return Ok(p),
    };
    if !reply.ok() {
        return poll_error(Some(reply.status), "the status");
    }
    let v = reply.json().map_err(StepError::Answer)?;
    let state = field(&v, &s.field);
    match state {
        Some(x) if s.success.contains(&x) => Ok(Poll::Succeeded),
        Some(x) if s.failure.contains(&x) => Err(StepError::Answer(format!("{} is {x}", s.field))),
        Some(x) => Ok(Poll::Running(format!("{} is {x}", s.field))),
        None => Ok(Poll::Running(format!("no {} in the answer yet", s.field))),
    }
}

pub(super) fn planned(t: &Target<'_>) -> Vec<(&'static str, Request)> {
    let mut out = Vec::new();
    if let Ok(r) = trigger_request(t) {
        out.push(("trigger", r));
    }
    if let Some(r) = status_request(t) {
        out.push(("status", r));
    }
    out
}
