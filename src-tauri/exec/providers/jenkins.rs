//! Jenkins: `POST /job/NAME/buildWithParameters` (or `/build` without
//! parameters) answers `201` with `Location:` the queue item; `GET
//! {queue item}api/json` until it has `executable.url` (or is `cancelled`);
//! then `GET {build}api/json` until `building` is false, success when
//! `result` is `SUCCESS`. Every URL Jenkins hands back must be on the
//! endpoint's own host.

use super::{poll_error, Poll, StepError, Target};
use crate::exec::context::Ctx;
use crate::exec::http::{origin, Body, Request, Val};
use serde_json::{json, Value};

fn job_path(t: &Target<'_>) -> String {
    let job = t
        .deploy
        .job
        .as_deref()
        .or(t.endpoint.job.as_deref())
        .unwrap_or("");
    job.split('/')
        .filter(|p| !p.is_empty())
        .map(|p| format!("/job/{}", crate::exec::http::form_encode(p)))
        .collect()
}

fn trigger_request(t: &Target<'_>) -> Request {
    let params = t.deploy.parameters.as_ref().filter(|p| !p.is_empty());
    let path = match params {
        Some(_) => format!("{}/buildWithParameters", job_path(t)),
        None => format!("{}/build", job_path(t)),
    };
    let mut req = Request::to(t.endpoint, "POST", t.url(&path)).header("Idempotency-Key", &t.key());
    if let Some(p) = params {
        req.body = Body::Form(
            p.iter()
                .map(|(k, v)| (k.clone(), Val::Plain(v.clone())))
                .collect(),
        );
    }
    req
}

/// An absolute URL Jenkins gave, checked to be on the endpoint's host.
fn own_url(t: &Target<'_>, url: &str) -> Result<String, StepError> {
    let abs = if url.starts_with('/') {
        let (scheme, host, port) =
            origin(&t.endpoint.base_url).ok_or_else(|| StepError::Setup("bad base_url".into()))?;
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host
        };
        format!("{scheme}://{host}:{port}{url}")
    } else {
        url.to_string()
    };
    let same = match (origin(&abs), origin(&t.endpoint.base_url)) {
        (Some(a), Some(b)) => a.1 == b.1 && a.2 == b.2,
        _ => false,
    };
    if !same {
        return Err(StepError::Answer(format!(
            "Jenkins pointed at another host ({}); refused",
            origin(&abs).map(|o| o.1).unwrap_or_default()
        )));
    }
    Ok(if abs.ends_with('/') {
        abs
    } else {
        format!("{abs}/")
    })
}

fn api_json(t: &Target<'_>, url: &str) -> Request {
    Request::to(t.endpoint, "GET", format!("{url}api/json"))
}

pub(super) async fn trigger(ctx: &Ctx, t: &Target<'_>) -> Result<Value, StepError> {
    let reply = ctx.call(Some(&t.step.id), &trigger_request(t)).await?;
    if !reply.ok() {
        return Err(StepError::Answer(format!(
            "the build request answered {}",
            reply.status
        )));
    }
    let loc = reply.location.as_deref().ok_or_else(|| {
        StepError::Answer("Jenkins answered without the queue item's Location".into())
    })?;
    Ok(json!({ "queue": own_url(t, loc)? }))
}

pub(super) async fn poll(ctx: &Ctx, t: &Target<'_>, r: &mut Value) -> Result<Poll, StepError> {
    if let Some(build) = r.get("build").and_then(Value::as_str).map(str::to_string) {
        let reply = match ctx.call(Some(&t.step.id), &api_json(t, &build)).await {
            Ok(r) => r,
            Err(e) if e.retry => return poll_error(None, "the build"),
            Err(e) => return Err(StepError::Call(e)),
        };
        if !reply.ok() {
            return poll_error(Some(reply.status), "the build");
        }
        let v = reply.json().map_err(StepError::Answer)?;
        let building = v.get("building").and_then(Value::as_bool).unwrap_or(true);
        let result = v.get("result").and_then(Value::as_str);
        return Ok(match (building, result) {
            (false, Some("SUCCESS")) => Poll::Succeeded,
            (false, Some(other)) => Poll::Failed(format!("build {build} result {other}")),
            _ => Poll::Running(format!("build {build} is running")),
        });
    }
    let queue = r
        .get("queue")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            StepError::Answer("the queue item was not recorded: check the job on Jenkins".into())
        })?
        .to_string();
    let reply = match ctx.call(Some(&t.step.id), &api_json(t, &queue)).await {
        Ok(r) => r,
        Err(e) if e.retry => return poll_error(None, "the queue item"),
        Err(e) => return Err(StepError::Call(e)),
    };
    if !reply.ok() {
        return poll_error(Some(reply.status), "the queue item");
    }
    let v = reply.json().map_err(StepError::Answer)?;
    if v.get("cancelled").and_then(Value::as_bool) == Some(true) {
        return Ok(Poll::Failed("the queued build was cancelled".into()));
    }
    match v.pointer("/executable/url").and_then(Value::as_str) {
        Some(url) => {
            let build = own_url(t, url)?;
            r["build"] = Value::from(build.clone());
            Ok(Poll::Running(format!("build {build} started")))
        }
        None => Ok(Poll::Running(format!(
            "queued: {}",
            v.get("why").and_then(Value::as_str).unwrap_or("waiting")
        ))),
    }
}

pub(super) fn planned(t: &Target<'_>) -> Vec<(&'static str, Request)> {
    vec![
        ("trigger", trigger_request(t)),
        ("queue", api_json(t, "{queue_item_url}")),
        ("status", api_json(t, "{build_url}")),
    ]
}
