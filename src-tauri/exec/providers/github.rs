//! GitHub Actions: `POST /repos/{repo}/actions/workflows/{workflow}/dispatches`
//! with `return_run_details: true` answers `200 {workflow_run_id, run_url,
//! html_url}`; then `GET /repos/{repo}/actions/runs/{id}` until `status` is
//! `completed`, success when `conclusion` is `success`.

use super::{field, poll_error, Poll, StepError, Target};
use crate::exec::context::Ctx;
use crate::exec::http::Request;
use serde_json::{json, Value};

fn api(t: &Target<'_>, method: &'static str, path: &str) -> Request {
    Request::to(t.endpoint, method, t.url(path))
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", "2022-11-28")
}

fn repo<'a>(t: &'a Target<'_>) -> &'a str {
    t.endpoint.repo.as_deref().unwrap_or("")
}

fn dispatch_request(t: &Target<'_>) -> Request {
    let workflow = t.deploy.workflow.as_deref().unwrap_or("");
    let body = json!({
        "ref": t.deploy.git_ref.as_deref().unwrap_or("main"),
        "inputs": t.deploy.inputs.clone().unwrap_or_default(),
        "return_run_details": true,
    });
    api(
        t,
        "POST",
        &format!("/repos/{}/actions/workflows/{workflow}/dispatches", repo(t)),
    )
    .header("Idempotency-Key", &t.key())
    .json(body)
}

fn run_request(t: &Target<'_>, id: &str) -> Request {
    api(t, "GET", &format!("/repos/{}/actions/runs/{id}", repo(t)))
}

pub(super) async fn trigger(ctx: &Ctx, t: &Target<'_>) -> Result<Value, StepError> {
    let reply = ctx.call(Some(&t.step.id), &dispatch_request(t)).await?;
    if reply.status == 204 {
        return Err(StepError::Answer(
            "GitHub accepted the dispatch but returned no run details (return_run_details unsupported): cannot follow the run"
                .into(),
        ));
    }
    if !reply.ok() {
        return Err(StepError::Answer(format!(
            "the workflow dispatch answered {}",
            reply.status
        )));
    }
    let v = reply.json().map_err(StepError::Answer)?;
    let id = v
        .get("workflow_run_id")
        .and_then(Value::as_u64)
        .ok_or_else(|| StepError::Answer("the dispatch answer has no workflow_run_id".into()))?;
    Ok(
        json!({ "workflow_run_id": id, "html_url": v.get("html_url").cloned().unwrap_or(Value::Null) }),
    )
}

pub(super) async fn poll(ctx: &Ctx, t: &Target<'_>, r: &mut Value) -> Result<Poll, StepError> {
    let id = r
        .get("workflow_run_id")
        .and_then(Value::as_u64)
        .ok_or_else(|| {
            StepError::Answer(
                "the workflow run's id was not recorded: check the run on GitHub".into(),
            )
        })?;
    let reply = match ctx
        .call(Some(&t.step.id), &run_request(t, &id.to_string()))
        .await
    {
        Ok(r) => r,
        Err(e) if e.retry => return poll_error(None, "the workflow run"),
        Err(e) => return Err(StepError::Call(e)),
    };
    if !reply.ok() {
        return poll_error(Some(reply.status), "the workflow run");
    }
    let v = reply.json().map_err(StepError::Answer)?;
    let status = field(&v, "status").unwrap_or_default();
    if status != "completed" {
        return Ok(Poll::Running(format!("workflow run {id} is {status}")));
    }
    match field(&v, "conclusion").as_deref() {
        Some("success") => Ok(Poll::Succeeded),
        other => Ok(Poll::Failed(format!(
            "workflow run {id} concluded {}",
            other.unwrap_or("without a conclusion")
        ))),
    }
}

pub(super) fn planned(t: &Target<'_>) -> Vec<(&'static str, Request)> {
    vec![
        ("trigger", dispatch_request(t)),
        ("status", run_request(t, "{workflow_run_id}")),
    ]
}
