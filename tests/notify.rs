//! Telling people: a run's messages through the real binary, to fakes of
//! Slack, Microsoft Teams (Workflows) and Mattermost incoming webhooks that
//! answer as those services document it, and to a real SMTP server
//! (aiosmtpd; also with STARTTLS and AUTH required, against a CA of the
//! test's own). Order per channel, the team's contacts as recipients, a 429
//! with Retry-After, a refused channel kept and retried from the CLI, an
//! offline run whose messages `flotilla outbox send` delivers later, the
//! audit trail, secrets kept out of the workspace, and runs killed at random
//! moments (and once mid-send) that lose no message and repeat only the one
//! in flight, with its key.

mod common;
mod fakes;

use common::*;
use fakes::{Answer, Seen, Server, Webhook};
use flotilla::store::Store;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};

const SLACK_SECRET_VAR: &str = "FLOTILLA_TEST_SLACK_URL";

// ---- the services -----------------------------------------------------------

/// What a chat fake received, and how it answers next.
#[derive(Default)]
struct Chat {
    /// Accepted bodies, in order.
    got: Vec<Value>,
    /// Idempotency-Key of every request, accepted or not.
    keys: Vec<String>,
    /// Answers to give first (one per request), before the normal one.
    next: Vec<Answer>,
}

fn chat(
    handler: fn(&Seen) -> Result<(), Answer>,
    ok: fn() -> Answer,
) -> (Server, Arc<Mutex<Chat>>) {
    let state = Arc::new(Mutex::new(Chat::default()));
    let st = state.clone();
    let server = Server::start(Arc::new(move |req: &Seen| {
        let mut s = st.lock().unwrap();
        if let Some(k) = req.header("idempotency-key") {
            s.keys.push(k.to_string());
        }
        if !s.next.is_empty() {
            return s.next.remove(0);
        }
        match handler(req) {
            Ok(()) => {
                s.got.push(req.json());
                ok()
            }
            Err(a) => a,
        }
    }));
    (server, state)
}

fn plain(status: u16, text: &str) -> Answer {
    let mut a = Answer::status(status).header("Content-Type", "text/plain; charset=utf-8");
    a.body = text.as_bytes().to_vec();
    a
}

/// Slack incoming webhooks (api.slack.com/messaging/webhooks): a JSON POST
/// with `text` and/or `blocks`; `200 ok` as text, errors as text codes
/// (`invalid_payload`, `invalid_blocks`, `no_text`).
fn slack_check(req: &Seen) -> Result<(), Answer> {
    if req.method != "POST" || req.path() != "/services/T0001/B0001/XXXXXXXX" {
        return Err(plain(404, "no_service"));
    }
    if !req
        .header("content-type")
        .unwrap_or("")
        .starts_with("application/json")
    {
        return Err(plain(400, "invalid_payload"));
    }
    let v = req.json();
    let text = v["text"].as_str().unwrap_or("");
    let Some(blocks) = v["blocks"].as_array() else {
        return if text.is_empty() {
            Err(plain(400, "no_text"))
        } else {
            Ok(())
        };
    };
    for b in blocks {
        let ok = match b["type"].as_str() {
            Some("header") => {
                b["text"]["type"] == "plain_text"
                    && b["text"]["text"]
                        .as_str()
                        .is_some_and(|t| !t.is_empty() && t.chars().count() <= 150)
            }
            Some("section") => b["text"]["text"]
                .as_str()
                .is_some_and(|t| t.chars().count() <= 3000),
            _ => false,
        };
        if !ok {
            return Err(plain(400, "invalid_blocks"));
        }
    }
    Ok(())
}

/// Mattermost incoming webhooks (developers.mattermost.com, incoming
/// webhooks): `text` is required unless `attachments` are given; `200 ok`;
/// errors as an AppError JSON.
fn mattermost_check(req: &Seen) -> Result<(), Answer> {
    if req.method != "POST" || !req.path().starts_with("/hooks/") {
        return Err(Answer::json(
            404,
            json!({"id": "api.context.404.app_error", "message": "Sorry, we could not find the page.", "status_code": 404}),
        ));
    }
    let v = req.json();
    if v["text"].as_str().unwrap_or("").is_empty() && v["attachments"].is_null() {
        return Err(Answer::json(
            400,
            json!({"id": "web.incoming_webhook.text.app_error", "message": "No text specified.", "detailed_error": "", "request_id": "x", "status_code": 400}),
        ));
    }
    Ok(())
}

