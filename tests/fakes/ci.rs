//! Fakes of GitHub Actions, GitLab, Jenkins and Argo CD that answer as the
//! services' own API descriptions say (github/rest-api-description,
//! GitLab's doc/api/pipelines.md and pipeline_triggers.md with
//! lib/api/ci/*.rb, Jenkins core's Queue, Run, ParametersDefinitionProperty
//! and CrumbIssuer, Argo CD's assets/swagger.json, server/application and the
//! grpc-gateway v1.16 error mapping), not as the executor expects: separate
//! token kinds, the intermediate states, GitHub Enterprise Server's 204, rate
//! limits, Jenkins' root URL and forgotten queue items, Argo CD's stale
//! health before a reconcile, operations in progress and auto-sync refusals.
//!
//! State moves on per request (a poll), never by wall time, so the tests are
//! deterministic; the knobs are the `pub` fields of each state.

use super::server::{Answer, Seen, Server};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn http_date() -> String {
    chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

fn text(status: u16, content_type: &str, body: &str) -> Answer {
    let mut a = Answer::status(status).header("Content-Type", content_type);
    a.body = body.as_bytes().to_vec();
    a
}

fn query_param(req: &Seen, key: &str) -> Option<String> {
    req.query().split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (super::server::decode(k) == key).then(|| super::server::decode(v))
    })
}

// ---- GitHub Actions -----------------------------------------------------------

#[derive(Debug, Clone)]
pub struct GhRun {
    pub id: u64,
    pub workflow: String,
    pub event: String,
    pub head_branch: String,
    pub status: String,
    pub conclusion: Option<String>,
    pub created_at: String,
    pub display_title: String,
    pub inputs: Value,
    pub polls: u32,
    pub cancel_requested: bool,
}

pub struct GithubState {
    pub token: String,
    pub base: String,
    pub runs: Vec<GhRun>,
    next_id: u64,
    /// Answer every dispatch 204 without the run (GitHub Enterprise Server,
    /// or an API version without run details).
    pub ghes: bool,
    /// The workflow's `workflow_dispatch` inputs; others are refused (422).
    pub accepted_inputs: Option<Vec<String>>,
    /// The input the workflow's `run-name` shows.
    pub run_name_input: Option<String>,
    /// The statuses a run goes through, one per GET, before `completed`.
    pub path_statuses: Vec<String>,
    pub conclusion: String,
    /// Runs never complete.
    pub hold: bool,
    /// Requests left in the hour (`x-ratelimit-remaining`).
    pub remaining: u32,
    pub reset_in_s: i64,
    /// The next N requests hit the primary limit (403, remaining 0).
    pub primary_limited: u32,
    /// The next N requests hit a secondary limit (`secondary_status`,
    /// `retry-after: 1`).
    pub secondary_limited: u32,
    pub secondary_status: u16,
    pub cancels: Vec<u64>,
    pub dispatches: Vec<Value>,
}

pub struct Github {
    pub server: Server,
    pub state: Arc<Mutex<GithubState>>,
}

impl GhRun {
    fn json(&self, base: &str) -> Value {
        json!({
            "id": self.id, "name": "Deploy", "display_title": self.display_title,
            "event": self.event, "status": self.status, "conclusion": self.conclusion,
            "head_branch": self.head_branch, "created_at": self.created_at,
            "updated_at": now(), "run_started_at": self.created_at, "run_number": self.id - 9_000_000,
            "run_attempt": 1, "path": format!(".github/workflows/{}", self.workflow),
            "url": format!("{base}/repos/acme/app/actions/runs/{}", self.id),
            "cancel_url": format!("{base}/repos/acme/app/actions/runs/{}/cancel", self.id),
            "html_url": format!("https://github.com/acme/app/actions/runs/{}", self.id),
        })
    }
}

