//! Deployment providers, each speaking its service's real API: the generic
//! webhook (spec/plan-format.md), GitHub Actions, GitLab, Jenkins, Argo CD.
//!
//! Every provider does four things for a step: trigger it (once: a resumed
//! run never triggers a step again), poll it until it succeeds or fails,
//! cancel it on the service when the run gives up on it (a timeout, an abort,
//! a rollback while it still runs), and roll it back (its `rollback` action,
//! or the provider's own rollback, awaited to its end). What a trigger
//! answers (a run id, a queue item) is the step's reference, kept in the
//! journal so that a resumed run can poll or cancel it.
//!
//! Each provider follows its service's own API description; the project's
//! docs/runbook.md has, per provider, the calls made, the token it needs,
//! the states it handles and what cancel does. This module owns the calls
//! and their reading; it must not touch the journal or the run's state
//! (the engine does).

mod argocd;
mod github;
mod gitlab;
mod jenkins;
mod webhook;

use super::context::Ctx;
use super::http::{CallFailure, Reply, Request};
use crate::plan::{Deploy, Endpoint, EndpointKind};
use crate::runbook::Step;
use serde_json::Value;
use std::time::Duration;

/// One step's deployment, resolved against the runbook's endpoints.
pub(crate) struct Target<'a> {
    pub step: &'a Step,
    pub deploy: &'a Deploy,
    pub endpoint: &'a Endpoint,
    pub run_id: &'a str,
}

impl Target<'_> {
    /// `Idempotency-Key` of the step's trigger: run and step.
    pub fn key(&self) -> String {
        format!("{}:{}", self.run_id, self.step.id)
    }

    pub fn url(&self, path: &str) -> String {
        join(&self.endpoint.base_url, path)
    }

    fn kind(&self) -> EndpointKind {
        self.endpoint.kind
    }
}

pub(crate) use crate::plan::join_url as join;

/// What a poll found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Poll {
    /// Not done yet; what the service says.
    Running(String),
    /// Not done yet, and the service asks not to be called again for this
    /// long (a rate limit, or a polling budget that must last until it resets).
    Later(String, Duration),
    Succeeded,
    Failed(String),
}

/// How a remote cancellation went: what to record in the audit trail.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cancel {
    /// Cancelled, and the service says it has stopped (or was already done).
    Done(String),
    /// The cancel was sent but the service did not confirm in time, or refused.
    Failed(String),
    /// The kind has no cancel (a webhook): nothing was sent.
    Unsupported,
}

/// How long a cancel is awaited for the service to confirm.
pub(crate) const CANCEL_WAIT: Duration = Duration::from_secs(120);

/// Why a provider could not trigger, follow or prepare a step. The text is
/// what the step's failure says; it never holds a secret.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum StepError {
    /// The call got no usable answer (timed out, refused, over the size cap).
    #[error("{}", .0.message)]
    Call(CallFailure),
    /// The service answered, but not with what the step needs.
    #[error("{0}")]
    Answer(String),
    /// The deploy section or the endpoint lacks what its kind needs.
    #[error("{0}")]
    Setup(String),
}

impl From<CallFailure> for StepError {
    fn from(f: CallFailure) -> StepError {
        StepError::Call(f)
    }
}

/// How a rollback went.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Undo {
    Done,
    Failed(String),
    /// No rollback action: a person must roll it back.
    Manual,
}

/// What must be known before the trigger is sent (Argo CD: the deployment
/// to roll back to); committed with the `triggering` state.
pub(crate) async fn prepare(ctx: &Ctx, t: &Target<'_>) -> Result<Value, StepError> {
    match t.kind() {
        EndpointKind::Argocd => argocd::prepare(ctx, t).await,
        EndpointKind::Webhook
        | EndpointKind::GithubActions
        | EndpointKind::Gitlab
        | EndpointKind::Jenkins
        | EndpointKind::Prometheus => Ok(serde_json::json!({})),
    }
}

