//! End-to-end: the Notes and Review tabs and the Metrics page of the real app
//! under Xvfb, through tauri-driver, on the sample plan after a rehearsal of
//! its runbook (against `flotilla rehearsal-target`) and ETAs that moved
//! after the feature freeze. A note added in the window and an answer saved
//! there are what the CLI then prints.
#![cfg(feature = "desktop")]

mod common;
use common::desktop::App;
use common::*;
use serde_json::{json, Value};
use std::process::Command;

const SAMPLE: &str = "resources/samples/q1-2025-platform.json";

fn ok(o: &std::process::Output) -> String {
    assert!(o.status.success(), "{}", stderr(o));
    stdout(o)
}

/// The sample, imported "on Jan 2", two ETAs moved after the feature freeze
/// (Feb 15) by mike, and one rehearsal of its runbook.
fn workspace(s: &Scratch) -> std::path::PathBuf {
    let db = s.path("ws.db");
    ok(&flotilla(
        &db,
        &["import", repo_path(SAMPLE).to_str().unwrap()],
    ));
    for (comp, eta) in [
        ("api-endpoints", "2025-02-11"),
        ("api-endpoints", "2025-02-19"),
    ] {
        let o = Command::new(bin())
            .args([
                "--db",
                db.to_str().unwrap(),
                "set",
                "--release",
                "q1-2025",
                "--component",
                comp,
            ])
            .arg(format!("eta={eta}"))
            .env("FLOTILLA_ACTOR", "mike")
            .output()
            .unwrap();
        ok(&o);
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE changes SET at = '2025-01-02T09:00:00.000Z' WHERE field IS NULL",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE changes SET at = '2025-02-17T09:00:00.000Z' WHERE new_value = '\"2025-02-11\"'",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE changes SET at = '2025-02-24T09:00:00.000Z' WHERE new_value = '\"2025-02-19\"'",
        [],
    )
    .unwrap();
    drop(conn);
    let rb = s.path("rb.json");
    ok(&flotilla(
        &db,
        &[
            "runbook",
            "--release",
            "q1-2025",
            "--format",
            "json",
            "-o",
            rb.to_str().unwrap(),
        ],
    ));
    let mut target = Command::new(bin())
        .args(["rehearsal-target", "--for", "120"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Bounded: the target answers once it listens.
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect("127.0.0.1:8787").is_err() {
        assert!(
            started.elapsed().as_secs() < 20,
            "the rehearsal target did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let o = Command::new(bin())
        .args([
            "--db",
            db.to_str().unwrap(),
            "run",
            rb.to_str().unwrap(),
            "--yes",
            "--force",
            "--watch",
            "2",
        ])
        .env("FLOTILLA_DEPLOY_TOKEN", "rehearsal")
        .env("FLOTILLA_ACTOR", "release-manager")
        .output()
        .unwrap();
    let _ = target.kill();
    let _ = target.wait();
    ok(&o);
    // The rehearsal as if it ran on release day.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "UPDATE runs SET started_at = '2025-03-01T09:00:00.000Z', finished_at = '2025-03-01T09:40:00.000Z';
         UPDATE run_steps SET started_at = '2025-03-01T09:00:00.000Z', finished_at = '2025-03-01T09:10:00.000Z';",
    )
    .unwrap();
    db
}

#[test]
fn notes_review_and_metrics_in_the_window_say_what_the_cli_says() {
    let s = Scratch::new();
    let db = workspace(&s);
    let app = App::launch_with_env(&db, &[("FLOTILLA_TODAY", "2025-03-08")]);
    app.click_css("[data-testid=release-row][data-key=q1-2025] [data-testid=open-release]");
    app.wait_for("[data-testid=release-page][data-key=q1-2025]", 30);

    // Reports: the weekly sync, then one team's daily update, with their Markdown.
    app.click_css("[data-testid=tab-reports]");
    app.wait_text(20, "the weekly sync", |t| {
        t.contains("1. Dependency status")
    });
    let md = app.exec(
        "return document.querySelector('[data-testid=report-markdown]').value;",
        json!([]),
    );
    assert!(
        md.as_str()
            .unwrap()
            .starts_with("# Weekly release sync: Q1 2025 Platform Release"),
        "{md}"
    );
    app.click_css("[data-testid=report-daily]");
    app.set_value("[data-testid=report-team]", "api");
    app.wait_until(20, "the api team's daily update", || {
        app.text_of("[data-testid=report-doc]")
            .starts_with("[API] 2025-03-08")
    });
    app.screenshot(&repo_path("target/e2e/reports.png"));

    // Notes: the sample's notes in the seeds' sections; one added here.
    app.click_css("[data-testid=tab-notes]");
    app.wait_text(20, "the notes preview", |t| t.contains("What's new"));
    let preview = app.text_of("[data-testid=notes-preview]");
    for want in [
        "Export any table to CSV",
        "Breaking changes",
        "Known issues",
        "Not yet tested",
    ] {
        assert!(preview.contains(want), "{want:?} not in {preview}");
    }
    let release = "[data-testid=notes-owner][data-owner=release]";
    app.set_value(
        &format!("{release} [data-testid=note-new-category]"),
        "enhancement",
    );
    app.set_value(
        &format!("{release} [data-testid=note-new-text]"),
        "Pages load twice as fast",
    );
    app.click_css(&format!("{release} [data-testid=note-add]"));
    app.wait_text(20, "the new note in the preview", |t| {
        t.contains("Pages load twice as fast")
    });
    // The same text again is refused before it is sent.
    app.set_value(
        &format!("{release} [data-testid=note-new-text]"),
        "Pages load twice as fast",
    );
    app.click_css(&format!("{release} [data-testid=note-add]"));
    app.wait_for("[data-testid=note-problem]", 10);
    app.set_value(&format!("{release} [data-testid=note-new-text]"), "");
    app.screenshot(&repo_path("target/e2e/notes.png"));
    let md = ok(&flotilla(&db, &["notes", "--release", "q1-2025"]));
    assert!(
        md.contains("## Enhancements\n\n- Pages load twice as fast\n"),
        "{md}"
    );

    // Review: against the feature freeze, with its pictures; an answer saved.
    app.click_css("[data-testid=tab-review]");
    app.wait_text(30, "the review", |t| t.contains("Post-release review"));
    let doc = app.text_of("[data-testid=review-doc]");
    assert!(doc.contains("What caused delays"), "{doc}");
    assert!(doc.contains("api-endpoints"), "{doc}");
    let svgs = app.exec(
        "return document.querySelectorAll('[data-testid=review-doc] svg').length;",
        json!([]),
    );
    assert!(svgs.as_u64().unwrap() >= 2, "{svgs}");
    app.set_value(
        "[data-testid=review-answer]",
        "No: the API endpoints slipped past the freeze.",
    );
    app.click_css("[data-testid=review-save]");
    app.wait_for("[data-testid=review-saved]", 20);
    app.wait_text(20, "the answer in the review", |t| {
        t.contains("Did we hit our dates? No: the API endpoints slipped")
    });
    app.exec(
        "document.querySelectorAll('[data-testid=review-doc] figure')[1].scrollIntoView({ block: 'start' });",
        json!([]),
    );
    app.screenshot(&repo_path("target/e2e/review.png"));
    let r: Value = serde_json::from_str(&ok(&flotilla(
        &db,
        &[
            "review",
            "--release",
            "q1-2025",
            "--format",
            "json",
            "--today",
            "2025-03-08",
        ],
    )))
    .unwrap();
    assert_eq!(
        r["questions"][0]["questions"][0]["answer"],
        "No: the API endpoints slipped past the freeze."
    );
    assert_eq!(r["runs"].as_array().unwrap().len(), 1);
    assert_eq!(r["runs"][0]["state"], "succeeded");

    // Metrics: the rehearsal is the one deployment.
    app.click_css("[data-testid=back]");
    app.click_css("[data-testid=open-metrics]");
    app.wait_text(30, "the metrics", |t| t.contains("Change failure rate"));
    let m = app.text_of("[data-testid=metrics-doc]");
    assert!(m.contains("0% (0 of 1 runs)"), "{m}");
    assert!(m.contains("1 of 1 releases on time"), "{m}");
    assert!(m.contains("2025-Q1"), "{m}");
    let bars = app.exec(
        "return document.querySelectorAll('[data-testid=metrics-doc] svg').length;",
        json!([]),
    );
    assert_eq!(bars, json!(4));
    app.screenshot(&repo_path("target/e2e/metrics.png"));
    // One team's figures.
    app.set_value("[data-testid=metrics-team]", "api");
    app.wait_until(20, "the api team's metrics", || {
        app.exec(
            "return document.querySelector('[data-testid=metrics-doc] h1')?.textContent ?? '';",
            json!([]),
        )
        .as_str()
        .is_some_and(|t| t.contains("team api"))
    });
}

#[test]
fn the_communication_plan_is_edited_in_the_settings_tab() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    ok(&flotilla(
        &db,
        &["import", repo_path(SAMPLE).to_str().unwrap()],
    ));
    let app = App::launch(&db);
    app.click_css("[data-testid=release-row][data-key=q1-2025] [data-testid=open-release]");
    app.wait_for("[data-testid=release-page][data-key=q1-2025]", 30);
    app.click_css("[data-testid=tab-settings]");
    app.wait_for("[data-testid=comms-channel][data-key=release-room]", 20);

    // A Slack channel whose URL is kept in a secret; a key that is not one is refused.
    app.click_css("[data-testid=comms-channel-add]");
    app.set_value("[data-testid=comms-channel-key]", "Support Chat");
    app.set_value("[data-testid=comms-url-secret]", "env:SUPPORT_SLACK_URL");
    app.click_css("[data-testid=comms-channel-save]");
    app.wait_text(10, "the key refused", |t| {
        t.contains("A key: lower-case letters")
    });
    app.set_value("[data-testid=comms-channel-key]", "support-chat");
    app.click_css("[data-testid=comms-channel-save]");
    app.wait_for("[data-testid=comms-channel][data-key=support-chat]", 20);

    // An audience told of failures and rollbacks on it.
    app.set_value("[data-testid=comms-audience-name]", "Support");
    app.set_value("[data-testid=comms-audience-key]", "support");
    app.exec(
        "const boxes = [...document.querySelectorAll('[data-testid=comms-audience-channel]')];
         const box = boxes.find((b) => b.parentElement.textContent.includes('support-chat'));
         box.click();",
        json!([]),
    );
    app.click_css("[data-testid=comms-audience-add]");
    app.wait_for("[data-testid=comms-audience][data-key=support]", 20);
    app.click_css(
        "[data-testid=comms-audience][data-key=support] [data-testid=comms-event-step_failed]",
    );
    app.wait_until(20, "step_failed saved", || {
        let plan: Value = serde_json::from_str(&stdout(&flotilla(
            &db,
            &["export", "--release", "q1-2025", "--format", "json"],
        )))
        .unwrap();
        plan["releases"][0]["comms"]["audiences"][2]["events"]
            .as_array()
            .is_some_and(|e| e.contains(&json!("step_failed")))
    });
    // A template with an unknown placeholder is refused with its field.
    app.set_value(
        "[data-testid=comms-template-step_failed]",
        "{release_name}: {stp} failed",
    );
    app.wait_text(20, "the refusal", |t| t.contains("stp"));
    app.set_value(
        "[data-testid=comms-template-step_failed]",
        "{release_name}: {step} failed, call {contacts}",
    );
    app.exec(
        "document.querySelector('[data-testid=comms-editor]').scrollIntoView({ block: 'start' });",
        json!([]),
    );
    app.wait_until(20, "the template saved", || {
        let plan: Value = serde_json::from_str(&stdout(&flotilla(
            &db,
            &["export", "--release", "q1-2025", "--format", "json"],
        )))
        .unwrap();
        plan["releases"][0]["comms"]["templates"]["step_failed"]
            == json!("{release_name}: {step} failed, call {contacts}")
    });
    app.screenshot(&repo_path("target/e2e/settings-comms.png"));
    let plan: Value = serde_json::from_str(&stdout(&flotilla(
        &db,
        &["export", "--release", "q1-2025", "--format", "json"],
    )))
    .unwrap();
    let c = &plan["releases"][0]["comms"];
    assert_eq!(
        c["channels"]["support-chat"],
        json!({ "kind": "slack", "url_secret": "env:SUPPORT_SLACK_URL" })
    );
    assert_eq!(
        c["audiences"][2],
        json!({ "key": "support", "name": "Support", "channels": ["support-chat"], "events": ["run_started", "run_finished", "step_failed"] })
    );
}
