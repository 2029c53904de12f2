//! End-to-end: the name edits are recorded under can be set in the app.
#![cfg(feature = "desktop")]

mod common;
use common::desktop::App;
use common::*;

#[test]
fn the_name_edits_are_recorded_under_is_set_in_the_app_and_remembered() {
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
    app.wait_until(20, "the actor's name", || {
        app.text_of("[data-testid=actor-name]") == "e2e"
    });
    app.click_css("[data-testid=actor] button.link");
    app.set_value("[data-testid=actor-input]", "Priya Patel");
    app.click_css("[data-testid=actor] button[type=submit]");
    app.wait_until(20, "the new name", || {
        app.text_of("[data-testid=actor-name]") == "Priya Patel"
    });
    // An empty name is refused where it was typed, and the old name stays.
    app.click_css("[data-testid=actor] button.link");
    app.set_value("[data-testid=actor-input]", "   ");
    app.click_css("[data-testid=actor] button[type=submit]");
    app.wait_for("[data-testid=actor] [data-testid=error-note]", 20);
    drop(app);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let saved: String = conn
        .query_row("SELECT value FROM settings WHERE key = 'actor'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(saved, "Priya Patel");
}
