//! The executor against fake servers on 127.0.0.1, through the real binary:
//! all green, rollback in reverse order, verify failures, a metric trigger in
//! the watch window, Ctrl+C, a killed and resumed run, a tampered runbook,
//! pre-flight, dry run, the audit chain, and secrets never printed.

mod common;
mod fakes;

use common::prometheus::RealPrometheus;
use common::*;
use fakes::{Prometheus, Webhook};
use flotilla::store::Store;
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

const SECRET: &str = "tok-5ecr3t-9f8e7d6c";
const SECRET_VAR: &str = "FLOTILLA_TEST_DEPLOY_TOKEN";

/// A plan whose components deploy on the webhook fake at `base`.
/// `comps`: (key, dependencies); every component has a rollback action
/// unless listed in `no_rollback`.
fn plan(base: &str, comps: &[(&str, &[&str])], triggers: Value) -> Value {
    let components: Vec<Value> = comps
        .iter()
        .map(|(k, _)| {
            json!({ "key": k, "title": format!("Component {k}"), "team": "backend", "duration_days": 1,
                "deploy": {
                    "endpoint": "hook",
                    "trigger": { "method": "POST", "path": format!("/deploy/{k}"), "body": { "version": "1.2.3" } },
                    "status": { "path": format!("/deploy/{k}/status"), "field": "state",
                                "success": ["succeeded"], "failure": ["failed"], "interval_s": 1, "timeout_s": 30 },
                    "verify": [ { "path": format!("/health/{k}"), "expect_status": 200 } ],
                    "rollback": { "method": "POST", "path": format!("/rollback/{k}") }
                } })
        })
        .collect();
    let deps: Vec<Value> = comps
        .iter()
        .flat_map(|(k, ds)| ds.iter().map(move |d| json!({ "from": d, "to": k })))
        .collect();
    json!({
        "format": "flotilla.plan", "version": 1,
        "teams": [ { "key": "backend", "name": "Backend", "contacts": {
            "primary": { "name": "Alex Novak", "handle": "@alex", "phone": "+1 555 0105" },
            "backup": { "name": "Emma Lindqvist", "handle": "@emma" } } } ],
        "endpoints": {
            "hook": { "kind": "webhook", "base_url": base, "timeout_s": 5,
                      "auth": { "scheme": "bearer", "secret": format!("env:{SECRET_VAR}") } }
        },
        "releases": [ {
            "key": "r1", "name": "Release One", "start": "2025-01-06", "release_date": "2025-03-01",
            "components": components, "dependencies": deps,
            "rollback_triggers": triggers,
            "deploy_schedule": { "date": "2025-03-01", "slots": [ { "team": "backend", "at": "09:00" } ] }
        } ]
    })
}

fn verify_failed() -> Value {
    json!([{ "kind": "verify_failed" }, { "kind": "manual", "text": "P0 bug found" }])
}

fn run_cmd(db: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.arg("--db")
        .arg(db)
        .args(args)
        .env("FLOTILLA_ACTOR", "release-manager")
        .env(SECRET_VAR, SECRET)
        .env_remove("FLOTILLA_DB");
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    run_cmd(db, args)
        .stdin(Stdio::null())
        .output()
        .expect("flotilla runs")
}

fn no_secret(o: &Output) {
    assert!(!stdout(o).contains(SECRET), "secret on stdout");
    assert!(!stderr(o).contains(SECRET), "secret on stderr");
}

fn only_run(db: &Path) -> String {
    let runs = Store::open(db).unwrap().runs().unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    runs[0].id.clone()
}