/// Pre-flight against the services themselves, before anything is
/// triggered: each Argo CD step's application is read (auto-sync refuses a
/// sync to a revision and a rollback). Problems name the step.
pub(crate) async fn preflight(
    rb: &crate::runbook::Runbook,
    http: &super::http::Http,
) -> Vec<crate::error::Problem> {
    let mut out = Vec::new();
    for step in rb.steps() {
        let Some(d) = &step.deploy else { continue };
        let Some(e) = rb.endpoints.get(&d.endpoint) else {
            continue;
        };
        if e.kind == EndpointKind::Argocd {
            if let Some(m) = argocd::preflight(http, d, e).await {
                out.push(crate::error::Problem::new(
                    crate::error::Code::ServiceRefuses,
                    format!("steps.{}.deploy", step.id),
                    m,
                ));
            }
        }
    }
    out
}

/// Triggers the step; returns its reference (`prepared` plus what the
/// service answered).
pub(crate) async fn trigger(
    ctx: &Ctx,
    t: &Target<'_>,
    prepared: Value,
) -> Result<Value, StepError> {
    match t.kind() {
        EndpointKind::Webhook => webhook::trigger(ctx, t).await,
        EndpointKind::GithubActions => github::trigger(ctx, t).await,
        EndpointKind::Gitlab => gitlab::trigger(ctx, t).await,
        EndpointKind::Jenkins => jenkins::trigger(ctx, t).await,
        EndpointKind::Argocd => argocd::trigger(ctx, t, prepared).await,
        EndpointKind::Prometheus => Err(StepError::Setup(
            "a prometheus endpoint cannot deploy".into(),
        )),
    }
}

/// Polls the step once; may update its reference (Jenkins: queue item to build).
pub(crate) async fn poll(ctx: &Ctx, t: &Target<'_>, r: &mut Value) -> Result<Poll, StepError> {
    match t.kind() {
        EndpointKind::Webhook => webhook::poll(ctx, t).await,
        EndpointKind::GithubActions => github::poll(ctx, t, r).await,
        EndpointKind::Gitlab => gitlab::poll(ctx, t, r).await,
        EndpointKind::Jenkins => jenkins::poll(ctx, t, r).await,
        EndpointKind::Argocd => argocd::poll(ctx, t, r).await,
        EndpointKind::Prometheus => Err(StepError::Setup(
            "a prometheus endpoint cannot deploy".into(),
        )),
    }
}

/// Cancels the step on its service (GitHub run cancel, GitLab pipeline
/// cancel, Jenkins queue cancel or build stop, Argo CD operation terminate)
/// and waits until the service says it stopped, at most [`CANCEL_WAIT`].
pub(crate) async fn cancel(ctx: &Ctx, t: &Target<'_>, r: &mut Value) -> Cancel {
    let sent = match t.kind() {
        EndpointKind::GithubActions => github::cancel(ctx, t, r).await,
        EndpointKind::Gitlab => gitlab::cancel(ctx, t, r).await,
        EndpointKind::Jenkins => jenkins::cancel(ctx, t, r).await,
        EndpointKind::Argocd => argocd::cancel(ctx, t).await,
        EndpointKind::Webhook | EndpointKind::Prometheus => return Cancel::Unsupported,
    };
    let what = match sent {
        Ok(Some(what)) => what,
        // Nothing was running any more.
        Ok(None) => return Cancel::Done("it had already ended".into()),
        Err(e) => return Cancel::Failed(e.to_string()),
    };
    let (every, _) = timing(t);
    let every = every.min(Duration::from_secs(5));
    let deadline = tokio::time::Instant::now() + CANCEL_WAIT;
    loop {
        match poll(ctx, t, r).await {
            Ok(Poll::Running(m) | Poll::Later(m, _)) => {
                if tokio::time::Instant::now() + every > deadline {
                    return Cancel::Failed(format!(
                        "{what}, but it still runs after {} s: {m}",
                        CANCEL_WAIT.as_secs()
                    ));
                }
            }
            Ok(Poll::Succeeded) => {
                return Cancel::Done(format!("{what}; it had finished (succeeded) first"))
            }
            Ok(Poll::Failed(m)) => return Cancel::Done(format!("{what}; it ended: {m}")),
            Err(e) => return Cancel::Failed(format!("{what}, then: {e}")),
        }
        tokio::time::sleep(every).await;
    }
}