impl Github {
    pub fn start(token: &str) -> Github {
        let state = Arc::new(Mutex::new(GithubState {
            token: token.into(),
            base: String::new(),
            runs: Vec::new(),
            next_id: 9_000_001,
            ghes: false,
            accepted_inputs: None,
            run_name_input: None,
            path_statuses: vec!["queued".into(), "in_progress".into()],
            conclusion: "success".into(),
            hold: false,
            remaining: 5000,
            reset_in_s: 3600,
            primary_limited: 0,
            secondary_limited: 0,
            secondary_status: 429,
            cancels: Vec::new(),
            dispatches: Vec::new(),
        }));
        let st = state.clone();
        let server = Server::start(Arc::new(move |req: &Seen| {
            let mut s = st.lock().unwrap();
            let reset = chrono::Utc::now().timestamp() + s.reset_in_s;
            let answer = github_answer(&mut s, req);
            s.remaining = s.remaining.saturating_sub(1);
            let answer = if answer
                .headers
                .iter()
                .any(|(k, _)| k == "x-ratelimit-remaining")
            {
                answer
            } else {
                answer
                    .header("x-ratelimit-remaining", &s.remaining.to_string())
                    .header("x-ratelimit-reset", &reset.to_string())
            };
            answer
                .header("x-ratelimit-limit", "5000")
                .header("x-ratelimit-resource", "core")
                .header("Date", &http_date())
        }));
        state.lock().unwrap().base = server.url();
        Github { server, state }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    /// A run of `workflow` that someone else dispatched on `branch` just now.
    pub fn others_run(&self, workflow: &str, branch: &str) -> u64 {
        let mut s = self.state.lock().unwrap();
        let id = s.next_id;
        s.next_id += 1;
        s.runs.push(GhRun {
            id,
            workflow: workflow.into(),
            event: "workflow_dispatch".into(),
            head_branch: branch.into(),
            status: "queued".into(),
            conclusion: None,
            created_at: now(),
            display_title: "Deploy".into(),
            inputs: json!({}),
            polls: 0,
            cancel_requested: false,
        });
        id
    }
}

fn gh_error(status: u16, message: &str) -> Answer {
    Answer::json(
        status,
        json!({"message": message, "documentation_url": "https://docs.github.com/rest"}),
    )
}

fn github_answer(s: &mut GithubState, req: &Seen) -> Answer {
    if req.header("authorization") != Some(&format!("Bearer {}", s.token)) {
        return gh_error(401, "Bad credentials");
    }
    if s.primary_limited > 0 {
        s.primary_limited -= 1;
        let reset = chrono::Utc::now().timestamp() + 1;
        return gh_error(403, "API rate limit exceeded for user ID 1.")
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", &reset.to_string());
    }
    if s.secondary_limited > 0 {
        s.secondary_limited -= 1;
        return gh_error(
            s.secondary_status,
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        )
        .header("retry-after", "1");
    }
    let parts: Vec<&str> = req.path().trim_matches('/').split('/').collect();
    match (req.method.as_str(), parts.as_slice()) {
        ("POST", ["repos", _o, _r, "actions", "workflows", wf, "dispatches"]) => {
            let body = req.json();
            s.dispatches.push(body.clone());
            let Some(git_ref) = body.get("ref").and_then(Value::as_str) else {
                return gh_error(422, "Invalid request.\n\n\"ref\" wasn't supplied.");
            };
            let inputs = body.get("inputs").cloned().unwrap_or(json!({}));
            if let (Some(accepted), Some(given)) = (&s.accepted_inputs, inputs.as_object()) {
                let bad: Vec<&String> = given.keys().filter(|k| !accepted.contains(k)).collect();
                if !bad.is_empty() {
                    return gh_error(422, &format!("Unexpected inputs provided: {bad:?}"));
                }
            }
            let display_title = s
                .run_name_input
                .as_ref()
                .and_then(|n| inputs.get(n))
                .and_then(Value::as_str)
                .unwrap_or("Deploy")
                .to_string();
            let id = s.next_id;
            s.next_id += 1;
            s.runs.push(GhRun {
                id,
                workflow: wf.to_string(),
                event: "workflow_dispatch".into(),
                head_branch: git_ref.into(),
                status: "queued".into(),
                conclusion: None,
                created_at: now(),
                display_title,
                inputs,
                polls: 0,
                cancel_requested: false,
            });
            if s.ghes || body.get("return_run_details") != Some(&Value::Bool(true)) {
                return Answer::status(204);
            }
            Answer::json(
                200,
                json!({
                    "workflow_run_id": id,
                    "run_url": format!("{}/repos/acme/app/actions/runs/{id}", s.base),
                    "html_url": format!("https://github.com/acme/app/actions/runs/{id}"),
                }),
            )
        }
        ("GET", ["repos", _o, _r, "actions", "workflows", wf, "runs"]) => {
            let event = query_param(req, "event");
            let branch = query_param(req, "branch");
            let created = query_param(req, "created");
            let since = created
                .as_deref()
                .and_then(|c| c.strip_prefix(">="))
                .map(str::to_string);
            let base = s.base.clone();
            let runs: Vec<Value> = s
                .runs
                .iter()
                .rev()
                .filter(|r| r.workflow == *wf)
                .filter(|r| event.as_deref().is_none_or(|e| r.event == e))
                .filter(|r| branch.as_deref().is_none_or(|b| r.head_branch == b))
                .filter(|r| since.as_deref().is_none_or(|t| r.created_at.as_str() >= t))
                .map(|r| r.json(&base))
                .collect();
            Answer::json(
                200,
                json!({"total_count": runs.len(), "workflow_runs": runs}),
            )
        }
        ("GET", ["repos", _o, _r, "actions", "runs", id]) => {
            let id: u64 = id.parse().unwrap_or(0);
            let (path, conclusion, hold, base) = (
                s.path_statuses.clone(),
                s.conclusion.clone(),
                s.hold,
                s.base.clone(),
            );
            let Some(run) = s.runs.iter_mut().find(|r| r.id == id) else {
                return gh_error(404, "Not Found");
            };
            if run.status != "completed" {
                if run.cancel_requested {
                    run.status = "completed".into();
                    run.conclusion = Some("cancelled".into());
                } else {
                    let n = run.polls as usize;
                    run.polls += 1;
                    match path.get(n) {
                        Some(st) => run.status = st.clone(),
                        None if hold => {}
                        None => {
                            run.status = "completed".into();
                            run.conclusion = Some(conclusion);
                        }
                    }
                }
            }
            Answer::json(200, run.json(&base))
        }
        ("POST", ["repos", _o, _r, "actions", "runs", id, "cancel"]) => {
            let id: u64 = id.parse().unwrap_or(0);
            s.cancels.push(id);
            let Some(run) = s.runs.iter_mut().find(|r| r.id == id) else {
                return gh_error(404, "Not Found");
            };
            if run.status == "completed" {
                return gh_error(409, "Cannot cancel a workflow run that is completed.");
            }
            run.cancel_requested = true;
            Answer::json(202, json!({}))
        }
        _ => gh_error(404, "Not Found"),
    }
}

// ---- GitLab -------------------------------------------------------------------

pub struct GitlabState {
    pub access_token: String,
    pub trigger_token: String,
    /// The access token's scopes: `api`, or only `read_api`.
    pub scopes: Vec<String>,
    /// The statuses a pipeline goes through, one per GET; the last repeats.
    pub statuses: Vec<String>,
    /// Pipelines: id -> (GETs so far, canceled).
    pub pipelines: HashMap<u64, (usize, bool)>,
    next_id: u64,
    /// ("trigger" or "api", the variables as an object).
    pub created: Vec<(String, Value)>,
    pub cancels: Vec<u64>,
}

pub struct Gitlab {
    pub server: Server,
    pub state: Arc<Mutex<GitlabState>>,
}

fn gl_pipeline(id: u64, status: &str, source: &str, git_ref: &str) -> Value {
    json!({"id": id, "iid": id - 4700, "project_id": 42, "status": status, "source": source,
           "ref": git_ref, "sha": "a91957a858320c0e17f3a0eca7cfacbff50ea29a",
           "web_url": format!("https://gitlab.example.com/group/app/-/pipelines/{id}"),
           "created_at": now(), "updated_at": now(), "started_at": null, "finished_at": null})
}

impl Gitlab {
    pub fn start(access_token: &str, trigger_token: &str) -> Gitlab {
        let state = Arc::new(Mutex::new(GitlabState {
            access_token: access_token.into(),
            trigger_token: trigger_token.into(),
            scopes: vec!["api".into()],
            statuses: ["created", "pending", "running", "success"]
                .map(String::from)
                .to_vec(),
            pipelines: HashMap::new(),
            next_id: 4711,
            created: Vec::new(),
            cancels: Vec::new(),
        }));
        let st = state.clone();
        let server = Server::start(Arc::new(move |req: &Seen| {
            gitlab_answer(&mut st.lock().unwrap(), req).header("Date", &http_date())
        }));
        Gitlab { server, state }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }
}

fn gitlab_answer(s: &mut GitlabState, req: &Seen) -> Answer {
    let token = req.header("private-token").map(str::to_string).or_else(|| {
        req.header("authorization")
            .and_then(|a| a.strip_prefix("Bearer "))
            .map(str::to_string)
    });
    // An API credential: only the access token; a trigger token is not one.
    let api_user = token.as_deref() == Some(s.access_token.as_str());
    let writes = s.scopes.iter().any(|x| x == "api");
    let insufficient = || {
        Answer::json(
            403,
            json!({"error": "insufficient_scope",
                   "error_description": "The request requires higher privileges than provided by the access token.",
                   "scope": "api"}),
        )
    };
    let parts: Vec<&str> = req.path().trim_matches('/').split('/').collect();
    match (req.method.as_str(), parts.as_slice()) {
        ("POST", ["api", "v4", "projects", _id, "trigger", "pipeline"]) => {
            let form_token = req.form("token").or_else(|| query_param(req, "token"));
            if form_token.as_deref() != Some(s.trigger_token.as_str()) {
                return Answer::json(404, json!({"message": "404 Not Found"}));
            }
            let Some(git_ref) = req.form("ref").filter(|r| !r.is_empty()) else {
                return Answer::json(400, json!({"error": "ref is missing"}));
            };
            let vars: serde_json::Map<String, Value> = req
                .body
                .split('&')
                .filter_map(|kv| {
                    let (k, v) = kv.split_once('=')?;
                    let k = super::server::decode(k);
                    let name = k.strip_prefix("variables[")?.strip_suffix(']')?;
                    Some((name.to_string(), Value::from(super::server::decode(v))))
                })
                .collect();
            s.created.push(("trigger".into(), Value::Object(vars)));
            let id = s.next_id;
            s.next_id += 1;
            s.pipelines.insert(id, (0, false));
            Answer::json(201, gl_pipeline(id, "created", "trigger", &git_ref))
        }
        ("POST", ["api", "v4", "projects", _id, "pipeline"]) => {
            if !api_user {
                return Answer::json(401, json!({"message": "401 Unauthorized"}));
            }
            if !writes {
                return insufficient();
            }
            let body = req.json();
            let Some(git_ref) = body.get("ref").and_then(Value::as_str) else {
                return Answer::json(400, json!({"error": "ref is missing"}));
            };
            let vars: serde_json::Map<String, Value> = body
                .get("variables")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| {
                    Some((v.get("key")?.as_str()?.to_string(), v.get("value")?.clone()))
                })
                .collect();
            s.created.push(("api".into(), Value::Object(vars)));
            let id = s.next_id;
            s.next_id += 1;
            s.pipelines.insert(id, (0, false));
            Answer::json(201, gl_pipeline(id, "created", "api", git_ref))
        }
        ("GET", ["api", "v4", "projects", _id, "pipelines", pid]) => {
            if token.is_some() && !api_user {
                return Answer::json(401, json!({"message": "401 Unauthorized"}));
            }
            if !api_user {
                // Anonymous, on a private project.
                return Answer::json(404, json!({"message": "404 Project Not Found"}));
            }
            let pid: u64 = pid.parse().unwrap_or(0);
            let statuses = s.statuses.clone();
            let Some((n, canceled)) = s.pipelines.get_mut(&pid) else {
                return Answer::json(404, json!({"message": "404 Not found"}));
            };
            let status = if *canceled {
                "canceled".to_string()
            } else {
                let st = statuses
                    .get(*n)
                    .or(statuses.last())
                    .cloned()
                    .unwrap_or_default();
                *n += 1;
                st
            };
            Answer::json(200, gl_pipeline(pid, &status, "trigger", "main"))
        }
        ("POST", ["api", "v4", "projects", _id, "pipelines", pid, "cancel"]) => {
            if !api_user {
                return Answer::json(401, json!({"message": "401 Unauthorized"}));
            }
            if !writes {
                return insufficient();
            }
            let pid: u64 = pid.parse().unwrap_or(0);
            s.cancels.push(pid);
            let statuses = s.statuses.clone();
            let Some((n, canceled)) = s.pipelines.get_mut(&pid) else {
                return Answer::json(404, json!({"message": "404 Not found"}));
            };
            // GitLab answers 200 with the pipeline, cancelable or not.
            let current = statuses
                .get(n.saturating_sub(1))
                .or(statuses.last())
                .cloned()
                .unwrap_or_default();
            let cancelable = [
                "created",
                "waiting_for_resource",
                "preparing",
                "pending",
                "running",
                "scheduled",
                "manual",
            ]
            .contains(&current.as_str());
            if cancelable {
                *canceled = true;
            }
            let shown = if cancelable { "canceling" } else { &current };
            Answer::json(200, gl_pipeline(pid, shown, "trigger", "main"))
        }
        _ => Answer::json(404, json!({"message": "404 Not Found"})),
    }
}

