//! The runbook: compiling the sample plan, the three exports, the digest, and
//! `flotilla runbook` on the command line.

mod common;

use common::*;
use flotilla::plan::parse_plan;
use flotilla::runbook::{
    compile_plan, parse_runbook, runbook_html, runbook_markdown, write_runbook, StepAction,
};
use serde_json::Value;

fn sample() -> flotilla::plan::Plan {
    parse_plan(flotilla::SAMPLE_PLAN).expect("the sample plan is valid")
}

#[test]
fn sample_runbook_has_waves_in_schedule_order_with_slot_times_and_contacts() {
    let rb = compile_plan(&sample(), "q1-2025").unwrap();
    assert_eq!(rb.format, "flotilla.runbook");
    assert_eq!(rb.version, 1);
    assert!(rb.digest.starts_with("sha256:") && rb.digest.len() == 7 + 64);
    let first: Vec<&str> = rb.waves[0].steps.iter().map(|s| s.id.as_str()).collect();
    // Wave 1 in slot order (backend 09:00, api 09:30, frontend, mobile), then key.
    assert_eq!(
        first,
        [
            "auth-service",
            "push-service",
            "schema-migration",
            "api-rate-limits",
            "feature-flags",
            "frontend-charts",
            "mobile-crash"
        ]
    );
    let pipeline = rb.step("backend-pipeline").unwrap();
    assert_eq!(pipeline.at.as_deref(), Some("09:00"));
    assert_eq!(pipeline.action, StepAction::Deploy);
    assert_eq!(
        pipeline
            .contacts
            .primary
            .as_ref()
            .unwrap()
            .handle
            .as_deref(),
        Some("@alex")
    );
    assert_eq!(
        rb.step("schema-migration").unwrap().action,
        StepAction::Released
    );
    assert_eq!(
        rb.step("frontend-charts").unwrap().action,
        StepAction::Manual
    );
    // Every wave-n step depends only on earlier waves: the schedule's waves.
    assert_eq!(rb.waves.len(), 5);
    assert_eq!(rb.waves[4].steps[0].id, "frontend-export");
    assert_eq!(rb.rollback_triggers.len(), 3);
    assert!(rb.endpoints.contains_key("rehearsal") && rb.endpoints.contains_key("metrics"));
    // Pre-flight: only the open gate items and the open milestones.
    assert_eq!(rb.preflight.checklist.len(), 8);
    assert!(rb
        .preflight
        .checklist
        .iter()
        .all(|i| i.text != "Documentation updated"));
    assert_eq!(rb.preflight.milestones.len(), 3);
}

#[test]
fn json_export_round_trips_and_its_digest_verifies() {
    let rb = compile_plan(&sample(), "q1-2025").unwrap();
    let text = write_runbook(&rb);
    assert!(text.ends_with("}\n"));
    let back = parse_runbook(&text).expect("an untouched runbook verifies");
    assert_eq!(back, rb);
    // Compiling twice gives the same bytes.
    assert_eq!(
        write_runbook(&compile_plan(&sample(), "q1-2025").unwrap()),
        text
    );
    // Key order and whitespace do not change the digest: it covers content.
    let v: Value = serde_json::from_str(&text).unwrap();
    let compact = serde_json::to_string(&v).unwrap();
    assert!(parse_runbook(&compact).is_ok());
}

#[test]
fn a_tampered_runbook_is_refused() {
    let rb = compile_plan(&sample(), "q1-2025").unwrap();
    let text = write_runbook(&rb);
    let tampered = text.replacen("/rollback/backend-pipeline", "/rollback/everything", 1);
    assert_ne!(tampered, text);
    let err = parse_runbook(&tampered).unwrap_err();
    assert_eq!(err.code(), "digest_mismatch", "{err}");
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["endpoints"]["rehearsal"]["base_url"] = Value::from("https://evil.example.com");
    let err = parse_runbook(&serde_json::to_string(&v).unwrap()).unwrap_err();
    assert_eq!(err.code(), "digest_mismatch");
    let err = parse_runbook(&text.replace("flotilla.runbook", "flotilla.plan")).unwrap_err();
    assert_eq!(err.code(), "bad_format");
}

