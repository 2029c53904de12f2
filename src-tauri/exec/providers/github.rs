//! GitHub Actions, per github/rest-api-description:
//!
//! - trigger: `POST /repos/{repo}/actions/workflows/{workflow}/dispatches`
//!   `{ref, inputs, return_run_details: true}`. github.com answers `200
//!   {workflow_run_id, run_url, html_url}`; GitHub Enterprise Server (and any
//!   API without run details) answers `204` and no id. Then the run is found
//!   among `GET .../workflows/{workflow}/runs?event=workflow_dispatch&branch=
//!   {ref}&created=>={dispatch time}`: by the step's key in its title when the
//!   deploy names a `correlation_input` (the workflow's `run-name` shows it),
//!   else as the one run created since the dispatch (two such runs: the step
//!   fails rather than follow the wrong one).
//! - poll: `GET /repos/{repo}/actions/runs/{id}` until `status` is
//!   `completed`; success when `conclusion` is `success`. `queued`,
//!   `requested`, `pending`, `in_progress` run on; `waiting` (a deployment
//!   review) is reported with the run's page.
//! - cancel: `POST /repos/{repo}/actions/runs/{id}/cancel` (`202`; `409` when
//!   it already completed).
//! - rate limits: a `429`, or a `403` with `retry-after` or
//!   `x-ratelimit-remaining: 0`, is waited out (the dispatch is sent again:
//!   a limited request did nothing); polls are spaced so that the remaining
//!   requests last until `x-ratelimit-reset`.

use super::{
    budget_wait, field, poll_call, poll_refused, rate_limited, server_time, with_said, Poll,
    StepError, Target,
};
use crate::exec::context::Ctx;
use crate::exec::http::{form_encode, Request};
use serde_json::{json, Value};
use std::time::Duration;

/// How many times a rate-limited dispatch is sent again.
const DISPATCH_TRIES: u32 = 5;
/// The longest wait for a rate limit before a dispatch is given up.
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);

fn api(t: &Target<'_>, method: &'static str, path: &str) -> Request {
    Request::to(t.endpoint, method, t.url(path))
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", "2022-11-28")
}

fn repo<'a>(t: &'a Target<'_>) -> &'a str {
    t.endpoint.repo.as_deref().unwrap_or("")
}

fn workflow<'a>(t: &'a Target<'_>) -> &'a str {
    t.deploy.workflow.as_deref().unwrap_or("")
}

fn git_ref<'a>(t: &'a Target<'_>) -> &'a str {
    t.deploy.git_ref.as_deref().unwrap_or("main")
}

fn dispatch_request(t: &Target<'_>) -> Request {
    let mut inputs = t.deploy.inputs.clone().unwrap_or_default();
    if let Some(name) = &t.deploy.correlation_input {
        inputs.insert(name.clone(), Value::from(t.key()));
    }
    let body = json!({
        "ref": git_ref(t),
        "inputs": inputs,
        "return_run_details": true,
    });
    api(
        t,
        "POST",
        &format!(
            "/repos/{}/actions/workflows/{}/dispatches",
            repo(t),
            workflow(t)
        ),
    )
    .header("Idempotency-Key", &t.key())
    .json(body)
}

fn run_request(t: &Target<'_>, id: &str) -> Request {
    api(t, "GET", &format!("/repos/{}/actions/runs/{id}", repo(t)))
}

fn runs_request(t: &Target<'_>, since: &str) -> Request {
    api(
        t,
        "GET",
        &format!(
            "/repos/{}/actions/workflows/{}/runs?event=workflow_dispatch&branch={}&created={}&per_page=30",
            repo(t),
            workflow(t),
            form_encode(git_ref(t)),
            form_encode(&format!(">={since}"))
        ),
    )
}

fn cancel_request(t: &Target<'_>, id: &str) -> Request {
    api(
        t,
        "POST",
        &format!("/repos/{}/actions/runs/{id}/cancel", repo(t)),
    )
}

