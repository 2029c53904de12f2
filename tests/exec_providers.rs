//! Each provider against a fake of its service on 127.0.0.1, answering in the
//! service's real shapes: GitHub Actions, GitLab, Jenkins, Argo CD.

mod common;
mod fakes;

use common::Scratch;
use fakes::{Argo, Github, Gitlab, Jenkins};
use flotilla::exec::{run_blocking, Abort, RunEvent, RunOptions, RunReport};
use flotilla::plan::parse_plan;
use flotilla::runbook::compile_plan;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex, Once};

const GH: &str = "ghp_fake_0123456789abcdef";
const GL: &str = "glptt-fake-0123456789";
const JK: &str = "11aa22bb33cc44dd55ee";
const ARGO: &str = "argo-fake-jwt-0123456789";

/// Every secret the tests use, set once before any run reads one.
fn secrets() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::env::set_var("FT_GH_TOKEN", GH);
        std::env::set_var("FT_GL_TOKEN", GL);
        std::env::set_var("FT_JK_TOKEN", JK);
        std::env::set_var("FT_ARGO_TOKEN", ARGO);
    });
}

/// One release, one component deployed through `endpoint` with `deploy`.
fn plan(endpoint: Value, deploy: Value, triggers: Value) -> flotilla::plan::Plan {
    let mut deploy = deploy;
    deploy["endpoint"] = Value::from("svc");
    let p = json!({
        "format": "flotilla.plan", "version": 1,
        "teams": [ { "key": "ops", "name": "Ops", "contacts": { "primary": { "name": "Dana", "handle": "@dana" } } } ],
        "endpoints": { "svc": endpoint },
        "releases": [ {
            "key": "r1", "name": "Release One", "start": "2025-01-06", "release_date": "2025-03-01",
            "components": [ { "key": "shop", "title": "Shop", "team": "ops", "duration_days": 1, "deploy": deploy } ],
            "rollback_triggers": triggers
        } ]
    });
    parse_plan(&p.to_string()).expect("valid plan")
}

/// Runs the release's runbook; returns the report and every event.
fn run(plan: &flotilla::plan::Plan) -> (RunReport, Vec<RunEvent>, Scratch) {
    secrets();
    let rb = compile_plan(plan, "r1").unwrap();
    let s = Scratch::new();
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let mut opts = RunOptions::new(s.path("w.db"));
    opts.watch = Some(std::time::Duration::ZERO);
    let report = run_blocking(
        rb,
        opts,
        Arc::new(move |e| sink.lock().unwrap().push(e)),
        Abort::new(),
    )
    .expect("the run runs");
    let events = events.lock().unwrap().clone();
    (report, events, s)
}

fn no_secret_in(events: &[RunEvent], report: &RunReport, secret: &str) {
    let text = format!("{events:?} {}", serde_json::to_string(report).unwrap());
    assert!(!text.contains(secret));
}

fn github_plan(base: &str) -> flotilla::plan::Plan {
    plan(
        json!({ "kind": "github_actions", "base_url": base, "repo": "acme/shop",
                "auth": { "scheme": "bearer", "secret": "env:FT_GH_TOKEN" } }),
        json!({ "workflow": "deploy.yml", "ref": "release/2.5", "inputs": { "version": "2.5.0" } }),
        json!([{ "kind": "verify_failed" }]),
    )
}

#[test]
fn github_actions_dispatches_with_run_details_then_follows_the_run() {
    let gh = Github::start(GH);
    let (report, events, _s) = run(&github_plan(&gh.server.url()));
    assert_eq!(report.exit_code(), 0, "{report:?}");
    let d = gh.server.hits(
        "POST",
        "/repos/acme/shop/actions/workflows/deploy.yml/dispatches",
    );
    assert_eq!(d.len(), 1);
    let body = d[0].json();
    assert_eq!(body["ref"], "release/2.5");
    assert_eq!(body["inputs"]["version"], "2.5.0");
    assert_eq!(body["return_run_details"], true);
    assert_eq!(d[0].header("x-github-api-version"), Some("2022-11-28"));
    assert_eq!(d[0].header("accept"), Some("application/vnd.github+json"));
    assert_eq!(
        d[0].header("idempotency-key"),
        Some(format!("{}:shop", report.run.id).as_str())
    );
    // Polled until completed: in_progress, then completed/success.
    assert_eq!(
        gh.server
            .hits("GET", "/repos/acme/shop/actions/runs/9000001")
            .len(),
        2
    );
    let step = &report.steps[0];
    assert_eq!(step.state, "succeeded");
    assert_eq!(
        step.provider_ref.as_ref().unwrap()["workflow_run_id"],
        9000001
    );
    no_secret_in(&events, &report, GH);
}

