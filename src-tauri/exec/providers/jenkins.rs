//! Jenkins, per its remote access API (`Queue`, `Run`, `crumbIssuer`):
//!
//! - trigger: `POST /job/NAME/buildWithParameters` (form parameters; `/build`
//!   without) answers `201`, `Location:` the queue item (`303` and the same
//!   when Jenkins merged it into an identical build already queued). Only the
//!   item's number is taken: Jenkins writes the URLs it hands back (a build's
//!   `url`) from its configured root URL, which may not be `base_url`, and
//!   every call goes to `base_url`.
//! - poll: `GET /queue/item/N/api/json` until it has `executable.number` (the
//!   build number is recorded at once) or is `cancelled`; then `GET
//!   /job/NAME/M/api/json` until `building` is false, success when `result`
//!   is `SUCCESS` (`FAILURE`, `UNSTABLE`, `ABORTED`, `NOT_BUILT` fail).
//!   Jenkins forgets a queue item about five minutes after it left the queue:
//!   a `404` then is answered from the job's builds (`queueId`).
//! - CSRF: with a user's password instead of an API token Jenkins refuses a
//!   POST without a crumb (`403`, "No valid crumb"); the crumb is then fetched
//!   (`GET /crumbIssuer/api/json`), sent with the session cookie it is bound
//!   to, and the POST sent again.
//! - cancel: `POST /queue/cancelItem?id=N` while queued, `POST
//!   /job/NAME/M/stop` once building.

use super::{poll_call, poll_refused, with_said, Poll, StepError, Target};
use crate::exec::context::Ctx;
use crate::exec::http::{Body, Reply, Request, Val};
use serde_json::{json, Value};

fn job<'a>(t: &'a Target<'_>) -> &'a str {
    t.deploy
        .job
        .as_deref()
        .or(t.endpoint.job.as_deref())
        .unwrap_or("")
}

fn job_path(t: &Target<'_>) -> String {
    job(t)
        .split('/')
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
    let mut req = Request::to(t.endpoint, "POST", t.url(&path))
        .header("Idempotency-Key", &t.key())
        .no_redirects();
    if let Some(p) = params {
        req.body = Body::Form(
            p.iter()
                .map(|(k, v)| (k.clone(), Val::Plain(v.clone())))
                .collect(),
        );
    }
    req
}

fn get(t: &Target<'_>, path: &str) -> Request {
    Request::to(t.endpoint, "GET", t.url(path))
}

fn queue_request(t: &Target<'_>, id: &str) -> Request {
    get(t, &format!("/queue/item/{id}/api/json"))
}

fn build_request(t: &Target<'_>, number: &str) -> Request {
    get(t, &format!("{}/{number}/api/json", job_path(t)))
}

fn builds_request(t: &Target<'_>) -> Request {
    get(
        t,
        &format!("{}/api/json?tree=builds%5Bnumber%2CqueueId%5D", job_path(t)),
    )
}

fn cancel_queue_request(t: &Target<'_>, id: &str) -> Request {
    Request::to(
        t.endpoint,
        "POST",
        t.url(&format!("/queue/cancelItem?id={id}")),
    )
    .no_redirects()
}

/// `stop` answers with a redirect to the page before (Jenkins' root URL may
/// name another host): the redirect is the answer, not followed.
fn stop_request(t: &Target<'_>, number: &str) -> Request {
    Request::to(
        t.endpoint,
        "POST",
        t.url(&format!("{}/{number}/stop", job_path(t))),
    )
    .no_redirects()
}

/// The queue item's number in a `Location` (`.../queue/item/42/`), on
/// whatever host Jenkins' root URL names.
fn queue_id(location: &str) -> Option<u64> {
    let rest = &location[location.find("/queue/item/")? + "/queue/item/".len()..];
    rest.split('/').next()?.parse().ok()
}