/// Microsoft Teams through a Workflows webhook ("When a Teams webhook
/// request is received"): a `message` whose attachments are Adaptive Cards;
/// `202 Accepted` with no body.
fn teams_check(req: &Seen) -> Result<(), Answer> {
    let v = req.json();
    let cards_ok = v["attachments"].as_array().is_some_and(|a| {
        !a.is_empty()
            && a.iter().all(|c| {
                c["contentType"] == "application/vnd.microsoft.card.adaptive"
                    && c["content"]["type"] == "AdaptiveCard"
                    && c["content"]["body"].is_array()
            })
    });
    if v["type"] != "message" || !cards_ok {
        return Err(Answer::json(
            400,
            json!({"error": {"code": "TriggerInputSchemaMismatch", "message": "The input body for trigger 'manual' of type 'Request' did not match its schema definition."}}),
        ));
    }
    Ok(())
}

/// The real SMTP server, on a free port of 127.0.0.1.
struct Smtp {
    child: Child,
    port: u16,
    out: PathBuf,
}

impl Smtp {
    fn start(s: &Scratch) -> Smtp {
        Smtp::start_with(s, &[])
    }

    /// With `smtp_sink.py`'s options (`--starttls CERT KEY`, `--auth USER PW`).
    fn start_with(s: &Scratch, options: &[&str]) -> Smtp {
        let out = s.path("mail.jsonl");
        let python = Path::new("/usr/bin/python3");
        assert!(
            python.exists(),
            "/usr/bin/python3 is missing: run `make deps`"
        );
        let mut child = Command::new(python)
            .arg(repo_path("tests/support/smtp_sink.py"))
            .arg(&out)
            .args(options)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the SMTP server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| {
            panic!("aiosmtpd did not start (is python3-aiosmtpd installed? `make deps`): {line:?}")
        });
        Smtp { child, port, out }
    }

    fn mails(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---- the plan -----------------------------------------------------------------

/// Two waves on the deploy fake (a, then b), `b` failing when asked, and the
/// communication plan `comms`.
fn plan(deploy: &str, comms: Value, triggers: Value) -> Value {
    let comp = |k: &str| {
        json!({ "key": k, "title": format!("Component {k}"), "team": "backend", "duration_days": 1,
            "deploy": {
                "endpoint": "hook", "expected_minutes": 10,
                "trigger": { "method": "POST", "path": format!("/deploy/{k}") },
                "status": { "path": format!("/deploy/{k}/status"), "field": "state",
                            "success": ["succeeded"], "failure": ["failed"], "interval_s": 1, "timeout_s": 30 },
                "rollback": { "method": "POST", "path": format!("/rollback/{k}") }
            } })
    };
    json!({
        "format": "flotilla.plan", "version": 1,
        "teams": [ { "key": "backend", "name": "Backend", "contacts": {
            "primary": { "name": "Alex Novak", "handle": "@alex", "email": "alex@example.com" },
            "backup": { "name": "Emma Lindqvist", "handle": "@emma", "email": "emma@example.com" } } } ],
        "endpoints": { "hook": { "kind": "webhook", "base_url": deploy, "timeout_s": 5 } },
        "releases": [ {
            "key": "r1", "name": "Release One", "start": "2025-01-06", "release_date": "2025-03-01",
            "components": [comp("a"), comp("b")],
            "dependencies": [ { "from": "a", "to": "b" } ],
            "rollback_triggers": triggers,
            "comms": comms
        } ]
    })
}

fn run_cmd(db: &Path, args: &[&str], slack_url: &str) -> Command {
    let mut c = Command::new(bin());
    c.arg("--db")
        .arg(db)
        .args(args)
        .env("FLOTILLA_ACTOR", "release-manager")
        .env(SLACK_SECRET_VAR, slack_url)
        .env_remove("FLOTILLA_DB")
        .stdin(Stdio::null());
    c
}

fn run(db: &Path, args: &[&str], slack_url: &str) -> Output {
    run_cmd(db, args, slack_url)
        .output()
        .expect("flotilla runs")
}

fn texts(st: &Arc<Mutex<Chat>>, f: impl Fn(&Value) -> String) -> Vec<String> {
    st.lock().unwrap().got.iter().map(f).collect()
}

fn slack_header(v: &Value) -> String {
    v["blocks"][0]["text"]["text"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn outbox(db: &Path) -> Vec<flotilla::store::OutboxMessage> {
    Store::open(db).unwrap().outbox(None).unwrap()
}

// ---- the tests ----------------------------------------------------------------

#[test]
fn a_run_tells_each_audience_on_its_channels_in_order() {
    let hook = Webhook::start(None);
    let (slack, slack_st) = chat(slack_check, || plain(200, "ok"));
    let (teams, teams_st) = chat(teams_check, || Answer::status(202));
    let (mm, mm_st) = chat(mattermost_check, || plain(200, "ok"));
    let s = Scratch::new();
    let smtp = Smtp::start(&s);
    let slack_url = format!("{}/services/T0001/B0001/XXXXXXXX", slack.url());
    let comms = json!({
        "channels": {
            "eng-slack": { "kind": "slack", "url_secret": format!("env:{SLACK_SECRET_VAR}"), "allow_http": true },
            "mm": { "kind": "mattermost", "url": format!("{}/hooks/abc123", mm.url()), "allow_http": true },
            "leads": { "kind": "teams", "url": format!("{}/workflows/1/triggers/manual/paths/invoke", teams.url()), "allow_http": true },
            "mail": { "kind": "email", "smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_tls": "none",
                      "from": "Flotilla <releases@example.com>", "to": ["stakeholders@example.com"] }
        },
        "audiences": [
            { "key": "eng", "name": "Engineering", "channels": ["eng-slack", "mm"],
              "events": ["run_started", "wave_done", "step_failed", "rollback_started", "rollback_finished", "run_finished"] },
            { "key": "business", "name": "Stakeholders", "team": "backend", "channels": ["leads", "mail"],
              "events": ["run_started", "run_finished"] }
        ]
    });
    let db = s.path("w.db");
    let rb = compile_runbook(&s, &plan(&hook.url(), comms, json!([])));

    let dry = run(&db, &["run", rb.to_str().unwrap(), "--dry-run"], &slack_url);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let d = stdout(&dry);
    assert!(
        d.contains(
            "run_started       to Engineering via eng-slack (slack <env:FLOTILLA_TEST_SLACK_URL>)"
        ),
        "{d}"
    );
    assert!(d.contains("expect about 20 minutes"), "{d}");
    assert!(
        slack_st.lock().unwrap().keys.is_empty(),
        "a dry run sends nothing"
    );

    let o = run(
        &db,
        &["run", rb.to_str().unwrap(), "--yes", "--json"],
        &slack_url,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&stdout(&o)).unwrap();
    // Engineering: 4 events on 2 channels; the stakeholders: 2 on 2.
    assert_eq!(report["messages"]["sent"], 12, "{report}");
    assert_eq!(report["messages"]["unsent"], 0);
    assert!(
        stderr(&o).contains("messages: 12 sent, 0 refused"),
        "{}",
        stderr(&o)
    );

    // Engineering hears everything, in order, on both its channels.
    let want = [
        "Release One: deployment starting now",
        "Release One: wave 1 of 2 deployed",
        "Release One: wave 2 of 2 deployed",
        "Release One: deployment succeeded",
    ];
    let headers = texts(&slack_st, slack_header);
    assert_eq!(headers.len(), 4, "{headers:?}");
    assert!(
        headers[0].starts_with("Deployment of Release One starting now"),
        "{headers:?}"
    );
    assert_eq!(&headers[1..], &want[1..]);
    let body0 = slack_st.lock().unwrap().got[0]["blocks"][1]["text"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body0.contains("expect about 20 minutes"), "{body0}");
    assert!(body0.contains("started by release-manager"), "{body0}");
    let mm_texts = texts(&mm_st, |v| v["text"].as_str().unwrap().to_string());
    assert_eq!(mm_texts.len(), 4);
    assert!(
        mm_texts[3].starts_with("#### Release One: deployment succeeded"),
        "{mm_texts:?}"
    );
    // Every request carried its message's key, each key once.
    let keys = slack_st.lock().unwrap().keys.clone();
    let mut unique = keys.clone();
    unique.dedup();
    assert_eq!(keys.len(), 4);
    assert_eq!(unique, keys);

    // The stakeholders: a card in Teams, a mail to the list and the team.
    let cards = texts(&teams_st, |v| {
        v["attachments"][0]["content"]["body"][0]["text"]
            .as_str()
            .unwrap()
            .to_string()
    });
    assert_eq!(cards.len(), 2, "{cards:?}");
    assert_eq!(cards[1], "Release One: deployment succeeded");
    let mails = smtp.mails();
    assert_eq!(mails.len(), 2, "{mails:?}");
    let mut rcpt: Vec<String> = mails[0]["rcpt_tos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    rcpt.sort();
    assert_eq!(
        rcpt,
        [
            "alex@example.com",
            "emma@example.com",
            "stakeholders@example.com"
        ]
    );
    assert_eq!(mails[0]["mail_from"], "releases@example.com");
    let data = mails[1]["data"].as_str().unwrap();
    assert!(
        data.contains("Subject: Release One: deployment succeeded"),
        "{data}"
    );
    assert!(data.contains("Message-ID: <"), "{data}");

    // The outbox and the audit trail agree; the webhook URL kept as a secret
    // is in neither the workspace nor the output.
    assert!(outbox(&db)
        .iter()
        .all(|m| m.state == flotilla::store::OutboxState::Sent));
    let run_id = report["run"]["id"].as_str().unwrap();
    let audit = run(&db, &["runs", run_id, "--audit", "--json"], &slack_url);
    assert!(audit.status.success(), "{}", stderr(&audit));
    let a = stdout(&audit);
    assert_eq!(a.matches("\"message\"").count(), 12, "{a}");
    assert!(
        a.contains("run_started to eng via eng-slack (try 1): sent"),
        "{a}"
    );
    assert!(a.contains("smtp://127.0.0.1:"), "{a}");
    assert!(!a.contains("XXXXXXXX"));
    assert!(!stdout(&o).contains("XXXXXXXX") && !stderr(&o).contains("XXXXXXXX"));
    assert_db_holds_no(&db, "/services/T0001/B0001/XXXXXXXX");
}

fn slack_only(slack: &Server, events: Value) -> Value {
    json!({
        "channels": { "eng-slack": { "kind": "slack", "url": format!("{}/services/T0001/B0001/XXXXXXXX", slack.url()), "allow_http": true } },
        "audiences": [ { "key": "eng", "name": "Engineering", "channels": ["eng-slack"], "events": events } ],
        "templates": { "step_failed": "{release_name}: {step} failed\nCall {contacts}. ({message})" }
    })
}

#[test]
fn a_failure_and_its_rollback_are_told_in_order_with_who_to_call() {
    let hook = Webhook::start(None);
    hook.with(|s| {
        s.failing.insert("b".into());
    });
    let (slack, slack_st) = chat(slack_check, || plain(200, "ok"));
    let s = Scratch::new();
    let db = s.path("w.db");
    let comms = slack_only(
        &slack,
        json!([
            "step_failed",
            "rollback_started",
            "rollback_finished",
            "run_finished"
        ]),
    );
    let rb = compile_runbook(
        &s,
        &plan(&hook.url(), comms, json!([{ "kind": "verify_failed" }])),
    );
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes"], "");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(hook.rollbacks(), ["b", "a"]);
    let headers = texts(&slack_st, slack_header);
    assert_eq!(
        headers,
        [
            "Release One: b failed",
            "Release One: rolling back",
            "Release One: rollback finished: rolled back",
            "Release One: deployment rolled back"
        ]
    );
    let body = slack_st.lock().unwrap().got[0]["blocks"][1]["text"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body.contains("Call Backend: Alex Novak @alex"), "{body}");
    assert!(body.contains("(state is failed)"), "{body}");
}

#[test]
fn a_rate_limited_message_waits_as_slack_asks_and_goes_out() {
    let hook = Webhook::start(None);
    let (slack, slack_st) = chat(slack_check, || plain(200, "ok"));
    slack_st
        .lock()
        .unwrap()
        .next
        .push(plain(429, "rate_limited").header("Retry-After", "1"));
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(
        &s,
        &plan(
            &hook.url(),
            slack_only(&slack, json!(["run_started"])),
            json!([]),
        ),
    );
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes"], "");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(texts(&slack_st, slack_header).len(), 1);
    let m = &outbox(&db)[0];
    assert_eq!(m.attempts, 2, "{m:?}");
    assert_eq!(m.state, flotilla::store::OutboxState::Sent);
    // Both tries carried the same key.
    let keys = slack_st.lock().unwrap().keys.clone();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1]);
}

#[test]
fn a_refused_message_is_kept_shown_and_sent_after_a_retry() {
    let hook = Webhook::start(None);
    let (slack, slack_st) = chat(slack_check, || plain(200, "ok"));
    slack_st.lock().unwrap().next.push(plain(404, "no_service"));
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(
        &s,
        &plan(
            &hook.url(),
            slack_only(&slack, json!(["run_started"])),
            json!([]),
        ),
    );
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes"], "");
    // A message that cannot go out never stops a deployment.
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("messages: 0 sent, 1 refused"),
        "{}",
        stderr(&o)
    );
    let list = run(&db, &["outbox", "list"], "");
    assert!(list.status.success());
    let l = stdout(&list);
    assert!(
        l.contains("failed") && l.contains("slack answered 404: no_service"),
        "{l}"
    );
    let json_list: Value =
        serde_json::from_str(&stdout(&run(&db, &["outbox", "list", "--json"], ""))).unwrap();
    assert_eq!(json_list[0]["state"], "failed");

    let bad = run(&db, &["outbox", "retry", "99"], "");
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains("no refused message with id 99"),
        "{}",
        stderr(&bad)
    );
    let r = run(&db, &["outbox", "retry"], "");
    assert!(r.status.success(), "{}", stderr(&r));
    assert!(stderr(&r).contains("1 message(s) queued again"));
    let sent = run(&db, &["outbox", "send"], "");
    assert!(sent.status.success(), "{}", stderr(&sent));
    assert!(
        stderr(&sent).contains("1 sent, 0 to retry, 0 refused; 0 unsent"),
        "{}",
        stderr(&sent)
    );
    assert_eq!(texts(&slack_st, slack_header).len(), 1);
}

