//! `keyring:NAME` secrets against a real Secret Service: each test starts its
//! own D-Bus session bus and unlocked gnome-keyring (tests/common/keyring.rs),
//! runs the real binary on it, and stops both at the end.
//!
//! `flotilla secret set/check/delete`, a secret stored with `secret-tool`, a
//! run whose endpoint authenticates with a keyring secret (sent, never shown),
//! a missing entry, and a bus with no Secret Service on it.

mod common;
mod fakes;

use common::keyring::SecretService;
use common::{assert_db_holds_no, compile_runbook, stderr, stdout, Scratch};
use fakes::Webhook;
use flotilla::store::Store;
use serde_json::{json, Value};
use std::time::Duration;

const TOKEN: &str = "kr-t0ken-3c9d1e7a55";
/// A CLI call that talks to the keyring answers well within this.
const QUICK: Duration = Duration::from_secs(20);
/// A whole run against the webhook fake.
const RUN: Duration = Duration::from_secs(60);

/// One webhook component `a` on `base`, its endpoint authenticated by `secret`.
fn plan(base: &str, secret: &str) -> Value {
    json!({
        "format": "flotilla.plan", "version": 1,
        "teams": [ { "key": "ops", "name": "Ops" } ],
        "endpoints": { "hook": { "kind": "webhook", "base_url": base, "timeout_s": 5,
                                 "auth": { "scheme": "bearer", "secret": secret } } },
        "releases": [ {
            "key": "r1", "name": "Release One", "start": "2025-01-06", "release_date": "2025-03-01",
            "components": [ { "key": "a", "title": "A", "team": "ops", "duration_days": 1, "deploy": {
                "endpoint": "hook",
                "trigger": { "method": "POST", "path": "/deploy/a", "body": { "version": "1.2.3" } },
                "status": { "path": "/deploy/a/status", "field": "state", "success": ["succeeded"],
                            "failure": ["failed"], "interval_s": 1, "timeout_s": 30 },
                "verify": [ { "path": "/health/a", "expect_status": 200 } ],
                "rollback": { "method": "POST", "path": "/rollback/a" } } } ],
            "rollback_triggers": [ { "kind": "verify_failed" } ]
        } ]
    })
}

fn no_token(what: &str, text: &str) {
    assert!(!text.contains(TOKEN), "the secret's value is in the {what}");
}

#[test]
fn secret_set_stores_under_service_flotilla_and_check_and_delete_follow() {
    let ss = SecretService::start();
    let s = Scratch::new();
    let db = s.path("w.db");
    let name = "deploy/prod.TOKEN_1";

    let o = ss.flotilla(
        &db,
        &["secret", "set", name],
        Some(&format!("{TOKEN}\n")),
        QUICK,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    no_token("stdout of set", &stdout(&o));
    no_token("stderr of set", &stderr(&o));
    // Where another tool finds it: service flotilla, account NAME; the line end stripped.
    assert_eq!(ss.secret_tool_lookup(name).as_deref(), Some(TOKEN));

    let o = ss.flotilla(&db, &["secret", "check", name], None, QUICK);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), format!("keyring:{name} is set"));
    no_token("stderr of check", &stderr(&o));

    // Setting again replaces the value (one item, not two).
    let o = ss.flotilla(
        &db,
        &["secret", "set", name],
        Some("second-value\r\n"),
        QUICK,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(ss.secret_tool_lookup(name).as_deref(), Some("second-value"));

    let o = ss.flotilla(&db, &["secret", "delete", name], None, QUICK);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(ss.secret_tool_lookup(name), None);
    let o = ss.flotilla(&db, &["secret", "check", name], None, QUICK);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!(
            "secret keyring:{name} is not in the system keyring (service flotilla, account {name}); store it with `flotilla secret set {name}`"
        )),
        "{}",
        stderr(&o)
    );
}