pub(super) async fn trigger(ctx: &Ctx, t: &Target<'_>) -> Result<Value, StepError> {
    let req = dispatch_request(t);
    let mut tries = 0;
    let reply = loop {
        let reply = ctx.call(Some(&t.step.id), &req).await?;
        tries += 1;
        match rate_limited(&reply) {
            Some(wait) if tries < DISPATCH_TRIES && wait <= LONGEST_WAIT => {
                ctx.audit_event(
                    Some(&t.step.id),
                    &format!(
                        "GitHub rate limit ({}): dispatch sent again in {} s",
                        reply.status,
                        wait.as_secs()
                    ),
                );
                tokio::time::sleep(wait).await;
            }
            Some(wait) => {
                return Err(StepError::Answer(format!(
                    "the workflow dispatch is rate limited (answered {}; wait {} s): not sent",
                    reply.status,
                    wait.as_secs()
                )))
            }
            None => break reply,
        }
    };
    if reply.status == 204 {
        // Dispatched, without the run's id: it is looked for by the polls.
        // Runs are dated to the second; the server's clock, a little earlier.
        let since = server_time(&reply) - chrono::Duration::seconds(5);
        return Ok(json!({
            "workflow_run_id": null,
            "dispatched_at": since.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        }));
    }
    if !reply.ok() {
        return Err(StepError::Answer(with_said(
            format!("the workflow dispatch answered {}", reply.status),
            &reply,
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

/// Looks for the dispatched run among the workflow's runs; records its id in
/// `r` when found.
async fn find_run(ctx: &Ctx, t: &Target<'_>, r: &mut Value) -> Result<Option<u64>, Poll> {
    let since = r
        .get("dispatched_at")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let reply = match poll_call(ctx, t, &runs_request(t, &since), "the workflow's runs").await {
        Ok(Ok(reply)) => reply,
        Ok(Err(p)) => return Err(p),
        Err(e) => return Err(Poll::Failed(e.to_string())),
    };
    if let Some(wait) = rate_limited(&reply) {
        return Err(Poll::Later(
            format!("GitHub rate limit ({})", reply.status),
            wait,
        ));
    }
    if !reply.ok() {
        return Err(match poll_refused(&reply, "the workflow's runs") {
            Ok(p) => p,
            Err(e) => Poll::Failed(e.to_string()),
        });
    }
    let v = reply.json().map_err(Poll::Failed)?;
    let key = t.key();
    let runs: Vec<&Value> = v
        .get("workflow_runs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|run| {
            run.get("created_at")
                .and_then(Value::as_str)
                .is_some_and(|c| c >= since.as_str())
        })
        .filter(|run| match &t.deploy.correlation_input {
            Some(_) => ["display_title", "name"].iter().any(|f| {
                run.get(*f)
                    .and_then(Value::as_str)
                    .is_some_and(|s| s.contains(&key))
            }),
            None => true,
        })
        .collect();
    match runs.as_slice() {
        [] => Err(Poll::Running(format!(
            "dispatched; waiting for the run of {} on {} to appear",
            workflow(t),
            git_ref(t)
        ))),
        [run] => {
            let id = run.get("id").and_then(Value::as_u64).ok_or_else(|| {
                Poll::Failed("the workflow's runs list a run without an id".into())
            })?;
            r["workflow_run_id"] = Value::from(id);
            r["html_url"] = run.get("html_url").cloned().unwrap_or(Value::Null);
            Ok(Some(id))
        }
        many => Err(Poll::Failed(format!(
            "GitHub answered the dispatch without the run's id, and {} runs of {} on {} started since: set the deploy's correlation_input to tell them apart ({})",
            many.len(),
            workflow(t),
            git_ref(t),
            many.iter()
                .filter_map(|r| r.get("html_url").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// The run's id: recorded, or found now (`Err`: what the poll says meanwhile).
async fn run_id(ctx: &Ctx, t: &Target<'_>, r: &mut Value) -> Result<u64, Poll> {
    if let Some(id) = r.get("workflow_run_id").and_then(Value::as_u64) {
        return Ok(id);
    }
    if r.get("dispatched_at").is_none() {
        return Err(Poll::Failed(
            "the workflow run's id was not recorded: check the run on GitHub".into(),
        ));
    }
    match find_run(ctx, t, r).await? {
        Some(id) => Ok(id),
        None => Err(Poll::Running("looking for the run".into())),
    }
}

pub(super) async fn poll(ctx: &Ctx, t: &Target<'_>, r: &mut Value) -> Result<Poll, StepError> {
    let id = match run_id(ctx, t, r).await {
        Ok(id) => id,
        Err(p) => return Ok(p),
    };
    let reply =
        match poll_call(ctx, t, &run_request(t, &id.to_string()), "the workflow run").await? {
            Ok(r) => r,
            Err(p) => return Ok(p),
        };
    if let Some(wait) = rate_limited(&reply) {
        return Ok(Poll::Later(
            format!("workflow run {id}: GitHub rate limit ({})", reply.status),
            wait,
        ));
    }
    if !reply.ok() {
        return poll_refused(&reply, "the workflow run");
    }
    let v = reply.json().map_err(StepError::Answer)?;
    let status = field(&v, "status").unwrap_or_default();
    let page = field(&v, "html_url").unwrap_or_default();
    let running = match status.as_str() {
        "completed" => None,
        "waiting" => Some(format!(
            "workflow run {id} is waiting for a deployment review (an environment protection rule): approve it at {page}"
        )),
        other => Some(format!("workflow run {id} is {other}")),
    };
    if let Some(m) = running {
        let (every, _) = super::timing(t);
        return Ok(match budget_wait(&reply, every) {
            Some(wait) => Poll::Later(
                format!(
                    "{m} (polling every {} s to stay within GitHub's rate limit)",
                    wait.as_secs()
                ),
                wait,
            ),
            None => Poll::Running(m),
        });
    }
    match field(&v, "conclusion").as_deref() {
        Some("success") => Ok(Poll::Succeeded),
        Some("action_required") => Ok(Poll::Failed(format!(
            "workflow run {id} needs someone to act on it: {page}"
        ))),
        other => Ok(Poll::Failed(format!(
            "workflow run {id} concluded {}",
            other.unwrap_or("without a conclusion")
        ))),
    }
}

/// Cancels the run: `Ok(Some(what))` when the cancel was accepted, `Ok(None)`
/// when it had already completed.
pub(super) async fn cancel(
    ctx: &Ctx,
    t: &Target<'_>,
    r: &mut Value,
) -> Result<Option<String>, StepError> {
    let id = match run_id(ctx, t, r).await {
        Ok(id) => id,
        Err(Poll::Running(_) | Poll::Later(..)) => {
            return Err(StepError::Answer(format!(
                "the dispatched run of {} was not found yet: cancel it on GitHub",
                workflow(t)
            )))
        }
        Err(Poll::Failed(m)) => return Err(StepError::Answer(m)),
        Err(Poll::Succeeded) => return Ok(None),
    };
    let reply = ctx
        .call(Some(&t.step.id), &cancel_request(t, &id.to_string()))
        .await?;
    match reply.status {
        202 | 200 => Ok(Some(format!("workflow run {id} cancel requested"))),
        409 => Ok(None),
        s => Err(StepError::Answer(with_said(
            format!("cancelling workflow run {id} answered {s}"),
            &reply,
        ))),
    }
}

pub(super) fn planned(t: &Target<'_>) -> Vec<(&'static str, Request)> {
    vec![
        ("trigger", dispatch_request(t)),
        (
            "find (only if the dispatch answers 204)",
            runs_request(t, "{dispatch_time}"),
        ),
        ("status", run_request(t, "{workflow_run_id}")),
        (
            "cancel (on a timeout or an abort)",
            cancel_request(t, "{workflow_run_id}"),
        ),
    ]
}