#[test]
fn messages_of_a_run_that_could_not_reach_the_channel_go_out_later() {
    let hook = Webhook::start(None);
    let (slack, slack_st) = chat(slack_check, || plain(200, "ok"));
    {
        let mut st = slack_st.lock().unwrap();
        for _ in 0..50 {
            st.next.push(plain(503, "service unavailable"));
        }
    }
    let s = Scratch::new();
    let db = s.path("w.db");
    let rb = compile_runbook(
        &s,
        &plan(
            &hook.url(),
            slack_only(&slack, json!(["run_started", "run_finished"])),
            json!([]),
        ),
    );
    let o = run(&db, &["run", rb.to_str().unwrap(), "--yes"], "");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("2 wait in the outbox: `flotilla outbox send` sends them"),
        "{}",
        stderr(&o)
    );
    assert!(texts(&slack_st, slack_header).is_empty());
    let tries = slack_st.lock().unwrap().keys.len();
    assert!(tries >= 2, "retried during the drain: {tries}");
    // The channel is back.
    slack_st.lock().unwrap().next.clear();
    let sent = run(&db, &["outbox", "send", "--wait", "120", "--json"], "");
    assert!(sent.status.success(), "{}", stderr(&sent));
    let rep: Value = serde_json::from_str(&stdout(&sent)).unwrap();
    assert_eq!(rep["sent"], 2, "{rep}");
    // In the order they were queued.
    let headers = texts(&slack_st, slack_header);
    assert!(
        headers[0].starts_with("Deployment of Release One starting now"),
        "{headers:?}"
    );
    assert_eq!(headers[1], "Release One: deployment succeeded");
}