#[test]
fn a_failed_github_run_fails_the_step_and_needs_a_person_to_roll_back() {
    let gh = Github::start(GH);
    gh.state.lock().unwrap().conclusion = "failure".into();
    let (report, _, _s) = run(&github_plan(&gh.server.url()));
    assert_eq!(report.exit_code(), 4);
    let step = &report.steps[0];
    assert_eq!(step.state, "rollback_manual");
    let msg = step.message.as_deref().unwrap();
    assert!(msg.contains("Dana @dana"), "{msg}");
    assert!(report
        .run
        .reason
        .as_deref()
        .unwrap()
        .contains("concluded failure"));
}

#[test]
fn gitlab_triggers_a_pipeline_with_the_trigger_token_then_reads_its_status() {
    let gl = Gitlab::start(GL);
    let p = plan(
        json!({ "kind": "gitlab", "base_url": gl.server.url(), "project_id": "42",
                "auth": { "scheme": "header", "header": "PRIVATE-TOKEN", "secret": "env:FT_GL_TOKEN" } }),
        json!({ "ref": "main", "variables": { "VERSION": "2.5.0" } }),
        json!([]),
    );
    let (report, events, _s) = run(&p);
    assert_eq!(report.exit_code(), 0, "{report:?}");
    let t = gl
        .server
        .hits("POST", "/api/v4/projects/42/trigger/pipeline");
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].form("token").as_deref(), Some(GL));
    assert_eq!(t[0].form("ref").as_deref(), Some("main"));
    assert_eq!(t[0].form("variables[VERSION]").as_deref(), Some("2.5.0"));
    assert_eq!(
        gl.server
            .hits("GET", "/api/v4/projects/42/pipelines/4711")
            .len(),
        2
    );
    assert_eq!(
        report.steps[0].provider_ref.as_ref().unwrap()["pipeline_id"],
        4711
    );
    no_secret_in(&events, &report, GL);
}

fn jenkins_plan(base: &str) -> flotilla::plan::Plan {
    plan(
        json!({ "kind": "jenkins", "base_url": base, "job": "deploy",
                "auth": { "scheme": "basic", "username": "ci", "secret": "env:FT_JK_TOKEN" } }),
        json!({ "parameters": { "VERSION": "2.5.0" } }),
        json!([{ "kind": "verify_failed" }]),
    )
}