// ---- Jenkins ------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct JkItem {
    pub id: u64,
    pub job: String,
    pub polls: u32,
    pub cancelled: bool,
    pub build: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct JkBuild {
    pub number: u64,
    pub job: String,
    pub queue_id: u64,
    pub polls: u32,
    pub stopped: bool,
}

pub struct JenkinsState {
    pub user: String,
    pub api_token: String,
    /// A password (a browser-like login): POSTs with it need a CSRF crumb.
    pub password: Option<String>,
    /// Jenkins' configured root URL, used in every build URL it hands back.
    pub root_url: String,
    /// GETs of a queue item before it leaves the queue.
    pub queue_polls: u32,
    /// Left items answer 404, from the GET on which the item leaves (Jenkins
    /// forgets them 5 minutes after: a run resumed late).
    pub expire_left: bool,
    /// GETs of a build while it is building.
    pub build_polls: u32,
    pub result: String,
    /// Builds never finish.
    pub hold: bool,
    pub items: Vec<JkItem>,
    pub builds: Vec<JkBuild>,
    next_item: u64,
    next_build: u64,
    crumbs: Vec<(String, String)>,
    /// (job, parameters).
    pub triggers: Vec<(String, Vec<(String, String)>)>,
    pub cancelled_items: Vec<u64>,
    pub stops: Vec<u64>,
    /// POSTs refused for want of a crumb.
    pub crumb_refusals: u32,
}