/// Sends a POST; when Jenkins asks for a CSRF crumb, fetches one (with the
/// session cookie it is bound to) and sends the POST again with both.
async fn post(ctx: &Ctx, t: &Target<'_>, req: &Request) -> Result<Reply, StepError> {
    let reply = ctx.call(Some(&t.step.id), req).await?;
    let wants_crumb = reply.status == 403
        && String::from_utf8_lossy(&reply.body)
            .to_ascii_lowercase()
            .contains("crumb");
    if !wants_crumb {
        return Ok(reply);
    }
    let issued = ctx
        .call(Some(&t.step.id), &get(t, "/crumbIssuer/api/json"))
        .await?;
    if !issued.ok() {
        return Err(StepError::Answer(with_said(
            format!(
                "Jenkins asked for a CSRF crumb, and the crumb issuer answered {}",
                issued.status
            ),
            &issued,
        )));
    }
    let v = issued.json().map_err(StepError::Answer)?;
    let (Some(name), Some(crumb)) = (
        v.get("crumbRequestField").and_then(Value::as_str),
        v.get("crumb").and_then(Value::as_str),
    ) else {
        return Err(StepError::Answer(
            "the crumb issuer's answer has no crumb".into(),
        ));
    };
    ctx.audit_event(
        Some(&t.step.id),
        "Jenkins asked for a CSRF crumb (a password, not an API token?): fetched, POST sent again",
    );
    let mut again = req.clone().header(name, crumb);
    let cookies: Vec<&str> = issued
        .headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .filter_map(|(_, v)| v.split(';').next())
        .collect();
    if !cookies.is_empty() {
        again = again.header("Cookie", &cookies.join("; "));
    }
    Ok(ctx.call(Some(&t.step.id), &again).await?)
}

pub(super) async fn trigger(ctx: &Ctx, t: &Target<'_>) -> Result<Value, StepError> {
    let reply = post(ctx, t, &trigger_request(t)).await?;
    // 201: queued; 303: merged into the same build already queued (its item).
    if !(reply.ok() || reply.status == 303) {
        return Err(StepError::Answer(with_said(
            format!("the build request answered {}", reply.status),
            &reply,
        )));
    }
    let loc = reply.location.as_deref().ok_or_else(|| {
        StepError::Answer("Jenkins answered without the queue item's Location".into())
    })?;
    let id = queue_id(loc).ok_or_else(|| {
        StepError::Answer(format!(
            "Jenkins' Location is not a queue item ({loc}): check the job"
        ))
    })?;
    Ok(json!({ "queue_id": id }))
}

fn number(r: &Value, key: &str) -> Option<u64> {
    r.get(key).and_then(Value::as_u64)
}

async fn poll_build(ctx: &Ctx, t: &Target<'_>, n: u64) -> Result<Poll, StepError> {
    let reply = match poll_call(ctx, t, &build_request(t, &n.to_string()), "the build").await? {
        Ok(r) => r,
        Err(p) => return Ok(p),
    };
    if !reply.ok() {
        return poll_refused(&reply, "the build");
    }
    let v = reply.json().map_err(StepError::Answer)?;
    let building = v.get("building").and_then(Value::as_bool).unwrap_or(true);
    let result = v.get("result").and_then(Value::as_str);
    let name = job(t);
    Ok(match (building, result) {
        (false, Some("SUCCESS")) => Poll::Succeeded,
        (false, Some(other)) => Poll::Failed(format!("{name} #{n} result {other}")),
        _ => Poll::Running(format!("{name} #{n} is building")),
    })
}

/// The build a queue item became, from the job's builds (`queueId`).
async fn build_of_queue_item(
    ctx: &Ctx,
    t: &Target<'_>,
    queue: u64,
) -> Result<Option<u64>, StepError> {
    let reply = ctx.call(Some(&t.step.id), &builds_request(t)).await?;
    if !reply.ok() {
        return Err(StepError::Answer(with_said(
            format!("the job's builds answered {}", reply.status),
            &reply,
        )));
    }
    let v = reply.json().map_err(StepError::Answer)?;
    Ok(v.get("builds")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|b| b.get("queueId").and_then(Value::as_u64) == Some(queue))
        .and_then(|b| b.get("number").and_then(Value::as_u64)))
}

