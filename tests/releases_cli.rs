//! `flotilla releases`: dates and risk counts per release.

mod common;
use common::*;

#[test]
fn releases_lists_the_sample_with_its_risks() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let out = flotilla(&db, &["releases"]);
    assert!(out.status.success());
    assert!(stdout(&out).contains("no releases in the workspace"));
    let sample = repo_path("resources/samples/q1-2025-platform.json");
    assert!(flotilla(&db, &["import", sample.to_str().unwrap()])
        .status
        .success());
    let out = flotilla(&db, &["releases", "--json", "--today", "2025-02-05"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let r = &v[0];
    assert_eq!(r["key"], "q1-2025");
    assert_eq!(r["release_date"], "2025-03-01");
    assert_eq!(r["plan_finish"], "2025-02-24");
    assert_eq!(r["counts"]["dependencies_late"], 0);
    assert_eq!(r["counts"]["dependencies_at_risk"], 1);
    assert_eq!(r["counts"]["code_freeze_breaches"], 1);
    assert_eq!(r["counts"]["milestones_at_risk"], 1);
    assert_eq!(r["open_gates"], 8);
    let text = stdout(&flotilla(&db, &["releases", "--today", "2025-02-05"]));
    let line = text.lines().find(|l| l.starts_with("q1-2025")).unwrap();
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        cols[1..7],
        [
            "in_development",
            "2025-01-06",
            "2025-02-15",
            "2025-02-22",
            "2025-03-01",
            "2025-02-24"
        ]
    );
    assert_eq!(cols[7..12], ["0", "1", "1", "1", "8"]);
    let bad = flotilla(&db, &["releases", "--today", "5 Feb"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("invalid date"));
}
