//! GitLab, per doc/api/pipeline_triggers.md and doc/api/pipelines.md. Two
//! kinds of secret exist and neither does the other's job: a pipeline
//! trigger token only starts pipelines; an access token (personal, project
//! or group) reads them.
//!
//! - trigger, with the endpoint's `trigger_token`: `POST
//!   /api/v4/projects/:id/trigger/pipeline`, form `token`, `ref`,
//!   `variables[KEY]`, no other credential; without it: `POST
//!   /api/v4/projects/:id/pipeline` `{ref, variables: [{key, value}]}` with
//!   the endpoint's `auth` (an access token with `api`). Both answer `201`
//!   with the pipeline.
//! - poll: `GET /api/v4/projects/:id/pipelines/:pipeline_id` with `auth`
//!   (`read_api` is enough) until `status` is `success`; `failed`,
//!   `canceled`, `skipped` fail; `created`, `waiting_for_resource`,
//!   `preparing`, `pending`, `running`, `canceling` run on; `manual` (a job
//!   waits for someone to start it) and `scheduled` (a delayed job) are
//!   reported with the pipeline's page until the step's deadline.
//! - cancel: `POST /api/v4/projects/:id/pipelines/:pipeline_id/cancel`
//!   (`api` scope).

use super::{field, poll_call, poll_refused, with_said, Poll, StepError, Target};
use crate::exec::context::Ctx;
use crate::exec::http::{form_encode, Body, Request, Val};
use serde_json::{json, Value};

fn project(t: &Target<'_>) -> String {
    form_encode(t.endpoint.project_id.as_deref().unwrap_or(""))
}

/// Every call but the trigger-token one needs the access token (`auth`).
fn need_access_token(t: &Target<'_>) -> Result<(), StepError> {
    match t.endpoint.auth {
        Some(_) => Ok(()),
        None => Err(StepError::Setup(
            "a GitLab endpoint needs auth: an access token (read_api with a trigger_token, else api)"
                .into(),
        )),
    }
}

fn api(t: &Target<'_>, method: &'static str, path: &str) -> Result<Request, StepError> {
    need_access_token(t)?;
    Ok(Request::to(
        t.endpoint,
        method,
        t.url(&format!("/api/v4/projects/{}{path}", project(t))),
    ))
}

fn trigger_request(t: &Target<'_>) -> Result<Request, StepError> {
    let git_ref = t.deploy.git_ref.clone().unwrap_or_default();
    let Some(token) = &t.endpoint.trigger_token else {
        // The pipeline API, with the access token.
        let variables: Vec<Value> = t
            .deploy
            .variables
            .iter()
            .flatten()
            .map(|(k, v)| json!({ "key": k, "value": v }))
            .collect();
        return Ok(api(t, "POST", "/pipeline")?
            .header("Idempotency-Key", &t.key())
            .json(json!({ "ref": git_ref, "variables": variables })));
    };
    let mut req = Request::to(
        t.endpoint,
        "POST",
        t.url(&format!("/api/v4/projects/{}/trigger/pipeline", project(t))),
    );
    // The trigger token travels in the form, and only it.
    req.headers.clear();
    let mut form = vec![
        (
            "token".to_string(),
            Val::Secret {
                reference: token.clone(),
                prefix: String::new(),
            },
        ),
        ("ref".to_string(), Val::Plain(git_ref)),
    ];
    for (k, v) in t.deploy.variables.iter().flatten() {
        form.push((format!("variables[{k}]"), Val::Plain(v.clone())));
    }
    req.body = Body::Form(form);
    Ok(req.header("Idempotency-Key", &t.key()))
}

fn pipeline_request(t: &Target<'_>, id: &str) -> Result<Request, StepError> {
    api(t, "GET", &format!("/pipelines/{id}"))
}

fn cancel_request(t: &Target<'_>, id: &str) -> Result<Request, StepError> {
    api(t, "POST", &format!("/pipelines/{id}/cancel"))
}

pub(super) async fn trigger(ctx: &Ctx, t: &Target<'_>) -> Result<Value, StepError> {
    // Nothing starts that could not be read.
    need_access_token(t)?;
    let reply = ctx.call(Some(&t.step.id), &trigger_request(t)?).await?;
    if !reply.ok() {
        let what = if t.endpoint.trigger_token.is_some() {
            "the pipeline trigger"
        } else {
            "the pipeline creation"
        };
        return Err(StepError::Answer(with_said(
            format!("{what} answered {}", reply.status),
            &reply,
        )));
    }
    let v = reply.json().map_err(StepError::Answer)?;
    let id = v
        .get("id")
        .and_then(Value::as_u64)
        .ok_or_else(|| StepError::Answer("the answer has no pipeline id".into()))?;
    Ok(json!({ "pipeline_id": id, "web_url": v.get("web_url").cloned().unwrap_or(Value::Null) }))
}

fn pipeline_id(r: &Value) -> Result<u64, StepError> {
    r.get("pipeline_id").and_then(Value::as_u64).ok_or_else(|| {
        StepError::Answer(
            "the pipeline's id was not recorded: check the pipelines on GitLab".into(),
        )
    })
}

pub(super) async fn poll(ctx: &Ctx, t: &Target<'_>, r: &mut Value) -> Result<Poll, StepError> {
    let id = pipeline_id(r)?;
    let req = pipeline_request(t, &id.to_string())?;
    let reply = match poll_call(ctx, t, &req, "the pipeline").await? {
        Ok(r) => r,
        Err(p) => return Ok(p),
    };
    if !reply.ok() {
        return poll_refused(&reply, "the pipeline");
    }
    let v = reply.json().map_err(StepError::Answer)?;
    let status = field(&v, "status").unwrap_or_default();
    let page = field(&v, "web_url")
        .or_else(|| r.get("web_url").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_default();
    Ok(match status.as_str() {
        "success" => Poll::Succeeded,
        "failed" | "canceled" | "skipped" => Poll::Failed(format!("pipeline {id} is {status}")),
        "manual" => Poll::Running(format!(
            "pipeline {id} waits for a manual job: start it at {page}"
        )),
        "scheduled" => Poll::Running(format!(
            "pipeline {id} waits for a delayed (scheduled) job: {page}"
        )),
        _ => Poll::Running(format!("pipeline {id} is {status}")),
    })
}

/// Cancels the pipeline: `Ok(Some(what))` when GitLab accepted it.
pub(super) async fn cancel(
    ctx: &Ctx,
    t: &Target<'_>,
    r: &mut Value,
) -> Result<Option<String>, StepError> {
    let id = pipeline_id(r)?;
    let reply = ctx
        .call(Some(&t.step.id), &cancel_request(t, &id.to_string())?)
        .await?;
    if !reply.ok() {
        return Err(StepError::Answer(with_said(
            format!("cancelling pipeline {id} answered {}", reply.status),
            &reply,
        )));
    }
    Ok(Some(format!("pipeline {id} cancel requested")))
}

pub(super) fn planned(t: &Target<'_>) -> Vec<(&'static str, Request)> {
    let mut out = Vec::new();
    if let Ok(r) = trigger_request(t) {
        out.push(("trigger", r));
    }
    if let Ok(r) = pipeline_request(t, "{pipeline_id}") {
        out.push(("status", r));
    }
    if let Ok(r) = cancel_request(t, "{pipeline_id}") {
        out.push(("cancel (on a timeout or an abort)", r));
    }
    out
}
