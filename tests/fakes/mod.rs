//! Fakes of the services the executor talks to, on 127.0.0.1: a generic
//! deploy webhook (spec/plan-format.md) and a Prometheus answer shape here;
//! GitHub Actions, GitLab, Jenkins and Argo CD in `ci`, each answering as
//! its service's API description says. Any of them can be told to fail,
//! hang, answer slowly, answer huge bodies or redirect elsewhere
//! (`Server::answer`). The metric-trigger tests that matter run against a
//! real Prometheus (tests/common/prometheus.rs).
#![allow(dead_code)]

pub mod ci;
pub mod server;

#[allow(unused_imports)]
pub use ci::{Argo, Github, Gitlab, Jenkins};

use serde_json::json;
pub use server::{Answer, Seen, Server};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

fn shared<T>(v: T) -> Arc<Mutex<T>> {
    Arc::new(Mutex::new(v))
}

// ---- generic webhook (spec/plan-format.md) ---------------------------------

/// What the webhook fake does, per component.
#[derive(Default)]
pub struct WebhookState {
    /// Required bearer token, if any.
    pub token: Option<String>,
    /// Status answers `failed`.
    pub failing: HashSet<String>,
    /// Status answers `running` while listed.
    pub running: HashSet<String>,
    /// Health answers 500.
    pub unhealthy: HashSet<String>,
    /// Rollback answers 500.
    pub broken_rollback: HashSet<String>,
    /// Replaces the status answer (hang, huge, slow, redirect).
    pub status_answer: HashMap<String, Answer>,
    /// Replaces the rollback answer (the rollback is still recorded).
    pub rollback_answer: HashMap<String, Answer>,
    /// `running` answers before `succeeded`, for every component.
    pub polls_running: u32,
    pub polls: HashMap<String, u32>,
    /// Triggers received: (component, Idempotency-Key).
    pub triggers: Vec<(String, Option<String>)>,
    /// Rollbacks received, in order.
    pub rollbacks: Vec<String>,
    /// Set when this component's health check has been answered.
    pub health_flag: Option<(String, Arc<AtomicBool>)>,
}

pub struct Webhook {
    pub server: Server,
    pub state: Arc<Mutex<WebhookState>>,
}

impl Webhook {
    pub fn start(token: Option<&str>) -> Webhook {
        let state = shared(WebhookState {
            token: token.map(str::to_string),
            ..WebhookState::default()
        });
        let st = state.clone();
        let server = Server::start(Arc::new(move |req: &Seen| webhook_answer(&st, req)));
        Webhook { server, state }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn with(&self, f: impl FnOnce(&mut WebhookState)) {
        f(&mut self.state.lock().unwrap());
    }

    pub fn triggers_of(&self, component: &str) -> usize {
        self.state
            .lock()
            .unwrap()
            .triggers
            .iter()
            .filter(|(c, _)| c == component)
            .count()
    }

    pub fn triggered(&self) -> Vec<String> {
        self.state
            .lock()
            .unwrap()
            .triggers
            .iter()
            .map(|t| t.0.clone())
            .collect()
    }

    pub fn rollbacks(&self) -> Vec<String> {
        self.state.lock().unwrap().rollbacks.clone()
    }
}

fn webhook_answer(st: &Arc<Mutex<WebhookState>>, req: &Seen) -> Answer {
    let mut s = st.lock().unwrap();
    if let Some(t) = &s.token {
        if req.header("authorization") != Some(&format!("Bearer {t}")) {
            return Answer::json(401, json!({"error": "bad token"}));
        }
    }
    let parts: Vec<&str> = req.path().trim_matches('/').split('/').collect();
    match (req.method.as_str(), parts.as_slice()) {
        ("POST", ["deploy", c]) => {
            s.triggers.push((
                c.to_string(),
                req.header("idempotency-key").map(str::to_string),
            ));
            Answer::json(202, json!({"accepted": true, "component": c}))
        }
        ("GET", ["deploy", c, "status"]) => {
            let c = c.to_string();
            if let Some(a) = s.status_answer.get(&c) {
                return a.clone();
            }
            if !s.triggers.iter().any(|t| t.0 == c) {
                return Answer::json(200, json!({"state": "idle"}));
            }
            let n = s.polls.entry(c.clone()).or_insert(0);
            *n += 1;
            let n = *n;
            let state = if s.failing.contains(&c) {
                "failed"
            } else if s.running.contains(&c) || n <= s.polls_running {
                "running"
            } else {
                "succeeded"
            };
            Answer::json(200, json!({"state": state, "component": c}))
        }
        ("GET", ["health", c]) => {
            if let Some((k, flag)) = &s.health_flag {
                if k == c {
                    flag.store(true, Ordering::SeqCst);
                }
            }
            if s.unhealthy.contains(*c) {
                Answer::json(500, json!({"ok": false}))
            } else {
                Answer::json(200, json!({"ok": true}))
            }
        }
        ("POST", ["rollback", c]) => {
            s.rollbacks.push(c.to_string());
            if let Some(a) = s.rollback_answer.get(*c) {
                return a.clone();
            }
            if s.broken_rollback.contains(*c) {
                Answer::json(500, json!({"error": "rollback failed"}))
            } else {
                Answer::json(200, json!({"rolled_back": c}))
            }
        }
        _ => Answer::json(404, json!({"error": "not found"})),
    }
}

// ---- Prometheus -------------------------------------------------------------

pub struct Prometheus {
    pub server: Server,
}

impl Prometheus {
    /// Answers every instant query with one sample of `value()`.
    pub fn start(value: impl Fn() -> f64 + Send + Sync + 'static) -> Prometheus {
        let server = Server::start(Arc::new(move |req: &Seen| {
            if req.method != "GET" || req.path() != "/api/v1/query" {
                return Answer::json(404, json!({"status": "error", "error": "not found"}));
            }
            if !req.query().contains("query=") {
                return Answer::json(
                    400,
                    json!({"status": "error", "errorType": "bad_data", "error": "no query"}),
                );
            }
            Answer::json(
                200,
                json!({"status": "success", "data": {"resultType": "vector", "result": [
                    {"metric": {"job": "api"}, "value": [1740816000.123, value().to_string()]}
                ]}}),
            )
        }));
        Prometheus { server }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }
}