/// Rolls the step back: its `rollback` action, else the provider's own.
pub(crate) async fn rollback(ctx: &Ctx, t: &Target<'_>, r: &Value) -> Undo {
    if let Some(req) = rollback_action(t) {
        return match ctx.call(Some(&t.step.id), &req).await {
            Ok(reply) if reply.ok() => Undo::Done,
            Ok(reply) => Undo::Failed(format!("the rollback answered {}", reply.status)),
            Err(e) => Undo::Failed(e.message),
        };
    }
    match t.kind() {
        EndpointKind::Argocd => argocd::rollback(ctx, t, r).await,
        EndpointKind::Webhook
        | EndpointKind::GithubActions
        | EndpointKind::Gitlab
        | EndpointKind::Jenkins
        | EndpointKind::Prometheus => Undo::Manual,
    }
}

/// The step's own rollback call, if it has one.
fn rollback_action(t: &Target<'_>) -> Option<Request> {
    let rb = t.deploy.rollback.as_ref()?;
    let mut req = Request::to(t.endpoint, rb.method.as_str(), t.url(&rb.path))
        .header("Idempotency-Key", &format!("{}:rollback", t.key()));
    if let Some(b) = &rb.body {
        req = req.json(b.clone());
    }
    Some(req)
}

/// The verification `v` of a step deployed through `deploy_endpoint`: which
/// endpoint it calls (`Err` names an endpoint the runbook lacks) and the call,
/// a GET with the check's timeout. The run and the dry run both use it.
pub(crate) fn verify_request<'a>(
    rb: &'a crate::runbook::Runbook,
    deploy_endpoint: &'a str,
    v: &'a crate::plan::VerifyCheck,
) -> Result<Request, &'a str> {
    let name = v.endpoint_or(deploy_endpoint);
    let ep = rb.endpoints.get(name).ok_or(name)?;
    let mut req = Request::to(ep, "GET", ep.url(&v.path));
    req.timeout = Duration::from_secs(u64::from(v.timeout_s(Some(ep))));
    Ok(req)
}

/// How often to poll and for how long (the values the human runbook prints).
pub(crate) fn timing(t: &Target<'_>) -> (Duration, Duration) {
    (
        Duration::from_secs(u64::from(t.deploy.poll_interval_s())),
        Duration::from_secs(u64::from(t.deploy.poll_timeout_s())),
    )
}

/// Every call a step would make, in order, for `--dry-run`: (what, call).
/// Ids that only the service knows are shown as `{placeholders}`.
pub(crate) fn planned(t: &Target<'_>) -> Vec<(&'static str, Request)> {
    let mut out = match t.kind() {
        EndpointKind::Webhook => webhook::planned(t),
        EndpointKind::GithubActions => github::planned(t),
        EndpointKind::Gitlab => gitlab::planned(t),
        EndpointKind::Jenkins => jenkins::planned(t),
        EndpointKind::Argocd => argocd::planned(t),
        EndpointKind::Prometheus => Vec::new(),
    };
    out.shrink_to_fit();
    out
}

/// The step's rollback call for `--dry-run`, or `None` when a person must.
pub(crate) fn planned_rollback(t: &Target<'_>) -> Option<Request> {
    rollback_action(t).or_else(|| match t.kind() {
        EndpointKind::Argocd => Some(argocd::rollback_request(t, "{previous_history_id}")),
        EndpointKind::Webhook
        | EndpointKind::GithubActions
        | EndpointKind::Gitlab
        | EndpointKind::Jenkins
        | EndpointKind::Prometheus => None,
    })
}

/// Classifies a poll answer that is not 2xx: a server error or a timeout is
/// retried (the deployment may still be running), anything else fails.
pub(crate) fn poll_error(status: Option<u16>, what: &str) -> Result<Poll, StepError> {
    match status {
        Some(s) if s >= 500 || s == 429 => {
            Ok(Poll::Running(format!("{what} answered {s}; retrying")))
        }
        Some(s) => Err(StepError::Answer(format!("{what} answered {s}"))),
        None => Ok(Poll::Running(format!("{what}: no answer; retrying"))),
    }
}