pub struct Jenkins {
    pub server: Server,
    pub state: Arc<Mutex<JenkinsState>>,
}

impl Jenkins {
    pub fn start(user: &str, api_token: &str) -> Jenkins {
        let state = Arc::new(Mutex::new(JenkinsState {
            user: user.into(),
            api_token: api_token.into(),
            password: None,
            root_url: String::new(),
            queue_polls: 1,
            expire_left: false,
            build_polls: 1,
            result: "SUCCESS".into(),
            hold: false,
            items: Vec::new(),
            builds: Vec::new(),
            next_item: 3,
            next_build: 5,
            crumbs: Vec::new(),
            triggers: Vec::new(),
            cancelled_items: Vec::new(),
            stops: Vec::new(),
            crumb_refusals: 0,
        }));
        let st = state.clone();
        let server = Server::start(Arc::new(move |req: &Seen| {
            jenkins_answer(&mut st.lock().unwrap(), req).header("Date", &http_date())
        }));
        state.lock().unwrap().root_url = format!("{}/", server.url());
        Jenkins { server, state }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }
}

fn jk_html(status: u16, body: &str) -> Answer {
    text(
        status,
        "text/html;charset=utf-8",
        &format!("<html><head><title>Error {status}</title></head><body><h2>HTTP ERROR {status}</h2><p>{body}</p></body></html>"),
    )
}

