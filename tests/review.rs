//! Release notes, the post-release review and delivery metrics on one
//! release with a known story, told through the real binary:
//!
//! ```text
//! working days  Jan 6 ........ 10 | 13 ...... 17 | 20 ...... 24 | 27 ...... 31
//! plan at FF    core ##########   | api ######## | web ######## |
//! what happened core ##########   | api ################################ (ETA moved twice by ana)
//!                                                                 | web ######## (shipped Jan 31)
//! feature freeze Jan 17; release date Jan 31
//! core -> api   needed by Jan 13, buffer 1: slack 1, buffer untouched
//! api  -> web   needed by Jan 20, buffer 2: api finished Jan 24, 4 days over
//! core -> web   added by bo on Jan 21, after the freeze (a surprise)
//! run 1 (forced, a gate open): web fails its deploy, api and core roll back
//! run 2 (forced): every step succeeds, Jan 31
//! the gate "Rollback procedures tested" is ticked only on Feb 3
//! ```
//!
//! So: planned finish Jan 24, actual Jan 31 (5 working days late), api cost
//! the release 5 days, one buffer too small by 4, one surprise, the run
//! history with its rollback, change failure rate 1 of 2, lead times 21, 7
//! and 0 days.

mod common;
mod fakes;

use common::*;
use fakes::Webhook;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

fn plan(deploy: &str) -> Value {
    let comp = |k: &str, team: &str| {
        json!({ "key": k, "title": format!("The {k}"), "team": team, "status": "ready", "duration_days": 5,
            "deploy": {
                "endpoint": "hook", "expected_minutes": 10,
                "trigger": { "method": "POST", "path": format!("/deploy/{k}") },
                "status": { "path": format!("/deploy/{k}/status"), "field": "state",
                            "success": ["succeeded"], "failure": ["failed"], "interval_s": 1, "timeout_s": 30 },
                "rollback": { "method": "POST", "path": format!("/rollback/{k}") }
            } })
    };
    let mut core = comp("core", "backend");
    core["done_on"] = json!("2025-01-10");
    core["notes"] = json!([
        { "category": "fix", "text": "Reports no longer time out on large accounts" }
    ]);
    let mut web = comp("web", "web");
    web["notes"] = json!([
        { "category": "new", "text": "A dashboard of every release at a glance" },
        { "category": "breaking", "text": "The old /v1/export link is gone: use Export in the menu" }
    ]);
    json!({
        "format": "flotilla.plan", "version": 1,
        "teams": [ { "key": "backend", "name": "Backend" }, { "key": "api", "name": "API" }, { "key": "web", "name": "Web" } ],
        "endpoints": { "hook": { "kind": "webhook", "base_url": deploy, "timeout_s": 5 } },
        "releases": [ {
            "key": "r1", "name": "Release One", "start": "2025-01-06", "feature_freeze": "2025-01-17",
            "release_date": "2025-01-31",
            "components": [core, comp("api", "api"), web],
            "dependencies": [
                { "from": "core", "to": "api", "needed_by": "2025-01-13", "buffer_days": 1 },
                { "from": "api", "to": "web", "needed_by": "2025-01-20", "buffer_days": 2 }
            ],
            "milestones": [ { "key": "int", "name": "Integration", "components": ["core", "api"], "due": "2025-01-22",
                "scenarios": [ { "text": "Login end to end", "done": true }, { "text": "Export with 10k rows", "done": false } ] } ],
            "checklist": [
                { "text": "Rollback procedures tested", "gate": true, "done": false },
                { "text": "Release notes drafted", "done": true }
            ],
            "rollback_triggers": [ { "kind": "verify_failed" } ],
            "notes": [ { "category": "upgrade", "text": "Sign in again after the upgrade" } ]
        } ]
    })
}

