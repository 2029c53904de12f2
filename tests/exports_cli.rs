//! `flotilla export --format ical|md|dot|mermaid` on the sample plan.

mod common;
use common::*;
use std::process::Command;

fn workspace() -> (Scratch, std::path::PathBuf) {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let sample = repo_path("resources/samples/q1-2025-platform.json");
    let out = flotilla(&db, &["import", sample.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    (s, db)
}

fn export(db: &std::path::Path, format: &str) -> String {
    let out = flotilla(
        db,
        &[
            "export",
            "--release",
            "q1-2025",
            "--format",
            format,
            "--today",
            "2025-02-05",
        ],
    );
    assert!(out.status.success(), "{format}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn dot_is_valid_graphviz_with_the_critical_path_and_risks_marked() {
    let (_s, db) = workspace();
    let text = export(&db, "dot");
    // Graphviz itself must accept it.
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("graphviz `dot` is installed (make deps)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "dot rejected it: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
    for team in [
        "cluster_frontend",
        "cluster_api",
        "cluster_backend",
        "cluster_mobile",
    ] {
        assert!(text.contains(team), "no {team}");
    }
    // The critical path auth-service -> mobile-app is red and thick.
    assert!(
        text.contains("\"auth-service\" -> \"mobile-app\" [color=\"#c62828\", penwidth=2.5]"),
        "{text}"
    );
    // The at-risk dependency is orange and labelled with its needed-by date.
    assert!(text.contains(
        "\"backend-pipeline\" -> \"api-endpoints\" [label=\"needed by 2025-02-01\", color=\"#ef6c00\""
    ));
}

#[test]
fn mermaid_groups_teams_and_styles_the_critical_path() {
    let (_s, db) = workspace();
    let text = export(&db, "mermaid");
    assert!(text.contains("flowchart LR"));
    assert!(text.contains("subgraph team_backend[\"Backend\"]"));
    assert!(text.contains("backend_pipeline -->|\"needed by 2025-02-01\"| api_endpoints"));
    assert!(
        text.contains("class auth_service,mobile_app critical"),
        "{text}"
    );
    let edges: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("-->") || l.contains("-.->"))
        .collect();
    assert_eq!(edges.len(), 11);
    let at_risk = edges
        .iter()
        .position(|l| l.contains("backend_pipeline -->"))
        .unwrap();
    assert!(text.contains(&format!("linkStyle {at_risk} stroke:#ef6c00")));
}

#[test]
fn ical_has_every_event_folded_and_unique() {
    let (_s, db) = workspace();
    let text = export(&db, "ical");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "line over 75 octets: {line}");
    }
    let unfolded = text.replace("\r\n ", "");
    let events = unfolded.matches("BEGIN:VEVENT").count();
    assert_eq!(events, unfolded.matches("END:VEVENT").count());
    // Release day, two freezes, three milestones, fourteen component finishes.
    assert_eq!(events, 1 + 2 + 3 + 14);
    let uids: Vec<&str> = unfolded.lines().filter(|l| l.starts_with("UID:")).collect();
    let unique: std::collections::HashSet<_> = uids.iter().collect();
    assert_eq!(unique.len(), uids.len());
    assert!(unfolded.contains("UID:q1-2025-release@flotilla\r\nDTSTAMP:20250205T000000Z\r\nDTSTART;VALUE=DATE:20250301\r\nDTEND;VALUE=DATE:20250302"));
    assert!(unfolded.contains("SUMMARY:Q1 2025 Platform Release: integration milestone Full stack"));
    // The same day gives the same bytes.
    assert_eq!(text, export(&db, "ical"));
}

#[test]
fn markdown_report_says_what_needs_attention() {
    let (_s, db) = workspace();
    let text = export(&db, "md");
    assert!(text.starts_with("# Q1 2025 Platform Release — status on 2025-02-05"));
    for needle in [
        "| 2025-01-06 | 2025-02-15 | 2025-02-22 | 2025-03-01 | 2025-02-24 |",
        "At risk: `backend-pipeline` → `api-endpoints` needed by 2025-02-01",
        "`mobile-app` **breaks the code freeze** (2025-02-22) by 1 working day",
        "At risk: milestone `full-stack` due 2025-02-19",
        "`auth-service` → `mobile-app`",
        "## Pre-release checklist",
        "## Deployment waves",
    ] {
        assert!(text.contains(needle), "report lacks {needle:?}:\n{text}");
    }
}

#[test]
fn one_release_formats_need_a_release_when_there_are_several() {
    let (s, db) = workspace();
    let other = s.write_json("q2.json", &full_plan("q2-2025"));
    assert!(flotilla(&db, &["import", other.to_str().unwrap()])
        .status
        .success());
    for format in ["md", "dot", "mermaid"] {
        let out = flotilla(&db, &["export", "--format", format]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(stderr(&out).contains("--release KEY"), "{}", stderr(&out));
    }
    // iCal takes every release at once.
    let out = flotilla(
        &db,
        &["export", "--format", "ical", "--today", "2025-02-05"],
    );
    assert!(out.status.success());
    assert!(stdout(&out).contains("UID:q2-2025-release@flotilla"));
    let out = flotilla(&db, &["export", "--format", "ical", "--today", "Feb 5"]);
    assert_eq!(out.status.code(), Some(2));
}
