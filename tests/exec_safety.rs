//! The executor's safety rules against misbehaving fakes: a timeout on every
//! call, capped bodies, redirects only to the same host, https unless
//! loopback or allow_http, secrets resolved at call time and never shown.

mod common;
mod fakes;

use common::Scratch;
use fakes::{Answer, Server, Webhook};
use flotilla::exec::{check_runbook, run_blocking, Abort, RunEvent, RunOptions, RunReport};
use flotilla::plan::parse_plan;
use flotilla::runbook::{compile_plan, seal, Runbook};
use serde_json::json;
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

const SECRET: &str = "tok-safety-77c1b2a3";

fn secrets() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| std::env::set_var("FT_SAFETY_TOKEN", SECRET));
}

/// One webhook component `a` on `base`, status polled every second for at
/// most `status_timeout` s, calls timing out after 1 s.
fn runbook(base: &str, secret: &str, status_timeout: u32) -> Runbook {
    let p = json!({
        "format": "flotilla.plan", "version": 1,
        "teams": [ { "key": "ops", "name": "Ops" } ],
        "endpoints": { "hook": { "kind": "webhook", "base_url": base, "timeout_s": 1,
                                 "auth": { "scheme": "bearer", "secret": secret } } },
        "releases": [ {
            "key": "r1", "name": "Release One", "start": "2025-01-06", "release_date": "2025-03-01",
            "components": [ { "key": "a", "title": "A", "team": "ops", "duration_days": 1, "deploy": {
                "endpoint": "hook",
                "trigger": { "method": "POST", "path": "/deploy/a" },
                "status": { "path": "/deploy/a/status", "field": "state", "success": ["succeeded"],
                            "failure": ["failed"], "interval_s": 1, "timeout_s": status_timeout },
                "rollback": { "method": "POST", "path": "/rollback/a" } } } ],
            "rollback_triggers": [ { "kind": "verify_failed" } ]
        } ]
    });
    compile_plan(&parse_plan(&p.to_string()).unwrap(), "r1").unwrap()
}

fn run(rb: Runbook) -> (RunReport, Vec<RunEvent>) {
    secrets();
    let s = Scratch::new();
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let report = run_blocking(
        rb,
        RunOptions::new(s.path("w.db")),
        Arc::new(move |e| sink.lock().unwrap().push(e)),
        Abort::new(),
    )
    .expect("the run runs");
    let events = events.lock().unwrap().clone();
    let text = format!("{events:?} {}", serde_json::to_string(&report).unwrap());
    assert!(!text.contains(SECRET), "a secret was shown");
    (report, events)
}

fn reason(r: &RunReport) -> String {
    r.run.reason.clone().unwrap_or_default()
}

#[test]
fn a_huge_answer_is_refused() {
    let hook = Webhook::start(Some(SECRET));
    hook.with(|s| {
        s.status_answer
            .insert("a".into(), Answer::huge(flotilla::exec::BODY_CAP + 10));
    });
    let (report, _) = run(runbook(&hook.url(), "env:FT_SAFETY_TOKEN", 30));
    assert_eq!(report.exit_code(), 3);
    assert!(
        reason(&report).contains("larger than 1048576 bytes"),
        "{}",
        reason(&report)
    );
    assert_eq!(hook.rollbacks(), ["a"]);
}

#[test]
fn a_hanging_endpoint_times_out_and_the_step_fails_at_its_deadline() {
    let hook = Webhook::start(Some(SECRET));
    hook.with(|s| {
        s.status_answer.insert("a".into(), Answer::hang());
    });
    let (report, events) = run(runbook(&hook.url(), "env:FT_SAFETY_TOKEN", 2));
    assert_eq!(report.exit_code(), 3);
    assert!(
        reason(&report).contains("not done after 2 s"),
        "{}",
        reason(&report)
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, RunEvent::Call { error: Some(m), .. } if m.contains("timed out"))));
}

