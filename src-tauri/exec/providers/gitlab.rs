//! GitLab: `POST /api/v4/projects/:id/trigger/pipeline` with the form fields
//! `token` (the endpoint's secret), `ref` and `variables[KEY]` answers `201`
//! with the pipeline (`id`, `status`); then `GET
//! /api/v4/projects/:id/pipelines/:pipeline_id` (auth per the endpoint's
//! scheme) until `status` is `success`, or `failed` / `canceled` / `skipped`.

use super::{field, poll_error, Poll, StepError, Target};
use crate::exec::context::Ctx;
use crate::exec::http::{form_encode, Body, Request, Val};
use serde_json::{json, Value};

fn project(t: &Target<'_>) -> String {
    form_encode(t.endpoint.project_id.as_deref().unwrap_or(""))
}

fn trigger_request(t: &Target<'_>) -> Result<Request, StepError> {
    let auth = t.endpoint.auth.as_ref().ok_or_else(|| {
        StepError::Setup(
            "a GitLab endpoint needs auth: its secret is the pipeline trigger token".into(),
        )
    })?;
    let mut req = Request::to(
        t.endpoint,
        "POST",
        t.url(&format!("/api/v4/projects/{}/trigger/pipeline", project(t))),
    );
    // The trigger token travels in the form, not in a header.
    req.headers.clear();
    let mut form = vec![
        (
            "token".to_string(),
            Val::Secret {
                reference: auth.secret.clone(),
                prefix: String::new(),
            },
        ),
        (
            "ref".to_string(),
            Val::Plain(t.deploy.git_ref.clone().unwrap_or_default()),
        ),
    ];
    for (k, v) in t.deploy.variables.iter().flatten() {
        form.push((format!("variables[{k}]"), Val::Plain(v.clone())));
    }
    req.body = Body::Form(form);
    Ok(req.header("Idempotency-Key", &t.key()))
}

fn pipeline_request(t: &Target<'_>, id: &str) -> Request {
    Request::to(
        t.endpoint,
        "GET",
        t.url(&format!("/api/v4/projects/{}/pipelines/{id}", project(t))),
    )
}

pub(super) async fn trigger(ctx: &Ctx, t: &Target<'_>) -> Result<Value, StepError> {
    let reply = ctx.call(Some(&t.step.id), &trigger_request(t)?).await?;
    if !reply.ok() {
        return Err(StepError::Answer(format!(
            "the pipeline trigger answered {}",
            reply.status
        )));
    }
    let v = reply.json().map_err(StepError::Answer)?;
    let id = v
        .get("id")
        .and_then(Value::as_u64)
        .ok_or_else(|| StepError::Answer("the trigger answer has no pipeline id".into()))?;
    Ok(json!({ "pipeline_id": id, "web_url": v.get("web_url").cloned().unwrap_or(Value::Null) }))
}

pub(super) async fn poll(ctx: &Ctx, t: &Target<'_>, r: &mut Value) -> Result<Poll, StepError> {
    let id = r
        .get("pipeline_id")
        .and_then(Value::as_u64)
        .ok_or_else(|| {
            StepError::Answer(
                "the pipeline's id was not recorded: check the pipelines on GitLab".into(),
            )
        })?;
    let reply = match ctx
        .call(Some(&t.step.id), &pipeline_request(t, &id.to_string()))
        .await
    {
        Ok(r) => r,
        Err(e) if e.retry => return poll_error(None, "the pipeline"),
        Err(e) => return Err(StepError::Call(e)),
    };
    if !reply.ok() {
        return poll_error(Some(reply.status), "the pipeline");
    }
    let status = field(&reply.json().map_err(StepError::Answer)?, "status").unwrap_or_default();
    match status.as_str() {
        "success" => Ok(Poll::Succeeded),
        "failed" | "canceled" | "skipped" => Ok(Poll::Failed(format!("pipeline {id} is {status}"))),
        _ => Ok(Poll::Running(format!("pipeline {id} is {status}"))),
    }
}

pub(super) fn planned(t: &Target<'_>) -> Vec<(&'static str, Request)> {
    let mut out = Vec::new();
    if let Ok(r) = trigger_request(t) {
        out.push(("trigger", r));
    }
    out.push(("status", pipeline_request(t, "{pipeline_id}")));
    out
}
