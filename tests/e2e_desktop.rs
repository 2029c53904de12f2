//! End-to-end: the real app under Xvfb, driven through tauri-driver.
#![cfg(feature = "desktop")]

mod common;
use common::desktop::App;
use common::*;

#[test]
fn window_lists_the_sample_release() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let out = flotilla(
        &db,
        &[
            "import",
            repo_path("resources/samples/q1-2025-platform.json")
                .to_str()
                .unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let app = App::launch(&db);
    let rows = app.wait_for("[data-testid=release-row]", 30);
    assert_eq!(rows.len(), 1);
    assert_eq!(app.attr(&rows[0], "data-key").as_deref(), Some("q1-2025"));
    let text = app.text(&rows[0]);
    assert!(text.contains("Q1 2025 Platform Release"), "{text}");
    app.screenshot(&repo_path("target/e2e/releases.png"));
}