/// Four waves in a chain (a, b, c, d), each step polled once as running.
fn chain_plan(deploy: &str, comms: Value) -> Value {
    let mut p = plan(deploy, comms, json!([]));
    let base = p["releases"][0]["components"][0].clone();
    let keys = ["a", "b", "c", "d"];
    let comps: Vec<Value> = keys
        .iter()
        .map(|k| {
            let mut c = base.clone();
            c["key"] = json!(k);
            c["title"] = json!(format!("Component {k}"));
            c["deploy"]["trigger"]["path"] = json!(format!("/deploy/{k}"));
            c["deploy"]["status"]["path"] = json!(format!("/deploy/{k}/status"));
            c["deploy"]["rollback"]["path"] = json!(format!("/rollback/{k}"));
            c
        })
        .collect();
    p["releases"][0]["components"] = json!(comps);
    p["releases"][0]["dependencies"] = json!(keys
        .windows(2)
        .map(|w| json!({ "from": w[0], "to": w[1] }))
        .collect::<Vec<_>>());
    p
}

/// A small deterministic generator, so that a failing round can be replayed
/// with `FLOTILLA_TEST_SEED`.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn a_run_killed_at_any_moment_loses_no_message_and_repeats_at_most_the_one_in_flight() {
    let seed = std::env::var("FLOTILLA_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("FLOTILLA_TEST_SEED={seed}");
    let mut rng = Lcg(seed);
    let want = [
        "Deployment of Release One starting now",
        "Release One: wave 1 of 4 deployed",
        "Release One: wave 2 of 4 deployed",
        "Release One: wave 3 of 4 deployed",
        "Release One: wave 4 of 4 deployed",
        "Release One: deployment succeeded",
    ];
    for round in 0..4 {
        let hook = Webhook::start(None);
        hook.with(|s| s.polls_running = 1);
        // Slack takes the message at once and answers late: a kill in that
        // gap is the one case where a message goes out again.
        let (slack, slack_st) = chat(slack_check, || {
            plain(200, "ok").slow(std::time::Duration::from_millis(300))
        });
        let s = Scratch::new();
        let db = s.path("w.db");
        let comms = json!({
            "channels": { "eng-slack": { "kind": "slack", "timeout_s": 2, "allow_http": true,
                "url": format!("{}/services/T0001/B0001/XXXXXXXX", slack.url()) } },
            "audiences": [ { "key": "eng", "name": "Engineering", "channels": ["eng-slack"],
                "events": ["run_started", "wave_done", "step_failed", "rollback_started",
                           "rollback_finished", "run_finished"] } ]
        });
        let rb = compile_runbook(&s, &chain_plan(&hook.url(), comms));
        let rb = rb.to_str().unwrap();
        // Round 0 kills while Slack holds the first message; the others at
        // a random moment.
        let in_flight = round == 0;
        let kill_after = rng.below(6000);
        let started = std::time::Instant::now();
        let mut child = run_cmd(&db, &["run", rb, "--yes"], "")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if in_flight {
            while slack_st.lock().unwrap().got.is_empty() {
                assert!(started.elapsed().as_secs() < 20, "no message reached Slack");
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        } else {
            std::thread::sleep(std::time::Duration::from_millis(kill_after));
        }
        let _ = child.kill();
        let _ = child.wait();
        let ctx = format!(
            "round {round}, killed after {} ms (seed {seed})",
            started.elapsed().as_millis()
        );

        // Whoever comes next finishes the job: the run resumed (or started,
        // when the kill came before it existed), then the outbox.
        let runs = if db.exists() {
            Store::open(&db).unwrap().runs().unwrap()
        } else {
            Vec::new()
        };
        match runs.first() {
            None => {
                let o = run(&db, &["run", rb, "--yes"], "");
                assert_eq!(o.status.code(), Some(0), "{ctx}: {}", stderr(&o));
            }
            Some(r) if r.state != flotilla::store::RunState::Succeeded => {
                let o = run(&db, &["run", rb, "--yes", "--resume", &r.id], "");
                assert_eq!(o.status.code(), Some(0), "{ctx}: {}", stderr(&o));
            }
            Some(_) => {}
        }
        let o = run(&db, &["outbox", "send", "--wait", "40"], "");
        assert!(o.status.success(), "{ctx}: {}", stderr(&o));
        let queued = outbox(&db);
        assert_eq!(queued.len(), want.len(), "{ctx}: {queued:?}");
        assert!(
            queued
                .iter()
                .all(|m| m.state == flotilla::store::OutboxState::Sent),
            "{ctx}: {queued:?}"
        );

        // Every message arrived, in order; a repeat is only ever the message
        // that was in flight at the kill, with its own key.
        let st = slack_st.lock().unwrap();
        assert_eq!(st.keys.len(), st.got.len(), "{ctx}: every request accepted");
        let mut first: Vec<(&str, String)> = Vec::new();
        let mut repeats = 0;
        for (key, body) in st.keys.iter().zip(&st.got) {
            let header = slack_header(body);
            match first.iter().find(|(k, _)| *k == key.as_str()) {
                Some((_, h)) => {
                    assert_eq!(*h, header, "{ctx}: a key names one message");
                    repeats += 1;
                }
                None => first.push((key.as_str(), header)),
            }
        }
        let headers: Vec<&str> = first.iter().map(|(_, h)| h.as_str()).collect();
        assert_eq!(headers, want, "{ctx}");
        if in_flight {
            assert_eq!(repeats, 1, "{ctx}: the message in flight goes out again");
        } else {
            assert!(repeats <= 1, "{ctx}: {repeats} repeats for one kill");
        }
        eprintln!(
            "{ctx}: the run had {}; {repeats} repeat(s)",
            runs.first()
                .map_or("not started".to_string(), |r| r.state.to_string())
        );
        drop(st);
        drop(slack);
    }
}

/// A CA of its own and a certificate it signed for 127.0.0.1, made with the
/// openssl tool: (CA file, certificate, key).
fn test_ca(s: &Scratch, name: &str) -> (String, String, String) {
    let p = |f: &str| s.path(&format!("{name}-{f}")).to_str().unwrap().to_string();
    let openssl = |args: &[&str]| {
        let o = Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl runs (`make deps` installs it)");
        assert!(o.status.success(), "openssl {args:?}: {}", stderr(&o));
    };
    let (ca, ca_key, cert, key, csr, ext) = (
        p("ca.pem"),
        p("ca.key"),
        p("srv.pem"),
        p("srv.key"),
        p("srv.csr"),
        p("ext.cnf"),
    );
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        &ca_key,
        "-out",
        &ca,
        "-subj",
        &format!("/CN=Flotilla test CA {name}"),
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        &key,
        "-out",
        &csr,
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(
        &ext,
        "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        &csr,
        "-CA",
        &ca,
        "-CAkey",
        &ca_key,
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        &cert,
        "-extfile",
        &ext,
    ]);
    (ca, cert, key)
}