fn basic_of(user: &str, secret: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"))
    )
}

fn jenkins_answer(s: &mut JenkinsState, req: &Seen) -> Answer {
    let auth = req.header("authorization").unwrap_or("");
    let with_token = auth == basic_of(&s.user, &s.api_token);
    let with_password = s
        .password
        .as_ref()
        .is_some_and(|p| auth == basic_of(&s.user, p));
    if !with_token && !with_password {
        return jk_html(401, "Unauthorized");
    }
    let path = req.path().to_string();
    if req.method == "GET" && path == "/crumbIssuer/api/json" {
        let crumb = format!("{:032x}", s.crumbs.len() as u64 * 7919 + 0xc0ffee);
        let session = format!("node0{}", s.crumbs.len() + 1);
        s.crumbs.push((crumb.clone(), session.clone()));
        return Answer::json(
            200,
            json!({"_class": "hudson.security.csrf.DefaultCrumbIssuer", "crumb": crumb, "crumbRequestField": "Jenkins-Crumb"}),
        )
        .header(
            "Set-Cookie",
            &format!("JSESSIONID.6f3a1c2b={session}; Path=/; HttpOnly"),
        );
    }
    // CSRF: a POST with a password needs a crumb and its session (API tokens
    // are exempt since Jenkins 2.96).
    if req.method == "POST" && !with_token {
        let crumb = req.header("jenkins-crumb").unwrap_or("");
        let cookie = req.header("cookie").unwrap_or("");
        let ok = s
            .crumbs
            .iter()
            .any(|(c, sess)| c == crumb && cookie.contains(&format!("JSESSIONID.6f3a1c2b={sess}")));
        if !ok {
            s.crumb_refusals += 1;
            return jk_html(403, "No valid crumb was included in the request");
        }
    }
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    // /job/a/job/b/... -> "a/b", and the rest.
    let mut job = Vec::new();
    let mut i = 0;
    while i + 1 < segs.len() && segs[i] == "job" {
        job.push(super::server::decode(segs[i + 1]));
        i += 2;
    }
    let job = job.join("/");
    let rest = &segs[i.min(segs.len())..];
    let root = s.root_url.clone();
    let job_url = |job: &str| {
        let p: String = job.split('/').map(|j| format!("job/{j}/")).collect();
        format!("{root}{p}")
    };
    match (req.method.as_str(), segs.first().copied(), rest) {
        ("POST", Some("job"), ["build" | "buildWithParameters"]) => {
            let params: Vec<(String, String)> = req
                .body
                .split('&')
                .filter(|kv| !kv.is_empty())
                .filter_map(|kv| {
                    let (k, v) = kv.split_once('=')?;
                    Some((super::server::decode(k), super::server::decode(v)))
                })
                .collect();
            s.triggers.push((job.clone(), params));
            let id = s.next_item;
            s.next_item += 1;
            s.items.push(JkItem {
                id,
                job,
                polls: 0,
                cancelled: false,
                build: None,
            });
            // Location: built from the request's host (Stapler's redirect).
            let host = req.header("host").unwrap_or("127.0.0.1");
            Answer::status(201).header("Location", &format!("http://{host}/queue/item/{id}/"))
        }
        ("GET", Some("queue"), _) if segs.len() == 5 && segs[1] == "item" && segs[3] == "api" => {
            let id: u64 = segs[2].parse().unwrap_or(0);
            let (qp, expire) = (s.queue_polls, s.expire_left);
            let Some(item) = s.items.iter_mut().find(|it| it.id == id) else {
                return jk_html(404, "Not Found");
            };
            if item.cancelled {
                return Answer::json(
                    200,
                    json!({"_class": "hudson.model.Queue$LeftItem", "id": id, "cancelled": true, "executable": null}),
                );
            }
            if item.build.is_none() {
                item.polls += 1;
                if item.polls <= qp {
                    return Answer::json(
                        200,
                        json!({"_class": "hudson.model.Queue$WaitingItem", "id": id, "blocked": false,
                               "buildable": true, "stuck": false, "why": "Waiting for next available executor",
                               "inQueueSince": 1740816000000u64, "task": {"name": item.job}, "executable": null}),
                    );
                }
                let number = s.next_build;
                s.next_build += 1;
                let item = s.items.iter_mut().find(|it| it.id == id).unwrap();
                let forgotten = expire;
                item.build = Some(number);
                let job = item.job.clone();
                s.builds.push(JkBuild {
                    number,
                    job: job.clone(),
                    queue_id: id,
                    polls: 0,
                    stopped: false,
                });
                if forgotten {
                    // It left, and was forgotten, before this GET came.
                    return jk_html(404, "Not Found");
                }
                return Answer::json(
                    200,
                    json!({"_class": "hudson.model.Queue$LeftItem", "id": id, "cancelled": false,
                           "executable": {"_class": "hudson.model.FreeStyleBuild", "number": number,
                                          "url": format!("{}{number}/", job_url(&job))}}),
                );
            }
            if expire {
                return jk_html(404, "Not Found");
            }
            let number = item.build.unwrap();
            let job = item.job.clone();
            Answer::json(
                200,
                json!({"_class": "hudson.model.Queue$LeftItem", "id": id, "cancelled": false,
                       "executable": {"number": number, "url": format!("{}{number}/", job_url(&job))}}),
            )
        }
        ("POST", Some("queue"), _) if segs.get(1) == Some(&"cancelItem") => {
            let id: u64 = query_param(req, "id")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            s.cancelled_items.push(id);
            match s
                .items
                .iter_mut()
                .find(|it| it.id == id && it.build.is_none() && !it.cancelled)
            {
                Some(it) => {
                    it.cancelled = true;
                    Answer::status(204)
                }
                None => jk_html(404, &format!("Provided id ({id}) not found")),
            }
        }
        ("GET", Some("job"), ["api", "json"]) => {
            let builds: Vec<Value> = s
                .builds
                .iter()
                .rev()
                .filter(|b| b.job == job)
                .map(|b| json!({"number": b.number, "queueId": b.queue_id, "url": format!("{}{}/", job_url(&job), b.number)}))
                .collect();
            Answer::json(
                200,
                json!({"_class": "hudson.model.FreeStyleProject", "builds": builds}),
            )
        }
        ("GET", Some("job"), [n, "api", "json"]) => {
            let n: u64 = n.parse().unwrap_or(0);
            let (bp, result, hold) = (s.build_polls, s.result.clone(), s.hold);
            let Some(b) = s.builds.iter_mut().find(|b| b.job == job && b.number == n) else {
                return jk_html(404, "Not Found");
            };
            b.polls += 1;
            let (building, result) = if b.stopped {
                (false, Some("ABORTED".to_string()))
            } else if b.polls <= bp || hold {
                (true, None)
            } else {
                (false, Some(result))
            };
            Answer::json(
                200,
                json!({"_class": "hudson.model.FreeStyleBuild", "number": n, "queueId": b.queue_id,
                       "url": format!("{}{n}/", job_url(&job)), "building": building, "inProgress": building,
                       "result": result, "duration": 0, "timestamp": 1740816000000u64}),
            )
        }
        ("POST", Some("job"), [n, "stop"]) => {
            let n: u64 = n.parse().unwrap_or(0);
            s.stops.push(n);
            if let Some(b) = s.builds.iter_mut().find(|b| b.job == job && b.number == n) {
                b.stopped = true;
            }
            // forwardToPreviousPage: back to the Referer, else the build's
            // page, on the host the request came to.
            let host = req.header("host").unwrap_or("127.0.0.1").to_string();
            let back = req
                .header("referer")
                .map(str::to_string)
                .unwrap_or_else(|| {
                    format!(
                        "http://{host}/{}",
                        path.trim_start_matches('/').trim_end_matches("stop")
                    )
                });
            Answer::redirect(&back)
        }
        _ => jk_html(404, "Not Found"),
    }
}

