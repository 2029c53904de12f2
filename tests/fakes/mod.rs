//! Fakes of the services the executor talks to, on 127.0.0.1, answering in
//! those services' real shapes: a generic deploy webhook, Prometheus, GitHub
//! Actions, GitLab, Jenkins and Argo CD. Each can be told to fail, hang,
//! answer slowly, answer huge bodies or redirect elsewhere.
#![allow(dead_code)]

pub mod server;

use serde_json::{json, Value};
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

// ---- GitHub Actions -------------------------------------------------------

#[derive(Default)]
pub struct GithubState {
    pub token: String,
    pub base: String,
    pub next_id: u64,
    pub polls: HashMap<u64, u32>,
    /// The conclusion of every run.
    pub conclusion: String,
}

pub struct Github {
    pub server: Server,
    pub state: Arc<Mutex<GithubState>>,
}

impl Github {
    pub fn start(token: &str) -> Github {
        let state = shared(GithubState {
            token: token.into(),
            next_id: 9_000_001,
            conclusion: "success".into(),
            ..GithubState::default()
        });
        let st = state.clone();
        let server = Server::start(Arc::new(move |req: &Seen| {
            let mut s = st.lock().unwrap();
            if req.header("authorization") != Some(&format!("Bearer {}", s.token)) {
                return Answer::json(401, json!({"message": "Bad credentials"}));
            }
            let parts: Vec<&str> = req.path().trim_matches('/').split('/').collect();
            match (req.method.as_str(), parts.as_slice()) {
                ("POST", ["repos", o, r, "actions", "workflows", _wf, "dispatches"]) => {
                    let body = req.json();
                    if body.get("ref").and_then(Value::as_str).is_none() {
                        return Answer::json(422, json!({"message": "ref is required"}));
                    }
                    if body.get("return_run_details") != Some(&Value::Bool(true)) {
                        return Answer::status(204);
                    }
                    let id = s.next_id;
                    s.next_id += 1;
                    Answer::json(
                        200,
                        json!({
                            "workflow_run_id": id,
                            "run_url": format!("{}/repos/{o}/{r}/actions/runs/{id}", s.base),
                            "html_url": format!("https://github.com/{o}/{r}/actions/runs/{id}")
                        }),
                    )
                }
                ("GET", ["repos", _o, _r, "actions", "runs", id]) => {
                    let Ok(id) = id.parse::<u64>() else {
                        return Answer::json(404, json!({"message": "Not Found"}));
                    };
                    if id >= s.next_id {
                        return Answer::json(404, json!({"message": "Not Found"}));
                    }
                    let n = s.polls.entry(id).or_insert(0);
                    *n += 1;
                    if *n == 1 {
                        Answer::json(
                            200,
                            json!({"id": id, "status": "in_progress", "conclusion": null}),
                        )
                    } else {
                        Answer::json(
                            200,
                            json!({"id": id, "status": "completed", "conclusion": s.conclusion}),
                        )
                    }
                }
                _ => Answer::json(404, json!({"message": "Not Found"})),
            }
        }));
        state.lock().unwrap().base = server.url();
        Github { server, state }
    }
}

// ---- GitLab ---------------------------------------------------------------

#[derive(Default)]
pub struct GitlabState {
    pub trigger_token: String,
    pub polls: u32,
    pub final_status: String,
}

pub struct Gitlab {
    pub server: Server,
    pub state: Arc<Mutex<GitlabState>>,
}

impl Gitlab {
    /// Pipelines are triggered with `token` = `secret` and read with
    /// `PRIVATE-TOKEN: secret`.
    pub fn start(secret: &str) -> Gitlab {
        let state = shared(GitlabState {
            trigger_token: secret.into(),
            final_status: "success".into(),
            ..GitlabState::default()
        });
        let st = state.clone();
        let server = Server::start(Arc::new(move |req: &Seen| {
            let mut s = st.lock().unwrap();
            let parts: Vec<&str> = req.path().trim_matches('/').split('/').collect();
            match (req.method.as_str(), parts.as_slice()) {
                ("POST", ["api", "v4", "projects", id, "trigger", "pipeline"]) => {
                    if req.form("token").as_deref() != Some(s.trigger_token.as_str()) {
                        return Answer::json(404, json!({"message": "404 Not Found"}));
                    }
                    let Some(git_ref) = req.form("ref") else {
                        return Answer::json(400, json!({"error": "ref is missing"}));
                    };
                    Answer::json(
                        201,
                        json!({"id": 4711, "iid": 12, "project_id": id.parse::<u64>().unwrap_or(0),
                               "status": "created", "ref": git_ref, "sha": "a91957a8",
                               "web_url": "https://gitlab.example.com/group/app/-/pipelines/4711"}),
                    )
                }
                ("GET", ["api", "v4", "projects", _id, "pipelines", "4711"]) => {
                    if req.header("private-token") != Some(s.trigger_token.as_str()) {
                        return Answer::json(401, json!({"message": "401 Unauthorized"}));
                    }
                    s.polls += 1;
                    let status = if s.polls == 1 {
                        "running".to_string()
                    } else {
                        s.final_status.clone()
                    };
                    Answer::json(200, json!({"id": 4711, "iid": 12, "status": status}))
                }
                _ => Answer::json(404, json!({"message": "404 Not Found"})),
            }
        }));
        Gitlab { server, state }
    }
}

