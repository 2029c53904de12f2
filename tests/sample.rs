//! The sample plan: valid, canonical, and round-tripped byte for byte through the CLI.

mod common;
use common::*;

const SAMPLE: &str = "resources/samples/q1-2025-platform.json";

#[test]
fn sample_round_trips_byte_for_byte() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let sample = repo_path(SAMPLE);
    let out = flotilla(&db, &["import", sample.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let original = std::fs::read_to_string(&sample).unwrap();
    let all = flotilla(&db, &["export", "--format", "json"]);
    assert!(all.status.success());
    assert!(
        stdout(&all) == original,
        "export differs from the sample file"
    );
    let one = flotilla(&db, &["export", "--release", "q1-2025", "--format", "json"]);
    assert!(
        stdout(&one) == original,
        "release export differs from the sample file"
    );
    // -o writes the same bytes to a file.
    let f = s.path("out.json");
    let out = flotilla(
        &db,
        &["export", "--format", "json", "-o", f.to_str().unwrap()],
    );
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(f).unwrap(), original);
}

#[test]
fn sample_has_what_the_seeds_describe() {
    let plan = flotilla::plan::read_plan_file(&repo_path(SAMPLE)).unwrap();
    let teams: Vec<&str> = plan.teams.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(teams, ["frontend", "api", "backend", "mobile"]);
    assert!(plan.teams.iter().all(|t| {
        let c = t.contacts.as_ref().unwrap();
        c.primary.is_some() && c.backup.is_some()
    }));
    let r = plan.release("q1-2025").unwrap();
    assert!(r.components.len() >= 12);
    assert_eq!(r.milestones.len(), 3);
    assert!(r.checklist.iter().any(|c| c.gate));
    assert_eq!(r.rollback_triggers.len(), 3);
    let slots: Vec<&str> = r
        .deploy_schedule
        .as_ref()
        .unwrap()
        .slots
        .iter()
        .map(|s| s.at.as_str())
        .collect();
    assert_eq!(slots, ["09:00", "09:30", "10:00", "10:30"]);
    for (_, e) in &plan.endpoints {
        assert!(
            e.base_url.starts_with("http://127.0.0.1:"),
            "{}",
            e.base_url
        );
    }
}

#[test]
fn csv_export_lists_every_component() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let sample = repo_path(SAMPLE);
    assert!(flotilla(&db, &["import", sample.to_str().unwrap()])
        .status
        .success());
    let out = flotilla(&db, &["export", "--release", "q1-2025", "--format", "csv"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let plan = flotilla::plan::read_plan_file(&sample).unwrap();
    let n = plan.releases[0].components.len();
    assert_eq!(text.lines().count(), n + 1);
    assert!(text.starts_with("release,component,title,team,status,"));
    assert!(text.contains("q1-2025,backend-pipeline,"));
}