#[test]
fn markdown_has_the_seed_runbook_sections() {
    let md = runbook_markdown(&compile_plan(&sample(), "q1-2025").unwrap());
    for h in [
        "# Q1 2025 Platform Release Runbook",
        "## Pre-flight",
        "## Deployment Order",
        "## Verification Steps",
        "## Rollback Triggers",
        "## Contacts",
    ] {
        assert!(md.contains(h), "missing {h}");
    }
    assert!(md.contains("09:30"));
    assert!(md.contains("above 0.05 for 10 min"));
    assert!(md.contains("P0 bug found"));
    assert!(md.contains("Alex Novak @alex"));
    assert!(md.contains("GET http://127.0.0.1:8787/health/backend-pipeline expects 200"));
    // Deployment order: wave 1 before wave 2.
    assert!(md.find("### Wave 1").unwrap() < md.find("### Wave 2").unwrap());
    // Who is told what, with the expected duration; no channel URL.
    let comms = &md[md
        .find("## Communication")
        .expect("a Communication section")..];
    assert!(comms.contains("Expected duration: about "), "{comms}");
    assert!(
        comms.contains("- Stakeholders: told of run started, rollback started, run finished, on release-room (webhook)"),
        "{comms}"
    );
    assert!(!comms.contains("/messages"), "{comms}");
}

#[test]
fn a_runbook_without_a_communication_plan_has_no_communication_section() {
    let mut plan = sample();
    plan.releases[0].comms = None;
    let rb = compile_plan(&plan, "q1-2025").unwrap();
    assert!(!runbook_markdown(&rb).contains("## Communication"));
    assert!(!runbook_html(&rb).contains("<h2>Communication</h2>"));
}

#[test]
fn html_is_self_contained_and_escaped() {
    let mut plan = sample();
    plan.releases[0].name = "Q1 <b>&</b> release".into();
    let html = runbook_html(&compile_plan(&plan, "q1-2025").unwrap());
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("Q1 &lt;b&gt;&amp;&lt;/b&gt; release"));
    assert!(!html.contains("<b>&</b>"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("src=\"http"));
    assert!(!html.contains("<link"));
    assert!(html.contains("@media print"));
    assert!(html.contains("Rollback Triggers"));
    assert!(html.contains("<h2>Communication</h2>"));
}

#[test]
fn exports_hold_secret_references_never_values() {
    std::env::set_var("FLOTILLA_DEPLOY_TOKEN", "s3cr3t-value-42");
    let rb = compile_plan(&sample(), "q1-2025").unwrap();
    for text in [write_runbook(&rb), runbook_markdown(&rb), runbook_html(&rb)] {
        assert!(!text.contains("s3cr3t-value-42"));
    }
    assert!(write_runbook(&rb).contains("env:FLOTILLA_DEPLOY_TOKEN"));
}

#[test]
fn cli_writes_each_format_from_a_plan_or_the_workspace() {
    let s = Scratch::new();
    let db = s.path("w.db");
    let sample = repo_path("resources/samples/q1-2025-platform.json");
    let sample = sample.to_str().unwrap();
    let out = s.path("rb.json");
    let o = flotilla(
        &db,
        &[
            "runbook",
            "--release",
            "q1-2025",
            "--plan",
            sample,
            "--format",
            "json",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let from_plan = std::fs::read_to_string(&out).unwrap();
    assert!(parse_runbook(&from_plan).is_ok());

    let o = flotilla(&db, &["import", sample]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = flotilla(
        &db,
        &["runbook", "--release", "q1-2025", "--format", "json"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), from_plan, "workspace and plan file agree");
    let o = flotilla(&db, &["runbook", "--release", "q1-2025", "--format", "md"]);
    assert!(stdout(&o).contains("## Deployment Order"));
    let o = flotilla(
        &db,
        &["runbook", "--release", "q1-2025", "--format", "html"],
    );
    assert!(stdout(&o).contains("<h2>Contacts</h2>"));
    let o = flotilla(&db, &["runbook", "--release", "nope", "--format", "md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope"));
}