/// One call of a poll: the answer (any status), or what the poll reports
/// when there was none: running on, when the call is worth retrying (a
/// timeout, a refused connection); an error otherwise.
pub(crate) async fn poll_call(
    ctx: &Ctx,
    t: &Target<'_>,
    req: &Request,
    what: &str,
) -> Result<Result<Reply, Poll>, StepError> {
    match ctx.call(Some(&t.step.id), req).await {
        Ok(r) => Ok(Ok(r)),
        Err(e) if e.retry => poll_error(None, what).map(Err),
        Err(e) => Err(StepError::Call(e)),
    }
}

/// A poll's non-2xx answer, as [`poll_error`], with what the service said.
pub(crate) fn poll_refused(reply: &Reply, what: &str) -> Result<Poll, StepError> {
    match poll_error(Some(reply.status), what) {
        Err(StepError::Answer(m)) => Err(StepError::Answer(with_said(m, reply))),
        other => other,
    }
}

/// `message` followed by what the service said, when it said something.
pub(crate) fn with_said(message: String, reply: &Reply) -> String {
    match said(reply) {
        Some(s) => format!("{message}: {s}"),
        None => message,
    }
}

/// The service's own words in an error answer: GitHub and GitLab
/// `message`, Argo CD's `error`, OAuth's `error_description`, else a short
/// piece of a text body.
pub(crate) fn said(reply: &Reply) -> Option<String> {
    if let Ok(v) = reply.json() {
        for key in ["message", "error_description", "error"] {
            match v.get(key) {
                Some(Value::String(s)) if !s.is_empty() => return Some(s.clone()),
                Some(Value::Null) | None => {}
                Some(other) => return Some(other.to_string()),
            }
        }
        return None;
    }
    let t = reply.text(200);
    (!t.is_empty() && !t.starts_with('<')).then_some(t)
}

/// GitHub's rate limits, read off an answer: a 429, or a 403 that carries
/// `retry-after`, `x-ratelimit-remaining: 0` or says "rate limit". Returns
/// how long to wait before the next call: `retry-after`, else until
/// `x-ratelimit-reset`, else one minute (GitHub's rule for a secondary limit
/// without headers).
pub(crate) fn rate_limited(reply: &Reply) -> Option<Duration> {
    let retry_after = reply
        .header("retry-after")
        .and_then(|v| v.trim().parse::<u64>().ok());
    let exhausted = reply.header("x-ratelimit-remaining").map(str::trim) == Some("0");
    let says = String::from_utf8_lossy(&reply.body)
        .to_ascii_lowercase()
        .contains("rate limit");
    let limited = reply.status == 429
        || (reply.status == 403 && (retry_after.is_some() || exhausted || says));
    if !limited {
        return None;
    }
    if let Some(s) = retry_after {
        return Some(Duration::from_secs(s.max(1)));
    }
    if exhausted {
        if let Some(reset) = reset_in(reply) {
            return Some(reset.max(Duration::from_secs(1)));
        }
    }
    Some(Duration::from_secs(60))
}

/// Time until `x-ratelimit-reset` (epoch seconds), by the server's clock
/// when it sent `date`, else by ours.
fn reset_in(reply: &Reply) -> Option<Duration> {
    let reset = reply
        .header("x-ratelimit-reset")?
        .trim()
        .parse::<i64>()
        .ok()?;
    let now = server_time(reply).timestamp();
    Some(Duration::from_secs(u64::try_from(reset - now).unwrap_or(0)))
}

/// The server's clock at the answer (`Date`), else ours.
pub(crate) fn server_time(reply: &Reply) -> chrono::DateTime<chrono::Utc> {
    reply
        .header("date")
        .and_then(|d| chrono::DateTime::parse_from_rfc2822(d).ok())
        .map_or_else(chrono::Utc::now, |d| d.with_timezone(&chrono::Utc))
}