// ---- Argo CD ------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct ArgoOp {
    /// "sync" or "rollback".
    pub kind: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub phase: String,
    pub message: String,
    /// GETs since it started.
    pub polls: u32,
    /// The history id a rollback goes back to; the revision a sync deploys.
    pub target: Value,
}

pub struct ArgoState {
    pub token: String,
    pub history: Vec<(i64, String)>,
    pub auto_sync: bool,
    pub target_revision: String,
    /// GETs while an operation runs.
    pub running_polls: u32,
    /// GETs after it finished before the controller reconciles (the old
    /// health and OutOfSync are shown meanwhile).
    pub stale_polls: u32,
    pub settle_health: String,
    /// The sync operation ends Failed.
    pub fail_sync: bool,
    pub health: String,
    pub sync_status: String,
    pub reconciled_at: String,
    pub op: Option<ArgoOp>,
    /// A sync runs on and on (until terminated); rollbacks still finish.
    pub hold: bool,
    pub syncs: Vec<Value>,
    pub rollbacks: Vec<Value>,
    pub terminations: u32,
}

pub struct Argo {
    pub server: Server,
    pub state: Arc<Mutex<ArgoState>>,
}

fn argo_error(status: u16, code: u16, message: &str) -> Answer {
    Answer::json(
        status,
        json!({"error": message, "code": code, "message": message, "details": []}),
    )
}

