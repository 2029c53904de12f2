//! What every part of a run shares: the runbook, the HTTP client, the journal,
//! the event sink and the stop signal.

use super::events::{EventSink, RunEvent};
use super::http::{CallFailure, Http, Reply, Request};
use super::journal::Journal;
use crate::notify::{self, Facts};
use crate::plan::NotifyEvent;
use crate::runbook::Runbook;
use crate::store::{AuditEntry, RunState, RunWrite, StepState};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::watch;
use tracing::Instrument;

/// Why a run stops starting steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    pub reason: String,
    /// Roll back the triggered steps (a rollback trigger fired), or only halt
    /// (a step failed and the release has no `verify_failed` trigger).
    pub rollback: bool,
}

/// What the run knows of a step right now (mirrors the journal).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct StepMem {
    pub state: StepState,
    /// Set once the trigger was sent (or about to be): the step was triggered.
    pub provider_ref: Option<Value>,
    pub completed: Option<i64>,
    pub message: Option<String>,
}

pub(crate) struct Ctx {
    pub rb: Arc<Runbook>,
    pub http: Http,
    pub journal: Journal,
    pub run_id: String,
    pub actor: String,
    pub events: EventSink,
    pub stop: watch::Sender<Option<Stop>>,
    /// The next completion number (order in which steps finished).
    pub completed: AtomicI64,
    /// Steps finished (any outcome), for progress.
    pub done: AtomicUsize,
    pub total: usize,
    pub steps: Mutex<HashMap<String, StepMem>>,
}

impl Ctx {
    pub fn emit(&self, e: RunEvent) {
        (self.events)(e);
    }

    pub fn stopped(&self) -> Option<Stop> {
        self.stop.borrow().clone()
    }

    /// Stops the run, unless it is stopping already (the first reason wins).
    pub fn request_stop(&self, stop: Stop) {
        let mut first = false;
        self.stop.send_if_modified(|s| {
            if s.is_none() {
                *s = Some(stop.clone());
                first = true;
                true
            } else {
                false
            }
        });
        if first {
            self.emit(RunEvent::Stopping {
                reason: stop.reason.clone(),
                rollback: stop.rollback,
            });
            self.audit_event(None, &format!("stop: {}", stop.reason));
            let reason = self.http.masker.scrub(&stop.reason);
            let mut writes = vec![RunWrite::Run {
                run: self.run_id.clone(),
                state: if stop.rollback {
                    RunState::RollingBack
                } else {
                    RunState::Halting
                },
                reason: Some(reason.clone()),
                exit_code: None,
            }];
            if stop.rollback {
                writes.extend(self.tell(NotifyEvent::RollbackStarted, |f| {
                    f.message = Some(reason);
                }));
            }
            self.journal.post_all(writes);
        }
    }

    /// The messages of the communication plan for `event`, as a journal write
    /// to commit with the record of the event; `None` when nobody is told.
    /// `fill` adds what only the caller knows.
    pub fn tell(&self, event: NotifyEvent, fill: impl FnOnce(&mut Facts)) -> Option<RunWrite> {
        self.rb.comms.as_ref()?;
        let remaining = {
            let steps = self.steps.lock().unwrap_or_else(|e| e.into_inner());
            self.rb
                .steps()
                .filter(|s| !steps.get(&s.id).is_some_and(|m| m.state.is_finished()))
                .map(|s| s.id.clone())
                .collect()
        };
        let mut facts = Facts {
            run_id: self.run_id.clone(),
            actor: self.actor.clone(),
            done: self.done.load(Ordering::SeqCst),
            remaining,
            now: chrono::Utc::now(),
            ..Facts::default()
        };
        fill(&mut facts);
        let queued = notify::draft(&self.rb, event, &facts);
        tracing::debug!(
            event = event.as_str(),
            messages = queued.len(),
            "messages drafted"
        );
        (!queued.is_empty()).then_some(RunWrite::Queue(queued))
    }

    pub fn next_completion(&self) -> i64 {
        self.completed.fetch_add(1, Ordering::SeqCst)
    }

    /// Sends a call, records it in the audit trail and reports it.
    pub async fn call(&self, step: Option<&str>, req: &Request) -> Result<Reply, CallFailure> {
        let url = self.http.masker.scrub(&req.url);
        let span = tracing::debug_span!("http", method = %req.method, url = %url);
        let started = Instant::now();
        let result = self.http.send(req).instrument(span.clone()).await;
        let ms = started.elapsed().as_millis() as i64;
        // Masked again: the call may have resolved (and remembered) a secret.
        let url = self.http.masker.scrub(&req.url);
        let (status, error) = match &result {
            Ok(r) => (Some(r.status), None),
            Err(e) => (None, Some(self.http.masker.scrub(&e.message))),
        };
        span.in_scope(|| match (status, &error) {
            (Some(status), _) => tracing::debug!(status, ms, "answered"),
            (None, e) => tracing::warn!(ms, error = e.as_deref().unwrap_or(""), "call failed"),
        });
        self.journal.post(RunWrite::Audit {
            run: self.run_id.clone(),
            actor: self.actor.clone(),
            entry: AuditEntry {
                step: step.map(str::to_string),
                kind: "call",
                method: req.method.to_string(),
                url: url.clone(),
                status,
                duration_ms: ms,
                note: error.clone(),
            },
        });
        self.emit(RunEvent::Call {
            step: step.map(str::to_string),
            method: req.method.to_string(),
            url,
            status,
            ms: ms as u64,
            error: error.clone(),
        });
        result.map_err(|e| CallFailure {
            message: self.http.masker.scrub(&e.message),
            retry: e.retry,
        })
    }

    /// Records an event of the run (not a call) in the audit trail.
    pub fn audit_event(&self, step: Option<&str>, note: &str) {
        self.journal.post(RunWrite::Audit {
            run: self.run_id.clone(),
            actor: self.actor.clone(),
            entry: AuditEntry {
                step: step.map(str::to_string),
                kind: "event",
                method: "-".into(),
                url: "-".into(),
                status: None,
                duration_ms: 0,
                note: Some(self.http.masker.scrub(note)),
            },
        });
    }
}