/// Waits (at most 20 s) until `cond` holds.
fn wait_until(what: &str, cond: impl Fn() -> bool) {
    for _ in 0..400 {
        if cond() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("gave up waiting for {what}");
}

/// Waits (at most 60 s) for a child to exit.
fn wait_exit(child: &mut Child) -> i32 {
    for _ in 0..1200 {
        if let Some(s) = child.try_wait().unwrap() {
            return s.code().unwrap_or(-1);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    panic!("the run did not end");
}

#[test]
fn all_green_runs_waves_in_order_verifies_and_keeps_an_intact_audit_trail() {
    let hook = Webhook::start(Some(SECRET));
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(
        &s,
        &plan(
            &hook.url(),
            &[("a", &[]), ("b", &[]), ("c", &["a", "b"])],
            verify_failed(),
        ),
    );
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes", "--json"]);
    no_secret(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["run"]["state"], "succeeded");
    assert_eq!(report["run"]["actor"], "release-manager");
    // Wave 2 (c) is triggered only after wave 1 (a, b).
    let order = hook.triggered();
    assert_eq!(order.len(), 3);
    assert_eq!(order[2], "c");
    let run_id = only_run(&db);
    for (c, key) in &hook.state.lock().unwrap().triggers {
        assert_eq!(key.as_deref(), Some(format!("{run_id}:{c}").as_str()));
    }
    assert_eq!(hook.server.hits("GET", "/health/c").len(), 1);
    assert!(hook.rollbacks().is_empty());
    assert!(
        stderr(&o).contains("[  3/3] c: succeeded"),
        "{}",
        stderr(&o)
    );

    let o = run(&db, &["runs"]);
    assert!(stdout(&o).contains(&run_id) && stdout(&o).contains("succeeded"));
    let o = run(&db, &["runs", &run_id]);
    assert!(stdout(&o).contains("wave 2") && stdout(&o).contains("succeeded"));
    let o = run(&db, &["runs", &run_id, "--audit"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    no_secret(&o);
    let audit = stdout(&o);
    assert!(
        audit.contains(&format!("POST   {}/deploy/a", hook.url())),
        "{audit}"
    );
    assert!(audit.contains("release-manager"));
    assert!(stderr(&o).contains("audit chain intact"));
    assert_db_holds_no(&db, SECRET);
}

#[test]
fn a_failing_step_rolls_back_every_triggered_step_in_reverse_order_of_completion() {
    let hook = Webhook::start(Some(SECRET));
    hook.with(|s| {
        s.failing.insert("d".into());
    });
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(
        &s,
        &plan(
            &hook.url(),
            &[
                ("a", &[]),
                ("b", &["a"]),
                ("c", &["b"]),
                ("d", &["c"]),
                ("e", &["d"]),
            ],
            verify_failed(),
        ),
    );
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes"]);
    no_secret(&o);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    // e never starts; d (failed, but triggered), then c, b, a.
    assert_eq!(hook.triggers_of("e"), 0);
    assert_eq!(hook.rollbacks(), ["d", "c", "b", "a"]);
    let run_id = only_run(&db);
    let store = Store::open(&db).unwrap();
    let run = store.run(&run_id).unwrap();
    assert_eq!(run.state, "rolled_back");
    assert!(run.reason.unwrap().contains("step d failed"));
    let steps = store.run_steps(&run_id).unwrap();
    let e = steps.iter().find(|s| s.step_id == "e").unwrap();
    assert_eq!(e.state, "skipped");
    assert!(steps
        .iter()
        .filter(|s| s.step_id != "e")
        .all(|s| s.state == "rolled_back"));
}

#[test]
fn rollback_order_follows_completion_within_a_wave() {
    let hook = Webhook::start(Some(SECRET));
    hook.with(|s| {
        s.unhealthy.insert("z".into());
    });
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(
        &s,
        &plan(
            &hook.url(),
            &[("p", &[]), ("q", &[]), ("r", &[]), ("z", &["p", "q", "r"])],
            verify_failed(),
        ),
    );
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let run_id = only_run(&db);
    let mut steps = Store::open(&db).unwrap().run_steps(&run_id).unwrap();
    steps.sort_by_key(|s| std::cmp::Reverse(s.completed));
    let expected: Vec<String> = steps.iter().map(|s| s.step_id.clone()).collect();
    assert_eq!(hook.rollbacks(), expected);
    assert_eq!(expected[0], "z");
}

#[test]
fn a_verify_failure_rolls_back_and_names_the_check() {
    let hook = Webhook::start(Some(SECRET));
    hook.with(|s| {
        s.unhealthy.insert("b".into());
    });
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(
        &s,
        &plan(&hook.url(), &[("a", &[]), ("b", &["a"])], verify_failed()),
    );
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("verify failed"), "{}", stderr(&o));
    assert!(stderr(&o).contains("answered 500, expected 200"));
    assert_eq!(hook.rollbacks(), ["b", "a"]);
}

#[test]
fn a_failed_rollback_or_a_step_without_one_needs_a_person() {
    let hook = Webhook::start(Some(SECRET));
    hook.with(|s| {
        s.failing.insert("c".into());
        s.broken_rollback.insert("b".into());
    });
    let s = Scratch::new();
    let db = s.path("w.db");
    let mut p = plan(
        &hook.url(),
        &[("a", &[]), ("b", &["a"]), ("c", &["b"])],
        verify_failed(),
    );
    // a has no rollback action.
    p["releases"][0]["components"][0]["deploy"]
        .as_object_mut()
        .unwrap()
        .remove("rollback");
    let rb = compile_runbook(&s, &p);
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    // c rolled back, b's rollback failed, a by hand: the contacts are named.
    assert_eq!(hook.rollbacks(), ["c", "b"]);
    let err = stderr(&o);
    assert!(
        err.contains("needs a person: a: no rollback action"),
        "{err}"
    );
    assert!(
        err.contains("Alex Novak @alex +1 555 0105 (primary)"),
        "{err}"
    );
    assert!(err.contains("needs a person: b: rollback failed"), "{err}");
    let run_id = only_run(&db);
    assert_eq!(
        Store::open(&db).unwrap().run(&run_id).unwrap().state,
        "rollback_incomplete"
    );
}

#[test]
fn without_a_verify_failed_trigger_a_failure_halts_without_rollback() {
    let hook = Webhook::start(Some(SECRET));
    hook.with(|s| {
        s.failing.insert("b".into());
    });
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(
        &s,
        &plan(
            &hook.url(),
            &[("a", &[]), ("b", &["a"]), ("c", &["b"])],
            json!([{ "kind": "manual", "text": "P0 bug found" }]),
        ),
    );
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(hook.rollbacks().is_empty());
    assert_eq!(hook.triggers_of("c"), 0);
    assert!(stderr(&o).contains("needs a person: b"), "{}", stderr(&o));
}

#[test]
fn a_metric_trigger_in_the_watch_window_rolls_everything_back() {
    let hook = Webhook::start(Some(SECRET));
    let last_checked = Arc::new(AtomicBool::new(false));
    hook.with(|s| s.health_flag = Some(("b".into(), last_checked.clone())));
    let flag = last_checked.clone();
    // Error rate fine during the run, bad once the last step is verified.
    let prom = Prometheus::start(move || {
        if flag.load(Ordering::SeqCst) {
            0.31
        } else {
            0.01
        }
    });
    let s = Scratch::new();
    let db = s.path("w.db");
    let mut p = plan(
        &hook.url(),
        &[("a", &[]), ("b", &["a"])],
        json!([{ "kind": "metric", "endpoint": "prom", "query": "sum(rate(http_requests_total{code=~\"5..\"}[1m]))",
                 "above": 0.05, "for_s": 1 }]),
    );
    p["endpoints"]["prom"] = json!({ "kind": "prometheus", "base_url": prom.url() });
    let rb = compile_runbook(&s, &p);
    let o = run(
        &db,
        &["run", rb.to_str().unwrap(), "--yes", "--watch", "30"],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("watching the metric triggers"), "{err}");
    assert!(err.contains("STOP: metric:"), "{err}");
    assert_eq!(hook.rollbacks(), ["b", "a"]);
    let queries = prom.server.hits("GET", "/api/v1/query");
    assert!(queries.len() >= 2);
    assert!(queries[0].query().starts_with("query=sum%28rate"));
    let run_id = only_run(&db);
    let reason = Store::open(&db)
        .unwrap()
        .run(&run_id)
        .unwrap()
        .reason
        .unwrap();
    assert!(reason.contains("above 0.05"), "{reason}");
}

#[test]
fn ctrl_c_stops_and_rolls_back_what_was_triggered() {
    let hook = Webhook::start(Some(SECRET));
    hook.with(|s| {
        s.running.insert("b".into());
    });
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(
        &s,
        &plan(
            &hook.url(),
            &[("a", &[]), ("b", &["a"]), ("c", &["b"])],
            verify_failed(),
        ),
    );
    let mut child = run_cmd(&db, &["run", rb.to_str().unwrap(), "--yes"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until("b's trigger", || hook.triggers_of("b") == 1);
    let pid = child.id().to_string();
    let k = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(k.success());
    let code = wait_exit(&mut child);
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("Ctrl+C"), "{err}");
    assert_eq!(hook.rollbacks(), ["b", "a"]);
    assert_eq!(hook.triggers_of("c"), 0);
    let run_id = only_run(&db);
    let store = Store::open(&db).unwrap();
    assert!(store
        .run(&run_id)
        .unwrap()
        .reason
        .unwrap()
        .starts_with("manual:"));
    let audit = store.run_audit(&run_id).unwrap();
    assert!(audit
        .iter()
        .any(|r| r.note.as_deref().is_some_and(|n| n.contains("Ctrl+C"))));
}

#[test]
fn a_killed_run_resumes_without_triggering_any_step_twice() {
    let hook = Webhook::start(Some(SECRET));
    hook.with(|s| {
        s.running.insert("b".into());
    });
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(
        &s,
        &plan(
            &hook.url(),
            &[("a", &[]), ("b", &["a"]), ("c", &["b"])],
            verify_failed(),
        ),
    );
    let mut child = run_cmd(&db, &["run", rb.to_str().unwrap(), "--yes"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("b's first status poll", || {
        !hook.server.hits("GET", "/deploy/b/status").is_empty()
    });
    child.kill().unwrap();
    let _ = child.wait();
    let run_id = only_run(&db);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.run(&run_id).unwrap().state, "running");
    drop(store);
    hook.with(|s| {
        s.running.clear();
    });
    let o = run(&db, &["run", rb.to_str().unwrap(), "--resume", &run_id]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("resumed: polling, not triggering again"),
        "{}",
        stderr(&o)
    );
    assert_eq!(hook.triggers_of("a"), 1);
    assert_eq!(hook.triggers_of("b"), 1);
    assert_eq!(hook.triggers_of("c"), 1);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.run(&run_id).unwrap().state, "succeeded");
    assert_eq!(store.verify_run_audit(&run_id).unwrap().broken_at, None);
    // A finished run cannot be resumed.
    let o = run(&db, &["run", rb.to_str().unwrap(), "--resume", &run_id]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_tampered_runbook_is_refused_before_any_call() {
    let hook = Webhook::start(Some(SECRET));
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(&s, &plan(&hook.url(), &[("a", &[])], verify_failed()));
    let text = std::fs::read_to_string(&rb).unwrap();
    std::fs::write(&rb, text.replace("/deploy/a\"", "/deploy/everything\"")).unwrap();
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("changed after it was compiled"),
        "{}",
        stderr(&o)
    );
    assert!(hook.server.seen().is_empty());
}

#[test]
fn open_pre_flight_items_refuse_a_start_unless_forced_and_force_is_audited() {
    let hook = Webhook::start(Some(SECRET));
    let s = Scratch::new();
    let db = s.path("w.db");
    let mut p = plan(&hook.url(), &[("a", &[])], verify_failed());
    p["releases"][0]["checklist"] =
        json!([{ "text": "Rollback procedures tested", "owner": "backend", "gate": true }]);
    let rb = compile_runbook(&s, &p);
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Rollback procedures tested"));
    assert!(hook.server.seen().is_empty());
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let run_id = only_run(&db);
    let store = Store::open(&db).unwrap();
    assert!(store.run(&run_id).unwrap().forced);
    assert!(store
        .run_audit(&run_id)
        .unwrap()
        .iter()
        .any(|r| r.note.as_deref().is_some_and(|n| n.starts_with("--force"))));
}

#[test]
fn without_yes_the_run_asks_first() {
    let hook = Webhook::start(Some(SECRET));
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(&s, &plan(&hook.url(), &[("a", &[])], verify_failed()));
    let o = run(&db, &["run", rb.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not started"));
    assert!(hook.server.seen().is_empty());
    let mut child = run_cmd(&db, &["run", rb.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"yes\n").unwrap();
    assert_eq!(wait_exit(&mut child), 0);
    assert_eq!(hook.triggers_of("a"), 1);
}

#[test]
fn dry_run_prints_every_call_in_order_masks_secrets_and_calls_nothing() {
    let hook = Webhook::start(Some(SECRET));
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(
        &s,
        &plan(&hook.url(), &[("a", &[]), ("b", &["a"])], verify_failed()),
    );
    let o = run(&db, &["run", rb.to_str().unwrap(), "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    no_secret(&o);
    let out = stdout(&o);
    let at = |needle: &str| {
        out.find(needle)
            .unwrap_or_else(|| panic!("{needle} in {out}"))
    };
    assert!(
        at(&format!("POST {}/deploy/a", hook.url()))
            < at(&format!("GET {}/deploy/a/status", hook.url()))
    );
    assert!(
        at(&format!("GET {}/health/a", hook.url())) < at(&format!("POST {}/deploy/b", hook.url()))
    );
    assert!(out.contains("Authorization: Bearer ***"));
    assert!(at("  b  rollback") < at("  a  rollback"));
    assert!(hook.server.seen().is_empty());
    assert!(!db.exists() || Store::open(&db).unwrap().runs().unwrap().is_empty());
}

#[test]
fn an_altered_audit_trail_is_detected() {
    let hook = Webhook::start(Some(SECRET));
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(&s, &plan(&hook.url(), &[("a", &[])], verify_failed()));
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let run_id = only_run(&db);
    let conn = rusqlite::Connection::open(&db).unwrap();
    // The trail refuses changes...
    assert!(conn
        .execute("UPDATE run_audit SET status = 201 WHERE seq = 2", [])
        .is_err());
    assert!(conn.execute("DELETE FROM run_audit", []).is_err());
    // ...and one forced past the guard is found.
    conn.execute_batch(
        "DROP TRIGGER run_audit_no_update; UPDATE run_audit SET url = 'http://elsewhere/' WHERE seq = 2;",
    )
    .unwrap();
    drop(conn);
    let o = run(&db, &["runs", &run_id, "--audit"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("broken at record 2"), "{}", stderr(&o));
}

#[test]
fn the_sample_runbook_rehearses_against_the_rehearsal_target() {
    let target = flotilla::exec::start_rehearsal_target("127.0.0.1:0", Some("127.0.0.1:0"), 1)
        .expect("the target starts");
    assert!(flotilla::exec::start_rehearsal_target("0.0.0.0:0", None, 0).is_err());
    let mut sample: Value = serde_json::from_str(flotilla::SAMPLE_PLAN).unwrap();
    sample["endpoints"]["rehearsal"]["base_url"] = Value::from(format!("http://{}", target.deploy));
    sample["endpoints"]["metrics"]["base_url"] =
        Value::from(format!("http://{}", target.metrics.unwrap()));
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_release_runbook(&s, &sample, "q1-2025");
    let o = run_cmd(
        &db,
        &[
            "run",
            rb.to_str().unwrap(),
            "--yes",
            "--force",
            "--watch",
            "1",
        ],
    )
    .env("FLOTILLA_DEPLOY_TOKEN", SECRET)
    .stdin(Stdio::null())
    .output()
    .unwrap();
    no_secret(&o);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("[ 14/14]"), "{}", stderr(&o));
    let o = run(&db, &["runs", "latest"]);
    assert!(stdout(&o).contains("frontend-dashboard"), "{}", stdout(&o));
    assert!(stdout(&o).contains("manual"));
}

#[test]
fn a_run_killed_while_rolling_back_resumes_the_rollback() {
    let hook = Webhook::start(Some(SECRET));
    hook.with(|s| {
        s.failing.insert("c".into());
        s.rollback_answer.insert("b".into(), fakes::Answer::hang());
    });
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(
        &s,
        &plan(
            &hook.url(),
            &[("a", &[]), ("b", &["a"]), ("c", &["b"])],
            verify_failed(),
        ),
    );
    let mut child = run_cmd(&db, &["run", rb.to_str().unwrap(), "--yes"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("b's rollback", || hook.rollbacks().len() == 2);
    child.kill().unwrap();
    let _ = child.wait();
    let run_id = only_run(&db);
    assert_eq!(
        Store::open(&db).unwrap().run(&run_id).unwrap().state,
        "rolling_back"
    );
    hook.with(|s| {
        s.rollback_answer.clear();
    });
    let o = run(&db, &["run", rb.to_str().unwrap(), "--resume", &run_id]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    // c was rolled back before the kill; b's rollback is sent again (same
    // Idempotency-Key), then a's. Nothing is triggered again.
    assert_eq!(hook.rollbacks(), ["c", "b", "b", "a"]);
    assert_eq!(hook.triggered(), ["a", "b", "c"]);
    let keys: Vec<String> = hook
        .server
        .hits("POST", "/rollback/b")
        .iter()
        .map(|r| r.header("idempotency-key").unwrap().to_string())
        .collect();
    assert_eq!(
        keys,
        [
            format!("{run_id}:b:rollback"),
            format!("{run_id}:b:rollback")
        ]
    );
}

#[test]
fn a_failing_prometheus_is_recorded_but_never_rolls_back() {
    let hook = Webhook::start(Some(SECRET));
    // Answers the pre-flight query, then fails as Prometheus does when it is
    // overloaded (503 with its error body).
    let calls = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let c = calls.clone();
    let prom = fakes::Server::start(Arc::new(move |_req: &fakes::Seen| {
        if c.fetch_add(1, Ordering::SeqCst) == 0 {
            fakes::Answer::json(
                200,
                json!({"status": "success", "data": {"resultType": "vector", "result": [
                    {"metric": {}, "value": [1740816000.0, "0.1"]}]}}),
            )
        } else {
            fakes::Answer::json(
                503,
                json!({"status": "error", "errorType": "unavailable", "error": "too many queries"}),
            )
        }
    }));
    let s = Scratch::new();
    let db = s.path("w.db");
    let mut p = plan(
        &hook.url(),
        &[("a", &[])],
        json!([{ "kind": "metric", "endpoint": "prom", "query": "up", "above": 0.5, "for_s": 1 }]),
    );
    p["endpoints"]["prom"] = json!({ "kind": "prometheus", "base_url": prom.url() });
    let rb = compile_runbook(&s, &p);
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes", "--watch", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(hook.rollbacks().is_empty());
    let run_id = only_run(&db);
    let audit = Store::open(&db).unwrap().run_audit(&run_id).unwrap();
    assert!(
        audit.iter().any(|r| r.note.as_deref().is_some_and(|n| n
            == "metric query not evaluated: Prometheus refused the query (unavailable): too many queries")),
        "{audit:?}"
    );
}

#[test]
fn a_run_resumes_only_with_its_own_runbook() {
    let hook = Webhook::start(Some(SECRET));
    let s = Scratch::new();
    let db = s.path("w.db");
    let first = compile_runbook(&s, &plan(&hook.url(), &[("a", &[])], verify_failed()));
    let o = run(&db, &["run", first.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let run_id = only_run(&db);
    let second = compile_runbook(
        &s,
        &plan(&hook.url(), &[("a", &[]), ("b", &[])], verify_failed()),
    );
    let o = run(&db, &["run", second.to_str().unwrap(), "--resume", &run_id]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("resume it with the same runbook file"),
        "{}",
        stderr(&o)
    );
    let o = run(&db, &["runs", "--json"]);
    let runs: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(runs[0]["id"], run_id.as_str());
    assert_eq!(runs[0]["exit_code"], 0);
    assert_eq!(hook.triggers_of("b"), 0);
}

#[test]
fn a_runs_log_holds_its_steps_and_calls_and_never_a_secret() {
    let hook = Webhook::start(Some(SECRET));
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(
        &s,
        &plan(&hook.url(), &[("a", &[]), ("b", &["a"])], verify_failed()),
    );
    // -vvv: every span and event of Flotilla's own, at trace.
    let o = run(&db, &["-vvv", "run", rb.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    no_secret(&o);
    let log = stderr(&o);
    let run_id = only_run(&db);
    assert!(log.contains("command{name=\"run\"}"), "{log}");
    assert!(
        log.contains(&format!("run{{run_id={run_id} release=r1}}")),
        "{log}"
    );
    for step in ["a", "b"] {
        assert!(
            log.contains(&format!("step{{step={step} wave=")),
            "no span for step {step}:\n{log}"
        );
        assert!(
            log.contains(&format!(
                "http{{method=POST url={}/deploy/{step}}}",
                hook.url()
            )),
            "no call span for step {step}:\n{log}"
        );
    }
    assert!(log.contains("state=succeeded"), "{log}");
    assert!(log.contains("run ended"), "{log}");
    assert!(log.contains("run journal batch committed"), "{log}");
    assert!(log.contains("finished exit_code=0"), "{log}");
    // Without -v the log says nothing beyond warnings.
    let quiet = run(&db, &["runs"]);
    assert!(!stderr(&quiet).contains("command{"), "{}", stderr(&quiet));
}

// ---- metric triggers against a real Prometheus (Debian's `prometheus`) -----

/// An exporter on 127.0.0.1 whose `/metrics` text the test sets, scraped by
/// a real Prometheus every second.
struct Exporter {
    server: fakes::Server,
    text: Arc<std::sync::Mutex<String>>,
}

impl Exporter {
    fn start(text: &str) -> Exporter {
        let text = Arc::new(std::sync::Mutex::new(text.to_string()));
        let t = text.clone();
        let server = fakes::Server::start(Arc::new(move |req: &fakes::Seen| {
            if req.path() != "/metrics" {
                return fakes::Answer::status(404);
            }
            let mut a =
                fakes::Answer::status(200).header("Content-Type", "text/plain; version=0.0.4");
            a.body = t.lock().unwrap().clone().into_bytes();
            a
        }));
        Exporter { server, text }
    }

    fn host(&self) -> String {
        self.server.addr.to_string()
    }
}

/// A run (`--yes`, `--watch` when given) of the two-step release of
/// `plan(...)` on a fresh webhook fake, in workspace `{name}.db`, with
/// `trigger` on the real Prometheus: its output, its workspace, the fake.
fn metric_run(
    s: &Scratch,
    name: &str,
    prom: &RealPrometheus,
    trigger: Value,
    watch: Option<&str>,
) -> (Output, std::path::PathBuf, Webhook) {
    let hook = Webhook::start(Some(SECRET));
    let db = s.path(&format!("{name}.db"));
    let mut p = plan(&hook.url(), &[("a", &[]), ("b", &["a"])], json!([trigger]));
    p["endpoints"]["prom"] = json!({ "kind": "prometheus", "base_url": prom.url() });
    let rb = compile_runbook(s, &p);
    let mut args = vec!["run", rb.to_str().unwrap(), "--yes"];
    if let Some(w) = watch {
        args.extend(["--watch", w]);
    }
    let o = run(&db, &args);
    (o, db, hook)
}

fn audit_of(db: &Path) -> String {
    let run_id = only_run(db);
    stdout(&run(db, &["runs", &run_id, "--audit"]))
}

const TWO_SERIES: &str = "# TYPE flotilla_success_ratio gauge\n\
    flotilla_success_ratio{instance_group=\"blue\"} 0.99\n\
    flotilla_success_ratio{instance_group=\"green\"} 0.40\n";

#[test]
fn a_below_trigger_is_compared_with_the_smallest_series_of_a_real_prometheus() {
    let exporter = Exporter::start(TWO_SERIES);
    let prom = RealPrometheus::start(&exporter.host());
    let s = Scratch::new();
    prom.wait_for_series("flotilla_success_ratio", 2);
    // One group at 0.40 is below 0.9 though the other is at 0.99.
    let (o, db, hook) = metric_run(
        &s,
        "w",
        &prom,
        json!({ "kind": "metric", "endpoint": "prom", "query": "flotilla_success_ratio", "below": 0.9, "for_s": 1 }),
        Some("20"),
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let reason = Store::open(&db)
        .unwrap()
        .run(&only_run(&db))
        .unwrap()
        .reason
        .unwrap();
    assert!(reason.contains("= 0.4 below 0.9"), "{reason}");
    assert_eq!(hook.rollbacks(), ["b", "a"]);

    // The same bound under the smallest series: nothing to roll back.
    exporter.text.lock().unwrap().clear();
    exporter.text.lock().unwrap().push_str(
        "flotilla_success_ratio{instance_group=\"blue\"} 0.99\nflotilla_success_ratio{instance_group=\"green\"} 0.95\n",
    );
    wait_until("the new values scraped", || {
        prom.query("min(flotilla_success_ratio)")
            .and_then(|v| {
                v.pointer("/data/result/0/value/1")
                    .and_then(|x| x.as_str())
                    .map(str::to_string)
            })
            .is_some_and(|x| x == "0.95")
    });
    let (o, _, _) = metric_run(
        &s,
        "w2",
        &prom,
        json!({ "kind": "metric", "endpoint": "prom", "query": "flotilla_success_ratio", "below": 0.9, "for_s": 1 }),
        Some("3"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn no_data_from_a_real_prometheus_is_ignored_or_a_breach_as_the_trigger_says_and_recorded() {
    let exporter = Exporter::start(TWO_SERIES);
    let prom = RealPrometheus::start(&exporter.host());
    let s = Scratch::new();
    // A series nobody exports: an empty vector. By default, not a breach.
    let query = "flotilla_not_exported_total";
    let (o, db, _) = metric_run(
        &s,
        "ignore",
        &prom,
        json!({ "kind": "metric", "endpoint": "prom", "query": query, "above": 5, "for_s": 1 }),
        Some("3"),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let audit = audit_of(&db);
    assert!(
        audit.contains(&format!(
            "metric `{query}`: no data (ignored: not a breach)"
        )),
        "{audit}"
    );

    // `no_data: breach`: the same silence rolls the release back.
    let (o, db, _) = metric_run(
        &s,
        "breach",
        &prom,
        json!({ "kind": "metric", "endpoint": "prom", "query": query, "above": 5, "for_s": 1, "no_data": "breach" }),
        Some("20"),
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(audit_of(&db).contains("no data (counted as a breach)"));

    // NaN (0/0 is a scalar NaN in PromQL) is no data too.
    let (o, _, _) = metric_run(
        &s,
        "nan",
        &prom,
        json!({ "kind": "metric", "endpoint": "prom", "query": "0/0", "above": 5, "for_s": 1, "no_data": "breach" }),
        Some("20"),
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
}

#[test]
fn a_query_a_real_prometheus_refuses_stops_the_run_at_pre_flight_with_its_error() {
    let exporter = Exporter::start(TWO_SERIES);
    let prom = RealPrometheus::start(&exporter.host());
    let s = Scratch::new();
    let (o, db, hook) = metric_run(
        &s,
        "w",
        &prom,
        json!({ "kind": "metric", "endpoint": "prom", "query": "sum(rate(http_requests_total[1m]", "above": 0.05, "for_s": 60 }),
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    // Prometheus' own words: its errorType and its parse error.
    assert!(err.contains("rollback_triggers[0].query"), "{err}");
    assert!(err.contains("bad_data"), "{err}");
    assert!(err.contains("parse error"), "{err}");
    assert!(hook.triggered().is_empty(), "nothing may be triggered");
    assert!(Store::open(&db).unwrap().runs().unwrap().is_empty());
}