impl Argo {
    pub fn start(token: &str) -> Argo {
        let state = Arc::new(Mutex::new(ArgoState {
            token: token.into(),
            history: vec![(2, "rev2".into()), (3, "rev3".into())],
            auto_sync: false,
            target_revision: "HEAD".into(),
            running_polls: 2,
            stale_polls: 1,
            settle_health: "Healthy".into(),
            fail_sync: false,
            health: "Healthy".into(),
            sync_status: "Synced".into(),
            reconciled_at: "2025-02-28T12:00:00Z".into(),
            op: Some(ArgoOp {
                kind: "sync".into(),
                started_at: "2025-02-28T11:59:00Z".into(),
                finished_at: Some("2025-02-28T11:59:30Z".into()),
                phase: "Succeeded".into(),
                message: "successfully synced (all tasks run)".into(),
                polls: 99,
                target: json!("rev3"),
            }),
            hold: false,
            syncs: Vec::new(),
            rollbacks: Vec::new(),
            terminations: 0,
        }));
        let st = state.clone();
        let server = Server::start(Arc::new(move |req: &Seen| {
            argo_answer(&mut st.lock().unwrap(), req).header("Date", &http_date())
        }));
        Argo { server, state }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }
}

/// The controller, one GET's worth: a running operation advances, a finished
/// one is reconciled after `stale_polls`.
fn argo_tick(s: &mut ArgoState) {
    let (running_polls, stale, hold, fail) = (s.running_polls, s.stale_polls, s.hold, s.fail_sync);
    let Some(op) = s.op.as_mut() else { return };
    op.polls += 1;
    if op.finished_at.is_none() {
        if op.phase == "Terminating" && op.polls > 1 {
            op.phase = "Failed".into();
            op.message = "Operation terminated".into();
            op.finished_at = Some(now());
            return;
        }
        if op.polls > running_polls && !(hold && op.kind == "sync") {
            op.finished_at = Some(now());
            if op.kind == "sync" && fail {
                op.phase = "Failed".into();
                op.message = "one or more objects failed to apply".into();
            } else {
                op.phase = "Succeeded".into();
                op.message = "successfully synced (all tasks run)".into();
                let next = s.history.last().map_or(1, |h| h.0 + 1);
                let rev = match op.kind.as_str() {
                    "rollback" => {
                        let id = op.target.as_i64().unwrap_or(0);
                        s.history
                            .iter()
                            .find(|h| h.0 == id)
                            .map(|h| h.1.clone())
                            .unwrap_or_default()
                    }
                    _ => op.target.as_str().unwrap_or("rev-next").to_string(),
                };
                s.history.push((next, rev));
            }
            s.sync_status = "OutOfSync".into();
        }
        return;
    }
    // Finished: reconciled once `stale_polls` GETs have seen it.
    if op.polls > running_polls + 1 + stale && s.reconciled_at < *op.finished_at.as_ref().unwrap() {
        s.reconciled_at = now();
        // A second later than finishedAt at least (dated to the second).
        if s.reconciled_at < *op.finished_at.as_ref().unwrap() {
            s.reconciled_at = op.finished_at.clone().unwrap();
        }
        s.sync_status = "Synced".into();
        s.health = s.settle_health.clone();
    }
}