// ---- Jenkins --------------------------------------------------------------

#[derive(Default)]
pub struct JenkinsState {
    /// `Basic base64(user:token)` expected.
    pub authorization: String,
    pub base: String,
    pub queue_polls: u32,
    pub build_polls: u32,
    pub result: String,
    /// Where the queue item says the build is (default: this server).
    pub executable_base: Option<String>,
}

pub struct Jenkins {
    pub server: Server,
    pub state: Arc<Mutex<JenkinsState>>,
}

impl Jenkins {
    pub fn start(basic: &str) -> Jenkins {
        let state = shared(JenkinsState {
            authorization: format!("Basic {basic}"),
            result: "SUCCESS".into(),
            ..JenkinsState::default()
        });
        let st = state.clone();
        let server = Server::start(Arc::new(move |req: &Seen| {
            let mut s = st.lock().unwrap();
            if req.header("authorization") != Some(s.authorization.as_str()) {
                return Answer::status(401);
            }
            match (req.method.as_str(), req.path()) {
                ("POST", "/job/deploy/buildWithParameters") => {
                    Answer::status(201).header("Location", &format!("{}/queue/item/3/", s.base))
                }
                ("GET", "/queue/item/3/api/json") => {
                    s.queue_polls += 1;
                    if s.queue_polls == 1 {
                        Answer::json(
                            200,
                            json!({"id": 3, "why": "Waiting for next available executor", "executable": null}),
                        )
                    } else {
                        let base = s.executable_base.clone().unwrap_or_else(|| s.base.clone());
                        Answer::json(
                            200,
                            json!({"id": 3, "executable": {"number": 5, "url": format!("{base}/job/deploy/5/")}}),
                        )
                    }
                }
                ("GET", "/job/deploy/5/api/json") => {
                    s.build_polls += 1;
                    if s.build_polls == 1 {
                        Answer::json(200, json!({"number": 5, "building": true, "result": null}))
                    } else {
                        Answer::json(
                            200,
                            json!({"number": 5, "building": false, "result": s.result}),
                        )
                    }
                }
                _ => Answer::status(404),
            }
        }));
        state.lock().unwrap().base = server.url();
        Jenkins { server, state }
    }
}

// ---- Argo CD --------------------------------------------------------------

pub struct ArgoState {
    pub token: String,
    pub history: Vec<i64>,
    pub phase: String,
    pub health: String,
    pub polls_since_sync: u32,
    /// The health the app settles in after a sync.
    pub settle_health: String,
    pub rollbacks: Vec<Value>,
}

pub struct Argo {
    pub server: Server,
    pub state: Arc<Mutex<ArgoState>>,
}

impl Argo {
    pub fn start(token: &str) -> Argo {
        let state = shared(ArgoState {
            token: token.into(),
            history: vec![2, 3],
            phase: "Succeeded".into(),
            health: "Healthy".into(),
            polls_since_sync: 0,
            settle_health: "Healthy".into(),
            rollbacks: Vec::new(),
        });
        let st = state.clone();
        let server = Server::start(Arc::new(move |req: &Seen| {
            let mut s = st.lock().unwrap();
            if req.header("authorization") != Some(&format!("Bearer {}", s.token)) {
                return Answer::json(401, json!({"error": "invalid session", "code": 16}));
            }
            let parts: Vec<&str> = req.path().trim_matches('/').split('/').collect();
            match (req.method.as_str(), parts.as_slice()) {
                ("GET", ["api", "v1", "applications", app]) => {
                    s.polls_since_sync += 1;
                    if s.phase == "Running" && s.polls_since_sync >= 2 {
                        s.phase = "Succeeded".into();
                        s.health = s.settle_health.clone();
                    }
                    let history: Vec<Value> = s
                        .history
                        .iter()
                        .map(|id| json!({"id": id, "revision": format!("rev{id}")}))
                        .collect();
                    Answer::json(
                        200,
                        json!({"metadata": {"name": app, "namespace": "argocd"},
                               "status": {"history": history,
                                          "operationState": {"phase": s.phase, "message": "successfully synced"},
                                          "health": {"status": s.health},
                                          "sync": {"status": "Synced"}}}),
                    )
                }
                ("POST", ["api", "v1", "applications", app, "sync"]) => {
                    s.phase = "Running".into();
                    s.health = "Progressing".into();
                    s.polls_since_sync = 0;
                    let next = s.history.last().copied().unwrap_or(0) + 1;
                    s.history.push(next);
                    Answer::json(200, json!({"metadata": {"name": app}, "status": {}}))
                }
                ("POST", ["api", "v1", "applications", app, "rollback"]) => {
                    s.rollbacks.push(req.json());
                    Answer::json(200, json!({"metadata": {"name": app}}))
                }
                _ => Answer::json(404, json!({"error": "not found", "code": 5})),
            }
        }));
        Argo { server, state }
    }
}