fn basic(user: &str, token: &str) -> String {
    // The fake checks the header the executor sends; build it independently.
    let raw = format!("{user}:{token}");
    let t = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in raw.as_bytes().chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(t[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn jenkins_builds_with_parameters_then_follows_queue_item_and_build() {
    let jk = Jenkins::start(&basic("ci", JK));
    let (report, events, _s) = run(&jenkins_plan(&jk.server.url()));
    assert_eq!(report.exit_code(), 0, "{report:?}");
    let b = jk.server.hits("POST", "/job/deploy/buildWithParameters");
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].form("VERSION").as_deref(), Some("2.5.0"));
    assert_eq!(jk.server.hits("GET", "/queue/item/3/api/json").len(), 2);
    assert_eq!(jk.server.hits("GET", "/job/deploy/5/api/json").len(), 2);
    let r = report.steps[0].provider_ref.as_ref().unwrap();
    assert!(r["build"].as_str().unwrap().ends_with("/job/deploy/5/"));
    no_secret_in(&events, &report, JK);
    no_secret_in(&events, &report, &basic("ci", JK));
}

#[test]
fn jenkins_pointing_at_another_host_is_refused() {
    let jk = Jenkins::start(&basic("ci", JK));
    jk.state.lock().unwrap().executable_base = Some("http://127.0.0.1:1".into());
    let (report, _, _s) = run(&jenkins_plan(&jk.server.url()));
    assert_ne!(report.exit_code(), 0);
    assert!(report
        .run
        .reason
        .as_deref()
        .unwrap()
        .contains("another host"));
    assert!(jk.server.hits("GET", "/job/deploy/5/api/json").is_empty());
}

fn argo_plan(base: &str) -> flotilla::plan::Plan {
    plan(
        json!({ "kind": "argocd", "base_url": base, "app": "shop",
                "auth": { "scheme": "bearer", "secret": "env:FT_ARGO_TOKEN" } }),
        json!({ "revision": "v2.5.0" }),
        json!([{ "kind": "verify_failed" }]),
    )
}

#[test]
fn argocd_syncs_then_waits_for_succeeded_and_healthy() {
    let argo = Argo::start(ARGO);
    let (report, events, _s) = run(&argo_plan(&argo.server.url()));
    assert_eq!(report.exit_code(), 0, "{report:?}");
    let sync = argo.server.hits("POST", "/api/v1/applications/shop/sync");
    assert_eq!(sync.len(), 1);
    assert_eq!(sync[0].json()["revision"], "v2.5.0");
    assert_eq!(
        report.steps[0].provider_ref.as_ref().unwrap()["previous_id"],
        3
    );
    assert!(argo.state.lock().unwrap().rollbacks.is_empty());
    no_secret_in(&events, &report, ARGO);
}

#[test]
fn a_degraded_argocd_app_is_rolled_back_with_argos_own_rollback() {
    let argo = Argo::start(ARGO);
    argo.state.lock().unwrap().settle_health = "Degraded".into();
    let (report, _, _s) = run(&argo_plan(&argo.server.url()));
    assert_eq!(report.exit_code(), 3, "{report:?}");
    assert_eq!(report.steps[0].state, "rolled_back");
    // Back to the deployment before the sync.
    assert_eq!(
        argo.state.lock().unwrap().rollbacks,
        [json!({"id": 3, "prune": false})]
    );
}

#[test]
fn a_github_status_redirected_to_another_host_is_refused() {
    let gh = Github::start(GH);
    let other = fakes::Server::start(Arc::new(|_: &fakes::Seen| {
        fakes::Answer::json(200, json!({"status": "completed", "conclusion": "success"}))
    }));
    gh.server.answer(
        "GET",
        "/repos/acme/shop/actions/runs/9000001",
        fakes::Answer::redirect(&format!("{}/runs/9000001", other.url())),
    );
    let (report, _, _s) = run(&github_plan(&gh.server.url()));
    assert_ne!(report.exit_code(), 0);
    assert!(report
        .run
        .reason
        .as_deref()
        .unwrap()
        .contains("redirect to another host"));
    assert!(
        other.seen().is_empty(),
        "the token must not travel to another host"
    );
}

#[test]
fn a_huge_jenkins_answer_is_refused() {
    let jk = Jenkins::start(&basic("ci", JK));
    jk.server.answer(
        "GET",
        "/queue/item/3/api/json",
        fakes::Answer::huge(2 * 1024 * 1024),
    );
    let (report, _, _s) = run(&jenkins_plan(&jk.server.url()));
    assert_ne!(report.exit_code(), 0);
    assert!(report
        .run
        .reason
        .as_deref()
        .unwrap()
        .contains("larger than"));
}

#[test]
fn a_slow_gitlab_is_waited_for() {
    let gl = Gitlab::start(GL);
    let p = plan(
        json!({ "kind": "gitlab", "base_url": gl.server.url(), "project_id": "42",
                "auth": { "scheme": "header", "header": "PRIVATE-TOKEN", "secret": "env:FT_GL_TOKEN" } }),
        json!({ "ref": "main" }),
        json!([]),
    );
    gl.server.answer(
        "GET",
        "/api/v4/projects/42/pipelines/4711",
        fakes::Answer::json(200, json!({"id": 4711, "status": "success"}))
            .slow(std::time::Duration::from_millis(400)),
    );
    let (report, _, _s) = run(&p);
    assert_eq!(report.exit_code(), 0, "{report:?}");
}

#[test]
fn a_hanging_argocd_sync_fails_and_is_rolled_back_to_the_noted_deployment() {
    let argo = Argo::start(ARGO);
    argo.server.answer(
        "POST",
        "/api/v1/applications/shop/sync",
        fakes::Answer::hang(),
    );
    let mut p = argo_plan(&argo.server.url());
    p.endpoints.get_mut("svc").unwrap().timeout_s = Some(1);
    let (report, _, _s) = run(&p);
    // The sync may have reached Argo CD: it counts as triggered, and is
    // rolled back to the deployment noted before the sync was sent.
    assert_eq!(report.exit_code(), 3, "{report:?}");
    assert!(report.run.reason.as_deref().unwrap().contains("timed out"));
    assert_eq!(report.steps[0].state, "rolled_back");
    assert_eq!(
        argo.state.lock().unwrap().rollbacks,
        [json!({"id": 3, "prune": false})]
    );
}