#[test]
fn mail_goes_over_starttls_to_a_verified_server_with_the_password_from_a_secret() {
    const PW: &str = "mail-s3cret-pw-7781";
    let s = Scratch::new();
    let (ca, cert, key) = test_ca(&s, "mail");
    let (other_ca, _, _) = test_ca(&s, "other");
    let smtp = Smtp::start_with(&s, &["--starttls", &cert, &key, "--auth", "releases", PW]);
    let hook = Webhook::start(None);
    let comms = json!({
        "channels": { "mail": { "kind": "email", "smtp_host": "127.0.0.1", "smtp_port": smtp.port,
            "smtp_tls": "starttls", "smtp_user": "releases",
            "smtp_password": "env:FLOTILLA_TEST_SMTP_PASSWORD",
            "from": "Flotilla <releases@example.com>", "to": ["stakeholders@example.com"] } },
        "audiences": [ { "key": "business", "name": "Stakeholders", "channels": ["mail"],
            "events": ["run_started", "run_finished"] } ]
    });
    let db = s.path("w.db");
    let rb = compile_runbook(&s, &plan(&hook.url(), comms, json!([])));

    // A server whose certificate this machine does not trust gets nothing:
    // not the mail, not the password.
    let o = run_cmd(&db, &["run", rb.to_str().unwrap(), "--yes"], "")
        .env("SSL_CERT_FILE", &other_ca)
        .env("FLOTILLA_TEST_SMTP_PASSWORD", PW)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("messages: 0 sent"), "{}", stderr(&o));
    assert!(smtp.mails().is_empty());
    let waiting = outbox(&db);
    assert_eq!(waiting.len(), 2);
    let error = waiting[0].last_error.clone().unwrap_or_default();
    assert!(error.to_lowercase().contains("certificate"), "{error}");

    // Trusted (SSL_CERT_FILE names the CA, as for a company's own relay):
    // STARTTLS, then AUTH, then the mail.
    let o = run_cmd(&db, &["outbox", "send", "--wait", "60"], "")
        .env("SSL_CERT_FILE", &ca)
        .env("FLOTILLA_TEST_SMTP_PASSWORD", PW)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let mails = smtp.mails();
    assert_eq!(mails.len(), 2, "{}", stderr(&o));
    for m in &mails {
        assert_eq!(m["tls"], true, "{m}");
        assert_eq!(m["login"], "releases", "{m}");
        assert_eq!(m["rcpt_tos"], json!(["stakeholders@example.com"]));
    }
    assert!(mails[0]["data"]
        .as_str()
        .unwrap()
        .contains("Subject: Deployment of Release One starting now"));
    assert_db_holds_no(&db, PW);
}