fn argo_app(s: &ArgoState, name: &str) -> Value {
    let history: Vec<Value> = s
        .history
        .iter()
        .map(|(id, rev)| json!({"id": id, "revision": rev, "deployedAt": "2025-02-28T11:59:30Z"}))
        .collect();
    let mut v = json!({
        "metadata": {"name": name, "namespace": "argocd"},
        "spec": {"project": "default",
                 "source": {"repoURL": "https://git.example.com/app.git", "path": "deploy", "targetRevision": s.target_revision},
                 "destination": {"server": "https://kubernetes.default.svc", "namespace": "app"},
                 "syncPolicy": if s.auto_sync { json!({"automated": {"prune": true, "selfHeal": true}}) } else { json!({}) }},
        "status": {"sync": {"status": s.sync_status, "revision": s.history.last().map(|h| h.1.clone())},
                   "health": {"status": s.health},
                   "history": history,
                   "reconciledAt": s.reconciled_at}
    });
    if let Some(op) = &s.op {
        let mut state = json!({"phase": op.phase, "message": op.message, "startedAt": op.started_at,
                               "operation": {op.kind.clone(): {"revision": op.target}}});
        if let Some(f) = &op.finished_at {
            state["finishedAt"] = Value::from(f.clone());
        }
        v["status"]["operationState"] = state;
        if op.finished_at.is_none() {
            v["operation"] = json!({op.kind.clone(): {}, "initiatedBy": {"username": "admin"}});
        }
    }
    v
}

fn argo_answer(s: &mut ArgoState, req: &Seen) -> Answer {
    if req.header("authorization") != Some(&format!("Bearer {}", s.token)) {
        return argo_error(401, 16, "invalid session: token is not valid");
    }
    let parts: Vec<&str> = req.path().trim_matches('/').split('/').collect();
    let in_progress = s.op.as_ref().is_some_and(|o| o.finished_at.is_none());
    let start = |s: &mut ArgoState, kind: &str, target: Value| {
        // Operations start a second apart at least (dated to the second).
        let mut started = now();
        if s.op.as_ref().is_some_and(|o| o.started_at >= started) {
            std::thread::sleep(std::time::Duration::from_millis(1000));
            started = now();
        }
        s.op = Some(ArgoOp {
            kind: kind.into(),
            started_at: started,
            finished_at: None,
            phase: "Running".into(),
            message: "waiting for healthy state of apps/Deployment/app".into(),
            polls: 0,
            target,
        });
        // The health stays what it was until the controller reconciles.
    };
    match (req.method.as_str(), parts.as_slice()) {
        ("GET", ["api", "v1", "applications", app]) => {
            argo_tick(s);
            Answer::json(200, argo_app(s, app))
        }
        ("POST", ["api", "v1", "applications", app, "sync"]) => {
            let body = req.json();
            s.syncs.push(body.clone());
            let revision = body.get("revision").and_then(Value::as_str).unwrap_or("");
            if s.auto_sync && !revision.is_empty() && revision != s.target_revision {
                return argo_error(
                    400,
                    9,
                    &format!(
                        "Cannot sync to {revision}: auto-sync currently set to {}",
                        s.target_revision
                    ),
                );
            }
            if in_progress {
                return argo_error(
                    400,
                    9,
                    "error setting app operation: another operation is already in progress",
                );
            }
            let target = if revision.is_empty() {
                json!("rev-next")
            } else {
                json!(revision)
            };
            start(s, "sync", target);
            Answer::json(200, argo_app(s, app))
        }
        ("POST", ["api", "v1", "applications", app, "rollback"]) => {
            let body = req.json();
            s.rollbacks.push(body.clone());
            if s.auto_sync {
                return argo_error(
                    400,
                    9,
                    "rollback cannot be initiated when auto-sync is enabled",
                );
            }
            let id = body.get("id").and_then(Value::as_i64).unwrap_or(-1);
            if !s.history.iter().any(|h| h.0 == id) {
                return argo_error(
                    400,
                    3,
                    &format!("application argocd/{app} does not have deployment with id {id}"),
                );
            }
            if in_progress {
                return argo_error(
                    400,
                    9,
                    "error setting app operation: another operation is already in progress",
                );
            }
            start(s, "rollback", json!(id));
            Answer::json(200, argo_app(s, app))
        }
        ("DELETE", ["api", "v1", "applications", _app, "operation"]) => {
            if !in_progress {
                return argo_error(
                    400,
                    3,
                    "Unable to terminate operation. No operation is in progress",
                );
            }
            s.terminations += 1;
            if let Some(op) = s.op.as_mut() {
                op.phase = "Terminating".into();
                op.polls = 0;
            }
            Answer::json(200, json!({}))
        }
        _ => argo_error(404, 5, "not found"),
    }
}