#[test]
fn a_slow_answer_within_the_timeout_is_fine() {
    let hook = Webhook::start(Some(SECRET));
    hook.with(|s| {
        s.status_answer.insert(
            "a".into(),
            Answer::json(200, json!({"state": "succeeded"})).slow(Duration::from_millis(300)),
        );
    });
    let (report, _) = run(runbook(&hook.url(), "env:FT_SAFETY_TOKEN", 30));
    assert_eq!(report.exit_code(), 0, "{}", reason(&report));
}

#[test]
fn redirects_go_only_to_the_same_host() {
    let elsewhere = Server::start(Arc::new(|_: &fakes::Seen| {
        Answer::json(200, json!({"state": "succeeded"}))
    }));
    let hook = Webhook::start(Some(SECRET));
    hook.with(|s| {
        s.status_answer.insert(
            "a".into(),
            Answer::redirect(&format!("{}/deploy/a/status", elsewhere.url())),
        );
    });
    let (report, _) = run(runbook(&hook.url(), "env:FT_SAFETY_TOKEN", 30));
    assert_eq!(report.exit_code(), 3);
    assert!(
        reason(&report).contains("redirect to another host"),
        "{}",
        reason(&report)
    );
    assert!(
        elsewhere.seen().is_empty(),
        "the bearer token must not travel elsewhere"
    );

    // A redirect on the same host and port is followed.
    let hook = Webhook::start(Some(SECRET));
    hook.with(|s| {
        s.status_answer
            .insert("a".into(), Answer::redirect("/deploy/a/status-v2"));
    });
    let (report, _) = run(runbook(&hook.url(), "env:FT_SAFETY_TOKEN", 2));
    // /status-v2 is unknown to the fake (404): followed, then refused as an answer.
    assert!(
        reason(&report).contains("answered 404"),
        "{}",
        reason(&report)
    );
}

#[test]
fn plain_http_to_a_host_that_is_not_loopback_is_refused() {
    let mut rb = runbook("http://127.0.0.1:9", "env:FT_SAFETY_TOKEN", 30);
    rb.endpoints.get_mut("hook").unwrap().base_url = "http://deploy.example.com".into();
    seal(&mut rb);
    let e = check_runbook(&rb).unwrap_err();
    assert_eq!(e.code(), "insecure_endpoint");
    rb.endpoints.get_mut("hook").unwrap().allow_http = Some(true);
    seal(&mut rb);
    assert!(check_runbook(&rb).is_ok());
    rb.endpoints.get_mut("hook").unwrap().base_url = "https://deploy.example.com".into();
    rb.endpoints.get_mut("hook").unwrap().allow_http = None;
    seal(&mut rb);
    assert!(check_runbook(&rb).is_ok());
}

/// (keyring: secrets have their own tests, on a private Secret Service:
/// tests/keyring.rs; here the process's own session would be asked.)
#[test]
fn a_missing_secret_fails_the_step_naming_the_secret() {
    let hook = Webhook::start(Some(SECRET));
    let (report, _) = run(runbook(&hook.url(), "env:FT_SAFETY_SURELY_UNSET", 30));
    assert_eq!(report.exit_code(), 3);
    assert!(
        reason(&report).contains("FT_SAFETY_SURELY_UNSET is not set"),
        "{}",
        reason(&report)
    );
    assert!(hook.server.seen().is_empty());
}

#[test]
fn the_token_is_sent_but_never_shown() {
    let hook = Webhook::start(Some(SECRET));
    let (report, events) = run(runbook(&hook.url(), "env:FT_SAFETY_TOKEN", 30));
    assert_eq!(report.exit_code(), 0, "{}", reason(&report));
    let t = hook.server.hits("POST", "/deploy/a");
    assert_eq!(
        t[0].header("authorization"),
        Some(format!("Bearer {SECRET}").as_str())
    );
    assert!(events.iter().any(|e| matches!(e, RunEvent::Call { .. })));
}