#[test]
fn secret_set_refuses_an_empty_value_and_a_bad_name() {
    let ss = SecretService::start();
    let s = Scratch::new();
    let db = s.path("w.db");
    for input in [Some("\n"), Some(""), None] {
        let o = ss.flotilla(&db, &["secret", "set", "empty"], input, QUICK);
        assert_eq!(o.status.code(), Some(2), "{input:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("no value for keyring:empty"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(ss.secret_tool_lookup("empty"), None);
    for args in [
        ["secret", "set", "has space"],
        ["secret", "check", "semi;colon"],
        ["secret", "delete", ""],
    ] {
        let o = ss.flotilla(&db, &args, Some("value\n"), QUICK);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("not a valid secret name"),
            "{}",
            stderr(&o)
        );
    }
    let o = ss.flotilla(
        &db,
        &["secret", "set", &"n".repeat(129)],
        Some("v1\n"),
        QUICK,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn a_secret_stored_with_secret_tool_is_found() {
    let ss = SecretService::start();
    let s = Scratch::new();
    ss.secret_tool_store("ci-token", TOKEN);
    let o = ss.flotilla(
        &s.path("w.db"),
        &["secret", "check", "ci-token"],
        None,
        QUICK,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "keyring:ci-token is set");
    no_token("stdout of check", &stdout(&o));
}

#[test]
fn a_run_sends_the_keyring_token_as_bearer_and_never_shows_it() {
    let ss = SecretService::start();
    ss.secret_tool_store("deploy/hook", TOKEN);
    // The fake answers 401 unless it gets exactly this bearer token.
    let hook = Webhook::start(Some(TOKEN));
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(&s, &plan(&hook.url(), "keyring:deploy/hook"));
    let runbook_text = std::fs::read_to_string(&rb).unwrap();
    assert!(runbook_text.contains("keyring:deploy/hook"));
    no_token("runbook", &runbook_text);

    let o = ss.flotilla(
        &db,
        &["run", rb.to_str().unwrap(), "--dry-run"],
        None,
        QUICK,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("Bearer ***"), "{}", stdout(&o));
    no_token("dry run", &format!("{}{}", stdout(&o), stderr(&o)));
    assert!(hook.server.seen().is_empty(), "a dry run calls nothing");

    let o = ss.flotilla(
        &db,
        &["run", rb.to_str().unwrap(), "--yes", "--json"],
        None,
        RUN,
    );
    no_token("stdout of run", &stdout(&o));
    no_token("stderr of run", &stderr(&o));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["run"]["state"], "succeeded");
    let t = hook.server.hits("POST", "/deploy/a");
    assert_eq!(t.len(), 1);
    assert_eq!(
        t[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert!(hook
        .server
        .seen()
        .iter()
        .all(|r| r.header("authorization") == Some(format!("Bearer {TOKEN}").as_str())));

    let runs = Store::open(&db).unwrap().runs().unwrap();
    let run_id = runs[0].id.clone();
    let o = ss.flotilla(&db, &["runs", &run_id, "--audit"], None, QUICK);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("/deploy/a"), "{}", stdout(&o));
    no_token("audit", &format!("{}{}", stdout(&o), stderr(&o)));
    assert_db_holds_no(&db, TOKEN);
}

#[test]
fn a_missing_keyring_entry_fails_the_step_with_the_clear_message() {
    let ss = SecretService::start();
    let hook = Webhook::start(Some(TOKEN));
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(&s, &plan(&hook.url(), "keyring:not-stored"));
    let o = ss.flotilla(
        &db,
        &["run", rb.to_str().unwrap(), "--yes", "--json"],
        None,
        RUN,
    );
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(3), "{all}");
    assert!(
        all.contains(
            "secret keyring:not-stored is not in the system keyring (service flotilla, account not-stored); store it with `flotilla secret set not-stored`"
        ),
        "{all}"
    );
    assert!(
        hook.server.seen().is_empty(),
        "nothing is called without the secret"
    );
}

#[test]
fn no_secret_service_on_the_bus_fails_clearly_and_at_once() {
    let bus = SecretService::bus_only();
    let s = Scratch::new();
    let db = s.path("w.db");
    let started = std::time::Instant::now();
    let o = bus.flotilla(&db, &["secret", "check", "deploy-token"], None, QUICK);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("secret keyring:deploy-token: cannot reach the system keyring")
            && e.contains("Secret Service")
            && e.contains("env:deploy-token"),
        "{e}"
    );
    let o = bus.flotilla(
        &db,
        &["secret", "set", "deploy-token"],
        Some("value\n"),
        QUICK,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot reach the system keyring"),
        "{}",
        stderr(&o)
    );

    // A run fails the step the same way, without calling the endpoint.
    let hook = Webhook::start(Some(TOKEN));
    let rb = compile_runbook(&s, &plan(&hook.url(), "keyring:deploy-token"));
    let o = bus.flotilla(&db, &["run", rb.to_str().unwrap(), "--yes"], None, RUN);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(3), "{all}");
    assert!(all.contains("cannot reach the system keyring"), "{all}");
    assert!(hook.server.seen().is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
}