fn as_actor(db: &Path, actor: &str, args: &[&str]) -> String {
    let out = Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env("FLOTILLA_ACTOR", actor)
        .env_remove("FLOTILLA_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// Sets the time of the newest history rows matching `filter` (SQL).
fn backdate(conn: &rusqlite::Connection, at: &str, filter: &str) {
    let n = conn
        .execute(&format!("UPDATE changes SET at = ?1 WHERE {filter}"), [at])
        .unwrap();
    assert!(n > 0, "no history row matches {filter}");
}

/// The workspace with the whole story in it; returns it and the two run ids.
fn story(s: &Scratch) -> (std::path::PathBuf, String, String, Webhook) {
    let hook = Webhook::start(None);
    let db = s.path("w.db");
    let file = s.write_json("plan.json", &plan(&hook.url()));
    as_actor(&db, "rm", &["import", file.to_str().unwrap()]);
    let set = |actor: &str, comp: &str, what: &str| {
        as_actor(
            &db,
            actor,
            &["set", "--release", "r1", "--component", comp, what],
        );
    };
    set("ana", "api", "eta=2025-01-22");
    set("ana", "api", "eta=2025-01-24");
    as_actor(
        &db,
        "bo",
        &[
            "add",
            "dependency",
            "--release",
            "r1",
            "--from",
            "core",
            "--to",
            "web",
        ],
    );
    set("carl", "api", "done_on=2025-01-24");
    set("carl", "web", "done_on=2025-01-31");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        backdate(
            &conn,
            "2025-01-02T09:00:00.000Z",
            "entity = 'release' OR entity = 'team' OR entity = 'endpoint'",
        );
        backdate(
            &conn,
            "2025-01-20T09:00:00.000Z",
            "field = 'eta' AND new_value = '\"2025-01-22\"'",
        );
        backdate(
            &conn,
            "2025-01-23T09:00:00.000Z",
            "field = 'eta' AND new_value = '\"2025-01-24\"'",
        );
        backdate(&conn, "2025-01-21T09:00:00.000Z", "entity = 'dependency'");
        backdate(&conn, "2025-01-31T08:00:00.000Z", "field = 'done_on'");
    }
    let rb = s.path("runbook.json");
    as_actor(
        &db,
        "rm",
        &[
            "runbook",
            "--release",
            "r1",
            "--format",
            "json",
            "-o",
            rb.to_str().unwrap(),
        ],
    );
    hook.with(|st| {
        st.failing.insert("web".into());
    });
    let run = |args: &[&str]| {
        Command::new(bin())
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("FLOTILLA_ACTOR", "rm")
            .env_remove("FLOTILLA_DB")
            .output()
            .unwrap()
    };
    let first = run(&["run", rb.to_str().unwrap(), "--yes", "--force", "--json"]);
    assert_eq!(first.status.code(), Some(3), "{}", stderr(&first));
    hook.with(|st| st.failing.clear());
    let second = run(&["run", rb.to_str().unwrap(), "--yes", "--force", "--json"]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let id = |o: &std::process::Output| {
        let v: Value = serde_json::from_str(&stdout(o)).expect("run --json");
        v["run"]["id"].as_str().unwrap().to_string()
    };
    let (r1, r2) = (id(&first), id(&second));
    let tick = s.write_json(
        "tick.json",
        &json!({"op": "set_checklist_item", "release": "r1", "index": 0, "field": "done", "value": true}),
    );
    as_actor(&db, "qa", &["apply", tick.to_str().unwrap()]);
    as_actor(
        &db,
        "rm",
        &[
            "set",
            "--release",
            "r1",
            r#"retrospective=[{"question":"Did we hit our dates?","answer":"No: the API slipped a week."}]"#,
        ],
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    backdate(&conn, "2025-02-03T09:00:00.000Z", "entity = 'checklist'");
    let sql = |q: &str, p: &[&str]| {
        conn.execute(q, rusqlite::params_from_iter(p.iter()))
            .unwrap();
    };
    sql(
        "UPDATE runs SET started_at = '2025-01-31T09:00:00.000Z', finished_at = '2025-01-31T09:25:00.000Z' WHERE id = ?1",
        &[&r1],
    );
    sql(
        "UPDATE run_steps SET started_at = '2025-01-31T09:00:00.000Z', finished_at = '2025-01-31T09:10:00.000Z' WHERE run_id = ?1",
        &[&r1],
    );
    sql(
        "UPDATE runs SET started_at = '2025-01-31T10:00:00.000Z', finished_at = '2025-01-31T10:30:00.000Z' WHERE id = ?1",
        &[&r2],
    );
    sql(
        "UPDATE run_steps SET started_at = '2025-01-31T10:00:00.000Z', finished_at = '2025-01-31T10:20:00.000Z' WHERE run_id = ?1",
        &[&r2],
    );
    (db, r1, r2, hook)
}

fn json_of(db: &Path, args: &[&str]) -> Value {
    let o = flotilla(db, args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("json")
}

#[test]
fn the_review_tells_planned_against_actual_what_cost_days_buffers_surprises_and_the_runs() {
    let s = Scratch::new();
    let (db, r1, r2, _hook) = story(&s);
    let r = json_of(
        &db,
        &[
            "review",
            "--release",
            "r1",
            "--format",
            "json",
            "--today",
            "2025-02-07",
        ],
    );
    assert_eq!(r["baseline"], "2025-01-17");
    assert_eq!(r["baseline_source"], "feature freeze");
    assert_eq!(r["baseline_is_first_state"], false);
    assert_eq!(r["planned_finish"], "2025-01-24");
    assert_eq!(r["actual_finish"], "2025-01-31");
    assert_eq!(r["finish_slip_days"], 5);
    assert_eq!(r["shipped_on"], "2025-01-31");

    let comp = |k: &str| {
        r["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == k)
            .unwrap()
            .clone()
    };
    assert_eq!(comp("api")["planned"], "2025-01-17");
    assert_eq!(comp("api")["actual"], "2025-01-24");
    assert_eq!(comp("api")["slip_days"], 5);
    assert_eq!(comp("core")["slip_days"], 0);
    assert_eq!(comp("web")["planned"], "2025-01-24");
    assert_eq!(comp("web")["actual"], "2025-01-31");

    // The milestone waited for api: due Jan 22, planned Jan 17, missed.
    assert_eq!(r["milestones"][0]["planned"], "2025-01-17");
    assert_eq!(r["milestones"][0]["actual"], "2025-01-24");
    assert_eq!(r["milestones"][0]["met"], false);

    // What caused delays: api alone, with ana's two ETA moves.
    let delays = r["delays"].as_array().unwrap();
    assert_eq!(delays.len(), 1, "{delays:?}");
    assert_eq!(delays[0]["component"], "api");
    assert_eq!(delays[0]["days_lost"], 5);
    let moves: Vec<(String, String)> = delays[0]["eta_changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["new"].as_str().unwrap().into(),
                m["actor"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            ("2025-01-22".to_string(), "ana".to_string()),
            ("2025-01-24".to_string(), "ana".to_string())
        ]
    );

    // Buffers: core -> api untouched; api -> web overran by 4.
    let buf = |from: &str| {
        r["buffers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["from"] == from)
            .unwrap()
            .clone()
    };
    assert_eq!(buf("core")["used_days"], 0);
    assert_eq!(buf("core")["too_small"], false);
    assert_eq!(buf("api")["planned_slack"], 1);
    assert_eq!(buf("api")["actual_slack"], -4);
    assert_eq!(buf("api")["used_days"], 2);
    assert_eq!(buf("api")["overrun_days"], 4);
    assert_eq!(buf("api")["too_small"], true);

    assert_eq!(
        r["surprises"],
        json!([{ "entity": "dependency", "key": "core->web", "actor": "bo", "at": "2025-01-21T09:00:00.000Z" }])
    );

    // The gate was still open at the end of release day; ticked later.
    assert_eq!(r["checklist"][0]["done_on_release_day"], false);
    assert_eq!(r["checklist"][0]["done_now"], true);
    assert_eq!(r["checklist"][1]["done_on_release_day"], true);

    // The runs: the forced one that rolled back, then the good one.
    let runs = r["runs"].as_array().unwrap();
    let run = |id: &str| runs.iter().find(|x| x["id"] == id).unwrap().clone();
    assert_eq!(run(&r1)["state"], "rolled_back");
    assert_eq!(run(&r1)["forced"], true);
    assert_eq!(run(&r1)["failed_steps"], json!(["web"]));
    let mut back: Vec<String> =
        serde_json::from_value(run(&r1)["rolled_back_steps"].clone()).unwrap();
    back.sort();
    assert_eq!(
        back,
        ["api", "core"],
        "web failed and is rolled back too, listed as failed"
    );
    assert_eq!(run(&r2)["state"], "succeeded");
    assert_eq!(run(&r2)["waves"][0]["expected_minutes"], 10);
    assert_eq!(run(&r2)["waves"][0]["actual_minutes"], 20.0);

    // The seeds' questions, with the answer saved in the plan.
    let groups: Vec<&str> = r["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["heading"].as_str().unwrap())
        .collect();
    assert_eq!(
        groups,
        ["Timeline", "Dependencies", "Integration", "Process"]
    );
    assert_eq!(
        r["questions"][0]["questions"][0]["answer"],
        "No: the API slipped a week."
    );
    assert_eq!(r["questions"][0]["questions"][1]["answer"], Value::Null);

    // The slip chart's data: api's ETA from the baseline on.
    let api = r["slips"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["component"] == "api")
        .unwrap()
        .clone();
    assert_eq!(api["needed_by"], "2025-01-20");
    assert_eq!(
        api["points"],
        json!([{ "on": "2025-01-17", "eta": null }, { "on": "2025-01-20", "eta": "2025-01-22" }, { "on": "2025-01-23", "eta": "2025-01-24" }])
    );

    let md = stdout(&flotilla(
        &db,
        &["review", "--release", "r1", "--today", "2025-02-07"],
    ));
    for want in [
        "# Post-release review: Release One",
        "Planned to finish 2025-01-24; finished 2025-01-31: 5 working days late.",
        "| api | api | 5 | - → 2025-01-22 by ana on 2025-01-20; 2025-01-22 → 2025-01-24 by ana on 2025-01-23 |",
        "| api → web | 2025-01-20 | 2 | 1 | -4 | 2 | 4 | too small |",
        "- dependency core → web added by bo on 2025-01-21",
        "### Timeline",
        "- Did we hit our dates? No: the API slipped a week.",
        "- What caused delays? (to answer)",
        "Started past open pre-flight items (--force)",
    ] {
        assert!(md.contains(want), "missing {want:?} in\n{md}");
    }
    let html = stdout(&flotilla(
        &db,
        &[
            "review",
            "--release",
            "r1",
            "--format",
            "html",
            "--today",
            "2025-02-07",
        ],
    ));
    assert_eq!(html.matches("<svg").count(), 3, "three pictures");
    assert!(html.contains("aria-label=\"slip chart"), "{html}");

    // Another baseline: the plan as it stood on Jan 21 already had api's
    // first slip, so api lost only 2 days against it.
    let r = json_of(
        &db,
        &[
            "review",
            "--release",
            "r1",
            "--format",
            "json",
            "--today",
            "2025-02-07",
            "--baseline",
            "2025-01-21",
        ],
    );
    assert_eq!(r["baseline_source"], "chosen");
    assert_eq!(r["delays"][0]["days_lost"], 2);
    assert_eq!(r["surprises"].as_array().unwrap().len(), 1);
}

#[test]
fn release_notes_have_the_seeds_sections_and_known_issues_from_gates_and_scenarios() {
    let s = Scratch::new();
    let (db, _r1, _r2, _hook) = story(&s);
    // The gate is ticked in the story; open it again for the notes.
    let open = s.write_json(
        "open.json",
        &json!({"op": "set_checklist_item", "release": "r1", "index": 0, "field": "done", "value": false}),
    );
    assert!(flotilla(&db, &["apply", open.to_str().unwrap()])
        .status
        .success());
    let md = stdout(&flotilla(&db, &["notes", "--release", "r1"]));
    let want = "# Release notes: Release One

Release r1 on 2025-01-31.

## What's new

- A dashboard of every release at a glance (The web)

## Bug fixes

- Reports no longer time out on large accounts (The core)

## Breaking changes

- The old /v1/export link is gone: use Export in the menu (The web)

## Known issues

- Release gate not met: Rollback procedures tested (waived: a run started past it with --force at 2025-01-31T09:00:00.000Z)
- Not yet tested: Export with 10k rows (Integration)

## Upgrade instructions

- Sign in again after the upgrade
";
    assert_eq!(md, want);
    let v = json_of(&db, &["notes", "--release", "r1", "--format", "json"]);
    let cats: Vec<&str> = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["category"].as_str().unwrap())
        .collect();
    assert_eq!(cats, ["new", "fix", "breaking", "known_issue", "upgrade"]);
    assert_eq!(v["sections"][3]["lines"][0]["source"], "gate");
    let html = stdout(&flotilla(
        &db,
        &["notes", "--release", "r1", "--format", "html"],
    ));
    assert!(html.contains("<h2>Known issues</h2>"), "{html}");
    // A note edited through the CLI is checked as the plan file is.
    let bad = flotilla(
        &db,
        &[
            "set",
            "--release",
            "r1",
            "--component",
            "api",
            r#"notes=[{"category":"shiny","text":"x"}]"#,
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("unknown variant `shiny`"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn metrics_count_deployments_failures_restore_lead_time_and_the_plans_own_figures() {
    let s = Scratch::new();
    let (db, _r1, _r2, _hook) = story(&s);
    let m = json_of(
        &db,
        &["metrics", "--format", "json", "--today", "2025-02-07"],
    );
    let o = &m["overall"];
    assert_eq!(o["deployments"], 1);
    assert_eq!(o["runs_finished"], 2);
    assert_eq!(o["runs_failed"], 1);
    assert_eq!(o["change_failure_rate"], 0.5);
    assert_eq!(o["time_to_restore_minutes"], 15.0);
    // core done Jan 10, api Jan 24, web Jan 31; deployed Jan 31.
    assert_eq!(o["lead_time_samples"], 3);
    assert_eq!(o["lead_time_days"], 7.0);
    assert_eq!(o["releases_shipped"], 1);
    assert_eq!(o["releases_on_time"], 1);
    assert_eq!(o["schedule_error_days"], 0.0);
    assert_eq!(o["buffers"], 2);
    assert_eq!(o["buffers_too_small"], 1);
    assert_eq!(o["buffer_days_planned"], 3);
    assert_eq!(o["buffer_days_used"], 2);
    assert_eq!(o["late_dependencies"], 1);
    // One week from the first run to "today".
    assert_eq!(o["deployments_per_week"], 1.0);
    assert_eq!(m["quarters"][0]["quarter"], "2025-Q1");
    assert_eq!(m["quarters"].as_array().unwrap().len(), 1);
    assert_eq!(m["definitions"].as_array().unwrap().len(), 8);

    // One team: only its components' lead times.
    let web = json_of(
        &db,
        &[
            "metrics",
            "--format",
            "json",
            "--team",
            "web",
            "--today",
            "2025-02-07",
        ],
    );
    assert_eq!(web["overall"]["lead_time_samples"], 1);
    assert_eq!(web["overall"]["lead_time_days"], 0.0);
    // Nothing since after the release.
    let later = json_of(
        &db,
        &[
            "metrics",
            "--format",
            "json",
            "--since",
            "2025-02-01",
            "--today",
            "2025-02-07",
        ],
    );
    assert_eq!(later["overall"]["deployments"], 0);
    assert_eq!(later["overall"]["releases_shipped"], 0);

    let md = stdout(&flotilla(&db, &["metrics", "--today", "2025-02-07"]));
    assert!(
        md.contains("| Change failure rate | 50% (1 of 2 runs) |"),
        "{md}"
    );
    let html = stdout(&flotilla(
        &db,
        &["metrics", "--format", "html", "--today", "2025-02-07"],
    ));
    assert_eq!(html.matches("<svg").count(), 4, "a chart per figure");

    let bad = flotilla(&db, &["metrics", "--team", "nobody"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("nobody"), "{}", stderr(&bad));
}