pub(super) async fn poll(ctx: &Ctx, t: &Target<'_>, r: &mut Value) -> Result<Poll, StepError> {
    if let Some(n) = number(r, "build_number") {
        return poll_build(ctx, t, n).await;
    }
    let queue = number(r, "queue_id").ok_or_else(|| {
        StepError::Answer("the queue item was not recorded: check the job on Jenkins".into())
    })?;
    let req = queue_request(t, &queue.to_string());
    let reply = match poll_call(ctx, t, &req, "the queue item").await? {
        Ok(r) => r,
        Err(p) => return Ok(p),
    };
    if reply.status == 404 {
        // Jenkins forgets a queue item minutes after it left the queue.
        return match build_of_queue_item(ctx, t, queue).await? {
            Some(n) => {
                r["build_number"] = Value::from(n);
                Ok(Poll::Running(format!("{} #{n} started", job(t))))
            }
            None => Ok(Poll::Failed(format!(
                "queue item {queue} is gone from Jenkins and no build of {} came from it",
                job(t)
            ))),
        };
    }
    if !reply.ok() {
        return poll_refused(&reply, "the queue item");
    }
    let v = reply.json().map_err(StepError::Answer)?;
    if v.get("cancelled").and_then(Value::as_bool) == Some(true) {
        return Ok(Poll::Failed(format!("queue item {queue} was cancelled")));
    }
    match v.pointer("/executable/number").and_then(Value::as_u64) {
        Some(n) => {
            r["build_number"] = Value::from(n);
            Ok(Poll::Running(format!("{} #{n} started", job(t))))
        }
        None => Ok(Poll::Running(format!(
            "queued: {}",
            v.get("why").and_then(Value::as_str).unwrap_or("waiting")
        ))),
    }
}

/// Cancels the queue item, or stops the build it became.
pub(super) async fn cancel(
    ctx: &Ctx,
    t: &Target<'_>,
    r: &mut Value,
) -> Result<Option<String>, StepError> {
    // Twice at most: the item may leave the queue between a poll and its cancel.
    for _ in 0..2 {
        if number(r, "build_number").is_none() {
            // It may have left the queue since the last poll.
            if let Ok(Poll::Failed(_)) = poll(ctx, t, r).await {
                return Ok(None);
            }
        }
        let (req, what) = match (number(r, "build_number"), number(r, "queue_id")) {
            (Some(n), _) => (
                stop_request(t, &n.to_string()),
                format!("{} #{n} stop requested", job(t)),
            ),
            (None, Some(q)) => (
                cancel_queue_request(t, &q.to_string()),
                format!("queue item {q} cancelled"),
            ),
            (None, None) => {
                return Err(StepError::Answer(
                    "nothing recorded to cancel: check the job on Jenkins".into(),
                ))
            }
        };
        let reply = post(ctx, t, &req).await?;
        // `cancelItem` answers 204 (404: the item already left the queue);
        // `stop` a redirect to the page before.
        if reply.status == 404 && number(r, "build_number").is_none() {
            continue;
        }
        if !(reply.ok() || (300..400).contains(&reply.status)) {
            return Err(StepError::Answer(with_said(
                format!("{what}: Jenkins answered {}", reply.status),
                &reply,
            )));
        }
        return Ok(Some(what));
    }
    Ok(None)
}

pub(super) fn planned(t: &Target<'_>) -> Vec<(&'static str, Request)> {
    vec![
        ("trigger", trigger_request(t)),
        ("queue", queue_request(t, "{queue_id}")),
        ("status", build_request(t, "{build_number}")),
        (
            "cancel (on a timeout or an abort, while queued)",
            cancel_queue_request(t, "{queue_id}"),
        ),
        (
            "cancel (on a timeout or an abort, once building)",
            stop_request(t, "{build_number}"),
        ),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_queue_item_number_is_read_off_any_root_url() {
        assert_eq!(
            super::queue_id("https://jenkins.internal.example/queue/item/42/"),
            Some(42)
        );
        assert_eq!(super::queue_id("/queue/item/7/"), Some(7));
        assert_eq!(super::queue_id("https://x/job/a/"), None);
    }
}