/// The polling budget: with `remaining` calls left until the limit resets,
/// polls further apart than `every` so that they last until then. `None`
/// when `every` already fits.
pub(crate) fn budget_wait(reply: &Reply, every: Duration) -> Option<Duration> {
    let remaining = reply
        .header("x-ratelimit-remaining")?
        .trim()
        .parse::<u64>()
        .ok()?;
    let reset = reset_in(reply)?;
    // Keep a reserve for the cancel and the rollback calls.
    let usable = remaining.saturating_sub(10).max(1);
    let spaced = reset / u32::try_from(usable).unwrap_or(u32::MAX);
    (spaced > every).then_some(spaced)
}

/// A JSON value at a dotted path (`deployment.state`, `items.0.id`), as text.
pub(crate) fn field(v: &Value, path: &str) -> Option<String> {
    let pointer: String = path
        .split('.')
        .map(|part| format!("/{}", part.replace('~', "~0").replace('/', "~1")))
        .collect();
    match v.pointer(&pointer)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
        Reply {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
            ..Reply::default()
        }
    }

    #[test]
    fn github_rate_limits_follow_githubs_rule() {
        let date = "Wed, 03 Dec 2025 12:00:00 GMT";
        let at = chrono::DateTime::parse_from_rfc2822(date)
            .unwrap()
            .timestamp();
        // retry-after first.
        let r = reply(429, &[("retry-after", "7")], "{}");
        assert_eq!(rate_limited(&r), Some(Duration::from_secs(7)));
        // remaining 0: until the reset, by the server's clock.
        let reset = (at + 42).to_string();
        let r = reply(
            403,
            &[
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", &reset),
                ("date", date),
            ],
            "{}",
        );
        assert_eq!(rate_limited(&r), Some(Duration::from_secs(42)));
        // A secondary limit that says so and nothing else: a minute.
        let r = reply(
            403,
            &[],
            r#"{"message":"You have exceeded a secondary rate limit"}"#,
        );
        assert_eq!(rate_limited(&r), Some(Duration::from_secs(60)));
        // A plain 403 (no permission) is no rate limit.
        let r = reply(
            403,
            &[("x-ratelimit-remaining", "4999")],
            r#"{"message":"Resource not accessible by integration"}"#,
        );
        assert_eq!(rate_limited(&r), None);
    }

    #[test]
    fn the_polling_budget_spreads_what_is_left_until_the_reset() {
        let date = "Wed, 03 Dec 2025 12:00:00 GMT";
        let at = chrono::DateTime::parse_from_rfc2822(date)
            .unwrap()
            .timestamp();
        let reset = (at + 600).to_string();
        // 60 calls for 10 minutes, 10 kept back: one every 12 s.
        let r = reply(
            200,
            &[
                ("x-ratelimit-remaining", "60"),
                ("x-ratelimit-reset", &reset),
                ("date", date),
            ],
            "{}",
        );
        assert_eq!(
            budget_wait(&r, Duration::from_secs(5)),
            Some(Duration::from_secs(12))
        );
        // Plenty left: the usual interval.
        let r = reply(
            200,
            &[
                ("x-ratelimit-remaining", "4000"),
                ("x-ratelimit-reset", &reset),
                ("date", date),
            ],
            "{}",
        );
        assert_eq!(budget_wait(&r, Duration::from_secs(5)), None);
    }

    #[test]
    fn a_services_own_words_are_read_from_its_error_body() {
        assert_eq!(
            said(&reply(404, &[], r#"{"message":"404 Project Not Found"}"#)).as_deref(),
            Some("404 Project Not Found")
        );
        assert_eq!(
            said(&reply(
                400,
                &[],
                r#"{"error":"rollback cannot be initiated when auto-sync is enabled","code":9}"#
            ))
            .as_deref(),
            Some("rollback cannot be initiated when auto-sync is enabled")
        );
        assert_eq!(said(&reply(403, &[], "<html>No valid crumb</html>")), None);
    }
}
