//! End-to-end: a plan file opened from outside the window (`flotilla
//! PLAN_FILE`, as the file manager runs it) and one window per workspace (a
//! second start hands its file to the open window), in the real app.
#![cfg(feature = "desktop")]

mod common;
use common::desktop::App;
use common::*;
use serde_json::Value;
use std::process::Command;
use std::time::{Duration, Instant};

const SAMPLE: &str = "resources/samples/q1-2025-platform.json";

/// The sample plan with its release renamed: what a teammate's copy might hold.
fn renamed_sample(s: &Scratch, name: &str) -> std::path::PathBuf {
    let mut plan: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_path(SAMPLE)).unwrap()).unwrap();
    plan["releases"][0]["name"] = Value::String(name.to_string());
    s.write_json("q1.flotilla.json", &plan)
}

fn release_name(db: &std::path::Path) -> String {
    let out = flotilla(db, &["releases", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    v[0]["name"].as_str().unwrap_or_default().to_string()
}

#[test]
fn a_file_given_on_the_command_line_previews_its_changes_then_imports() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let out = flotilla(&db, &["import", repo_path(SAMPLE).to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = renamed_sample(&s, "Platform Q1 (from the shared folder)");

    let app = App::launch_binary(
        &db,
        common::desktop::app_binary(),
        &[file.to_str().unwrap()],
        &[],
    );
    app.wait_for("[data-testid=open-file]", 30);
    let release = app.text_of("[data-testid=open-file-release]");
    assert!(
        release.contains("importing replaces it (1 change)"),
        "{release}"
    );
    let changes = app.text_of("[data-testid=open-file-changes]");
    assert!(
        changes.contains("Platform Q1 (from the shared folder)"),
        "{changes}"
    );
    // The preview changed nothing.
    assert_ne!(release_name(&db), "Platform Q1 (from the shared folder)");

    app.click_css("[data-testid=open-file-import]");
    app.wait_for("[data-testid=release-page][data-key=q1-2025]", 30);
    let notice = app.text_of("[data-testid=notice]");
    assert!(notice.starts_with("Imported q1-2025 from"), "{notice}");
    assert_eq!(release_name(&db), "Platform Q1 (from the shared folder)");
}

#[test]
fn a_second_start_on_the_workspace_hands_its_file_to_the_open_window() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let app = App::launch(&db);
    app.wait_for("[data-testid=empty-state]", 30);
    let file = renamed_sample(&s, "Platform Q1");

    // What the file manager runs: the same binary, the same workspace, the file.
    let started = Instant::now();
    let second = Command::new(common::desktop::app_binary())
        .arg("--db")
        .arg(&db)
        .arg(&file)
        .env("DISPLAY", &app.xvfb.display)
        .env("FLOTILLA_LOG_DIR", s.path("logs-second"))
        .output()
        .expect("start the app a second time");
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("already open"),
        "{}",
        stderr(&second)
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the second start should hand over and end, not open a window"
    );

    app.wait_for("[data-testid=open-file]", 30);
    let release = app.text_of("[data-testid=open-file-release]");
    assert!(release.contains("new: importing adds it"), "{release}");
    app.click_css("[data-testid=open-file-link]");
    app.wait_for("[data-testid=release-page][data-key=q1-2025]", 30);
    let notice = app.text_of("[data-testid=notice]");
    assert!(notice.starts_with("Linked q1-2025 to"), "{notice}");

    let out = flotilla(&db, &["sync", "--release", "q1-2025"]);
    assert!(out.status.success(), "linked: {}", stderr(&out));
}

#[test]
fn a_file_that_is_not_a_plan_is_said_with_its_path_and_nothing_changes() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let bad = s.write("broken.flotilla.json", "{ \"format\": \"flotilla.plan\", ");
    let app = App::launch_binary(
        &db,
        common::desktop::app_binary(),
        &[bad.to_str().unwrap()],
        &[],
    );
    let text = app.wait_text(30, "the error about the file", |t| {
        t.contains("broken.flotilla.json")
    });
    assert!(!text.contains("Open a plan file"), "{text}");
    app.wait_for("[data-testid=empty-state]", 30);
    let out = flotilla(&db, &["releases", "--json"]);
    assert_eq!(stdout(&out).trim(), "[]", "{}", stderr(&out));
}
