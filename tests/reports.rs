//! `flotilla report weekly|daily` on the sample plan with a history of known
//! edits: an ETA moved by a known person, a dependency added, an older edit
//! before the report's `since`, and the schedule's known risks.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const SAMPLE: &str = "resources/samples/q1-2025-platform.json";
const TODAY: &str = "2025-02-03";

fn as_actor(db: &Path, actor: &str, args: &[&str]) {
    let out = Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env("FLOTILLA_ACTOR", actor)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
}

/// The sample plan, then: an ETA moved before the week (backdated to
/// 2025-01-20), the backend pipeline's ETA moved four days later by ana, and
/// a dependency added by bo.
fn workspace(s: &Scratch) -> std::path::PathBuf {
    let db = s.path("ws.db");
    let out = flotilla(&db, &["import", repo_path(SAMPLE).to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let set = ["set", "--release", "q1-2025", "--component"];
    as_actor(
        &db,
        "old-hand",
        &[&set[..], &["api-rate-limits", "eta=2025-02-10"]].concat(),
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE changes SET at = '2025-01-20T10:00:00.000Z' WHERE entity_key = 'api-rate-limits'",
        [],
    )
    .unwrap();
    drop(conn);
    as_actor(
        &db,
        "ana",
        &[&set[..], &["backend-pipeline", "eta=2025-02-04"]].concat(),
    );
    as_actor(
        &db,
        "bo",
        &[
            "add",
            "dependency",
            "--release",
            "q1-2025",
            "--from",
            "auth-service",
            "--to",
            "frontend-dashboard",
        ],
    );
    db
}

fn report(db: &Path, args: &[&str]) -> String {
    let out = flotilla(db, &[&["report"], args].concat());
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn the_weekly_sync_lists_what_moved_since_and_the_risks_it_made() {
    let s = Scratch::new();
    let db = workspace(&s);
    let args = [
        "weekly",
        "--release",
        "q1-2025",
        "--today",
        TODAY,
        "--since",
        "2025-01-27",
    ];
    let w: Value =
        serde_json::from_str(&report(&db, &[&args[..], &["--format", "json"]].concat())).unwrap();

    // What changed: the moved ETA with who; the backdated one is before `since`.
    let moves = w["eta_moves"].as_array().unwrap();
    assert_eq!(moves.len(), 1, "{moves:?}");
    assert_eq!(moves[0]["component"], "backend-pipeline");
    assert_eq!(moves[0]["old"], "2025-01-31");
    assert_eq!(moves[0]["new"], "2025-02-04");
    assert_eq!(moves[0]["by_days"], 4);
    assert_eq!(moves[0]["actor"], "ana");
    let added = w["added"].as_array().unwrap();
    assert_eq!(added.len(), 1, "{added:?}");
    assert_eq!(added[0]["entity"], "dependency");
    assert_eq!(added[0]["actor"], "bo");

    // The moved ETA makes the pipeline late for the API (needed by 2025-02-01).
    let blocked = w["blocked"].as_array().unwrap();
    let pipeline = blocked
        .iter()
        .find(|d| d["from"] == "backend-pipeline" && d["to"] == "api-endpoints")
        .unwrap_or_else(|| panic!("not blocked: {blocked:?}"));
    assert_eq!(pipeline["from_team"], "backend");
    assert_eq!(pipeline["from_finish"], "2025-02-04");
    let risks = w["risks"].as_array().unwrap();
    let risk = risks
        .iter()
        .find(|r| {
            r["text"]
                .as_str()
                .unwrap()
                .starts_with("api-endpoints (api) needs backend-pipeline")
        })
        .unwrap_or_else(|| panic!("{risks:?}"));
    assert_eq!(risk["new"], true, "{risk}");
    assert_eq!(risk["state"], "late");
    assert_eq!(w["milestones"].as_array().unwrap().len(), 3);

    // The same in words, and as a page.
    let md = report(&db, &args);
    assert!(md.starts_with("# Weekly release sync: "), "{md}");
    for part in [
        "## 1. Dependency status",
        "## 2. Timeline review",
        "## 3. Integration updates",
        "## 4. Risks and blockers",
        "- ETA of backend-pipeline (backend): 2025-01-31 → 2025-02-04, 4 days later (ana, ",
        "| backend-pipeline (backend) | api-endpoints (api) | 2025-02-01 | 2025-02-04 |",
        "- NEW late: api-endpoints (api) needs backend-pipeline (backend) by 2025-02-01",
    ] {
        assert!(md.contains(part), "no {part:?} in:\n{md}");
    }
    assert!(!md.contains("api-rate-limits: "), "{md}");
    let html = report(&db, &[&args[..], &["--format", "html"]].concat());
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<h2>4. Risks and blockers</h2>"), "{html}");
    assert!(!html.contains("<script"), "{html}");

    // Nothing changed since a later day.
    let later = report(
        &db,
        &[
            "weekly",
            "--release",
            "q1-2025",
            "--today",
            TODAY,
            "--since",
            "2999-01-01",
        ],
    );
    assert!(
        later.contains("Date and scope changes since 2999-01-01:\n\nNone."),
        "{later}"
    );
}

#[test]
fn a_teams_daily_update_says_what_is_done_waiting_and_at_risk() {
    let s = Scratch::new();
    let db = workspace(&s);
    let args = [
        "daily",
        "--release",
        "q1-2025",
        "--team",
        "api",
        "--today",
        TODAY,
    ];
    let d: Value =
        serde_json::from_str(&report(&db, &[&args[..], &["--format", "json"]].concat())).unwrap();
    let lines: Vec<(String, String)> = d["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["mark"].as_str().unwrap().to_string(),
                l["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let has =
        |mark: &str, start: &str| lines.iter().any(|(m, t)| m == mark && t.starts_with(start));
    assert!(has("waiting", "Waiting for "), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|(m, t)| m == "risk" && t.contains("working day") && t.contains("late")),
        "the late pipeline: {lines:?}"
    );
    assert!(lines.iter().any(|(m, _)| m == "progress"), "{lines:?}");
    let md = report(&db, &args);
    assert!(md.starts_with("# [API"), "{md}");
    assert!(md.contains("- ⏳ Waiting for "), "{md}");
    assert!(md.contains("- 🚨 "), "{md}");

    let out = flotilla(
        &db,
        &[
            "report",
            "daily",
            "--release",
            "q1-2025",
            "--team",
            "nobody",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("nobody"), "{}", stderr(&out));
}

#[test]
fn a_weekly_report_counts_changes_since_the_last_one_it_made() {
    let s = Scratch::new();
    let db = workspace(&s);
    let since = |today: &str| -> Value {
        let w: Value = serde_json::from_str(&report(
            &db,
            &[
                "weekly",
                "--release",
                "q1-2025",
                "--today",
                today,
                "--format",
                "json",
            ],
        ))
        .unwrap();
        w["since"].clone()
    };
    // None made yet: a week before.
    assert_eq!(since("2025-01-27"), "2025-01-20");
    // The next week's report starts where the last one was made, and so does
    // a second one the same day.
    assert_eq!(since("2025-02-03"), "2025-01-27");
    assert_eq!(since("2025-02-03"), "2025-01-27");
    assert_eq!(since("2025-02-12"), "2025-02-03");
    // An explicit --since wins (and the report it writes still counts as made).
    let w: Value = serde_json::from_str(&report(
        &db,
        &[
            "weekly",
            "--release",
            "q1-2025",
            "--today",
            "2025-02-20",
            "--since",
            "2025-01-01",
            "--format",
            "json",
        ],
    ))
    .unwrap();
    assert_eq!(w["since"], "2025-01-01");
    assert_eq!(since("2025-02-27"), "2025-02-20");
}

#[test]
fn a_replacing_import_records_its_changes_field_by_field_and_the_weekly_sync_counts_them() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let sample = repo_path(SAMPLE);
    let out = flotilla(&db, &["import", sample.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // A team's copy of the plan: one ETA moved, one component gone, one new.
    let mut plan: Value = serde_json::from_str(&std::fs::read_to_string(&sample).unwrap()).unwrap();
    let comps = plan["releases"][0]["components"].as_array_mut().unwrap();
    let pipeline = comps
        .iter_mut()
        .find(|c| c["key"] == "backend-pipeline")
        .unwrap();
    pipeline["eta"] = serde_json::json!("2025-02-06");
    let new_one = serde_json::json!({ "key": "audit-log", "title": "Audit log", "team": "backend", "duration_days": 3 });
    comps.push(new_one);
    let file = s.write_json("theirs.json", &plan);
    as_actor(
        &db,
        "carol",
        &["import", "--replace", file.to_str().unwrap()],
    );

    let out = flotilla(
        &db,
        &["history", "--release", "q1-2025", "--json", "--limit", "20"],
    );
    let rows: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rows = rows.as_array().unwrap();
    let eta = rows
        .iter()
        .find(|r| {
            r["entity"] == "component" && r["key"] == "backend-pipeline" && r["field"] == "eta"
        })
        .expect("the ETA's own row");
    assert_eq!(eta["kind"], "import");
    assert_eq!(eta["actor"], "carol");
    assert_eq!(eta["old"], "\"2025-01-31\"");
    assert_eq!(eta["new"], "\"2025-02-06\"");
    assert!(rows
        .iter()
        .any(|r| r["key"] == "audit-log" && r["field"].is_null() && r["old"].is_null()));
    // Nothing else of the release is recorded as changed.
    let changed: Vec<&Value> = rows
        .iter()
        .filter(|r| r["entity"] == "component" || r["entity"] == "dependency")
        .collect();
    assert_eq!(changed.len(), 2, "{changed:?}");

    let w: Value = serde_json::from_str(&report(
        &db,
        &["weekly", "--release", "q1-2025", "--format", "json"],
    ))
    .unwrap();
    let moves = w["eta_moves"].as_array().unwrap();
    assert_eq!(moves.len(), 1, "{moves:?}");
    assert_eq!(moves[0]["actor"], "carol");
    assert_eq!(moves[0]["by_days"], 6);
}
