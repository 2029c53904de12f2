//! Team update packets: `export --release KEY --team TEAM` and importing them
//! back, for teams that do not use git.

mod common;

use common::{flotilla, full_plan, stderr, stdout, Scratch};
use serde_json::{json, Value};

fn setup() -> (Scratch, std::path::PathBuf) {
    let s = Scratch::new();
    let db = s.path("w.db");
    let plan = s.write_json("plan.json", &full_plan("q1"));
    let r = flotilla(&db, &["import", plan.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    (s, db)
}

fn export_packet(s: &Scratch, db: &std::path::Path, team: &str) -> Value {
    let out = s.path(&format!("{team}.packet.json"));
    let r = flotilla(
        db,
        &[
            "export",
            "--release",
            "q1",
            "--team",
            team,
            "--format",
            "json",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

fn release(db: &std::path::Path) -> Value {
    let r = flotilla(db, &["export", "--release", "q1", "--format", "json"]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    serde_json::from_str::<Value>(&stdout(&r)).unwrap()["releases"][0].clone()
}

fn component<'a>(rel: &'a Value, key: &str) -> &'a Value {
    rel["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("no component {key}"))
}

#[test]
fn a_packet_holds_only_what_the_team_owns() {
    let (s, db) = setup();
    let p = export_packet(&s, &db, "api");
    assert_eq!(p["format"], "flotilla.packet");
    assert_eq!(p["version"], 1);
    assert_eq!(p["release"], "q1");
    assert_eq!(p["team"], "api");
    let keys: Vec<&str> = p["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["api-endpoints"]);
    // Both dependencies touch api-endpoints (one in, one out).
    assert_eq!(p["dependencies"].as_array().unwrap().len(), 2);
    assert_eq!(p["checklist"], json!([]));
    let b = export_packet(&s, &db, "backend");
    assert_eq!(
        b["components"][0]["updates"][0]["text"],
        "Started, on track"
    );
    assert_eq!(
        b["dependencies"],
        json!([{ "from": "backend-pipeline", "to": "api-endpoints", "needed_by": "2025-02-01", "buffer_days": 3, "lag_days": 0 }])
    );
    assert_eq!(b["checklist"][0]["text"], "Rollback procedures tested");
}

#[test]
fn importing_a_packet_merges_the_teams_part_and_touches_nothing_else() {
    let (s, db) = setup();
    let mut p = export_packet(&s, &db, "backend");
    // Meanwhile the release manager edits another team's component.
    let r = flotilla(
        &db,
        &[
            "set",
            "--release",
            "q1",
            "--component",
            "frontend-dashboard",
            "eta=2025-02-20",
        ],
    );
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    // The backend lead updates the packet offline.
    p["components"][0]["eta"] = json!("2025-02-04");
    p["components"][0]["status"] = json!("testing");
    p["components"][0]["updates"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "date": "2025-02-03", "text": "Slipped two days" }));
    p["components"].as_array_mut().unwrap().push(
        json!({ "key": "backend-cache", "title": "Cache layer", "team": "backend", "duration_days": 3 }),
    );
    p["dependencies"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "from": "backend-cache", "to": "frontend-dashboard" }));
    p["checklist"][0]["done"] = json!(true);
    let file = s.write_json("packet.json", &p);
    let before = release(&db);
    let r = flotilla(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let report = stdout(&r);
    assert!(
        report.contains(r#"changed releases["q1"].components["backend-pipeline"].eta: "2025-02-01" -> "2025-02-04""#),
        "{report}"
    );
    assert!(
        report.contains(r#"added releases["q1"].components["backend-cache"]"#),
        "{report}"
    );
    assert!(
        report.contains(
            r#"added releases["q1"].dependencies["backend-cache -> frontend-dashboard"]"#
        ),
        "{report}"
    );
    assert!(
        report.contains(
            r#"changed releases["q1"].checklist["Rollback procedures tested"].done: false -> true"#
        ),
        "{report}"
    );
    assert!(
        stderr(&r).contains("team backend packet merged into release q1"),
        "{}",
        stderr(&r)
    );

    let after = release(&db);
    let pipe = component(&after, "backend-pipeline");
    assert_eq!(pipe["eta"], "2025-02-04");
    assert_eq!(pipe["status"], "testing");
    assert_eq!(pipe["updates"].as_array().unwrap().len(), 2);
    assert_eq!(
        pipe["deploy"],
        component(&before, "backend-pipeline")["deploy"]
    );
    // Nothing else moved: the other teams' components, the release fields,
    // milestones and triggers.
    assert_eq!(component(&after, "frontend-dashboard")["eta"], "2025-02-20");
    assert_eq!(
        component(&after, "api-endpoints"),
        component(&before, "api-endpoints")
    );
    for field in [
        "name",
        "status",
        "start",
        "release_date",
        "milestones",
        "rollback_triggers",
        "deploy_schedule",
    ] {
        assert_eq!(after[field], before[field], "{field}");
    }
    assert_eq!(after["checklist"][0]["done"], true);

    // The same packet again changes nothing.
    let r = flotilla(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0));
    assert!(stdout(&r).is_empty(), "{}", stdout(&r));
    assert!(stderr(&r).contains("0 changes"));
}

#[test]
fn a_component_the_packet_lacks_is_removed_with_its_dependencies() {
    let (s, db) = setup();
    let mut p = export_packet(&s, &db, "frontend");
    p["components"] = json!([]);
    p["dependencies"] = json!([]);
    let file = s.write_json("packet.json", &p);
    let r = flotilla(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let after = release(&db);
    assert!(after["components"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["key"] != "frontend-dashboard"));
    assert_eq!(after["dependencies"].as_array().unwrap().len(), 1);
}

#[test]
fn a_packet_with_another_teams_component_is_refused_with_paths() {
    let (s, db) = setup();
    let mut p = export_packet(&s, &db, "backend");
    p["components"].as_array_mut().unwrap().push(
        json!({ "key": "api-endpoints", "title": "Taken over", "team": "backend", "duration_days": 2 }),
    );
    p["components"].as_array_mut().unwrap().push(
        json!({ "key": "new-thing", "title": "Mislabelled", "team": "api", "duration_days": 2 }),
    );
    let file = s.write_json("packet.json", &p);
    let before = release(&db);
    let r = flotilla(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
    let err = stderr(&r);
    assert!(
        err.contains(r#"components[1].key: component "api-endpoints" belongs to team "api""#),
        "{err}"
    );
    assert!(
        err.contains(r#"components[2].team: component "new-thing" is team "api"'s"#),
        "{err}"
    );
    assert_eq!(release(&db), before, "nothing changed");
}

#[test]
fn a_packet_for_a_missing_release_is_refused() {
    let (s, db) = setup();
    let mut p = export_packet(&s, &db, "backend");
    p["release"] = json!("q9");
    let file = s.write_json("packet.json", &p);
    let r = flotilla(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
    assert!(
        stderr(&r).contains(r#"release: release "q9" is not in the workspace"#),
        "{}",
        stderr(&r)
    );
}

#[test]
fn a_packet_that_closes_a_cycle_is_refused_with_the_cycle() {
    let (s, db) = setup();
    let mut p = export_packet(&s, &db, "frontend");
    p["dependencies"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "from": "frontend-dashboard", "to": "backend-pipeline" }));
    let file = s.write_json("packet.json", &p);
    let before = release(&db);
    let r = flotilla(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
    assert!(
        stderr(&r).contains("dependency cycle: backend-pipeline -> api-endpoints -> frontend-dashboard -> backend-pipeline"),
        "{}",
        stderr(&r)
    );
    assert_eq!(release(&db), before);
}

#[test]
fn a_packet_dependency_between_other_teams_is_refused() {
    let (s, db) = setup();
    let mut p = export_packet(&s, &db, "frontend");
    p["dependencies"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "from": "backend-pipeline", "to": "api-endpoints", "buffer_days": 9 }));
    let file = s.write_json("packet.json", &p);
    let r = flotilla(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
    assert!(stderr(&r).contains("dependencies[1]: dependency \"backend-pipeline\" -> \"api-endpoints\" touches none of team \"frontend\"'s components"), "{}", stderr(&r));
}

#[test]
fn export_team_needs_a_known_team_and_json() {
    let (_s, db) = setup();
    let r = flotilla(
        &db,
        &[
            "export",
            "--release",
            "q1",
            "--team",
            "nobody",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.status.code(), Some(2));
    assert!(
        stderr(&r).contains("team \"nobody\" not found"),
        "{}",
        stderr(&r)
    );
    let r = flotilla(
        &db,
        &[
            "export",
            "--release",
            "q1",
            "--team",
            "api",
            "--format",
            "csv",
        ],
    );
    assert_eq!(r.status.code(), Some(2));
    let r = flotilla(&db, &["export", "--team", "api", "--format", "json"]);
    assert_eq!(r.status.code(), Some(2), "--team requires --release");
}
