//! Deployment providers, each speaking its service's real API: the generic
//! webhook (spec/plan-format.md), GitHub Actions, GitLab, Jenkins, Argo CD.
//!
//! Every provider does three things for a step: trigger it (once: a resumed
//! run never triggers a step again), poll it until it succeeds or fails, and
//! roll it back (its `rollback` action, or the provider's own rollback).
//! What a trigger answers (a run id, a queue item) is the step's reference,
//! kept in the journal so that a resumed run can poll it.

mod argocd;
mod github;
mod gitlab;
mod jenkins;
mod webhook;

use super::context::Ctx;
use super::http::{CallFailure, Request};
use crate::plan::{Deploy, Endpoint, EndpointKind, StatusPoll};
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

pub(crate) fn join(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// What a poll found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Poll {
    /// Not done yet; what the service says.
    Running(String),
    Succeeded,
    Failed(String),
}

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
        EndpointKind::Argocd => argocd::poll(ctx, t).await,
        EndpointKind::Prometheus => Err(StepError::Setup(
            "a prometheus endpoint cannot deploy".into(),
        )),
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
    let name = v.endpoint.as_deref().unwrap_or(deploy_endpoint);
    let ep = rb.endpoints.get(name).ok_or(name)?;
    let mut req = Request::to(ep, "GET", join(&ep.base_url, &v.path));
    req.timeout = Duration::from_secs(u64::from(v.timeout_s(Some(ep))));
    Ok(req)
}

/// How often to poll and for how long.
pub(crate) fn timing(t: &Target<'_>) -> (Duration, Duration) {
    let s = t.deploy.status.as_ref();
    let every = s.map_or(StatusPoll::DEFAULT_INTERVAL_S, StatusPoll::interval_s);
    let limit = s.map_or(StatusPoll::DEFAULT_TIMEOUT_S, StatusPoll::timeout_s);
    (
        Duration::from_secs(u64::from(every)),
        Duration::from_secs(u64::from(limit)),
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
