//! End-to-end: the Runbook and Sync tabs of the real app under Xvfb, driven
//! through tauri-driver. The rehearsal runs the sample plan's runbook against
//! `flotilla rehearsal-target` on its default loopback port (docs/runbook.md).
#![cfg(feature = "desktop")]

mod common;
use common::desktop::App;
use common::*;
use serde_json::{json, Value};

const SAMPLE: &str = "resources/samples/q1-2025-platform.json";

/// A workspace holding the sample plan.
fn sample_db(s: &Scratch) -> std::path::PathBuf {
    let db = s.path("ws.db");
    let out = flotilla(&db, &["import", repo_path(SAMPLE).to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    db
}

/// Opens the sample release from the releases list and waits for its graph.
fn open_release(app: &App) {
    app.click_css("[data-testid=release-row][data-key=q1-2025] [data-testid=open-release]");
    app.wait_for("[data-testid=release-page][data-key=q1-2025]", 30);
    app.wait_for("[data-testid=node]", 30);
}

/// The runbook `flotilla runbook --format json` compiles for the sample.
fn cli_runbook(db: &std::path::Path) -> Value {
    let out = flotilla(db, &["runbook", "--release", "q1-2025", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// Every step row of the Runbook tab: (key, action, live state).
fn step_rows(app: &App) -> Vec<(String, String, String)> {
    let v = app.exec(
        "return [...document.querySelectorAll('[data-testid=runbook-step]')].map((row) => {
             const st = row.querySelector('[data-testid=run-step]');
             return [row.dataset.key, row.dataset.action, st ? st.dataset.state : ''];
         });",
        json!([]),
    );
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |i: usize| r[i].as_str().unwrap_or_default().to_string();
            (s(0), s(1), s(2))
        })
        .collect()
}

#[test]
fn runbook_tab_shows_the_waves_and_a_rehearsal_runs_to_the_end() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let rb = cli_runbook(&db);
    let waves = rb["waves"].as_array().unwrap();
    let first = &waves[0]["steps"][0];
    let deploys: Vec<&str> = waves
        .iter()
        .flat_map(|w| w["steps"].as_array().unwrap())
        .filter(|st| st["action"] == "deploy")
        .map(|st| st["id"].as_str().unwrap())
        .collect();
    assert!(!deploys.is_empty());
    let _target = RehearsalTarget::start(1);
    let app = App::launch_with_env(&db, &[("FLOTILLA_DEPLOY_TOKEN", "rehearsal")]);
    open_release(&app);
    app.click_css("[data-testid=tab-runbook]");
    app.wait_for("[data-testid=wave]", 30);

    // The deployment order: the CLI's waves, the first step's component first.
    assert_eq!(app.find_all("[data-testid=wave]").len(), waves.len());
    let first_row = "[data-testid=wave][data-number='1'] [data-testid=runbook-step]";
    assert_eq!(
        app.attr_of(first_row, "data-key").as_deref(),
        first["id"].as_str()
    );
    let row_text = app.text_of(first_row);
    assert!(
        row_text.contains(first["title"].as_str().unwrap())
            && row_text.contains(first["team_name"].as_str().unwrap()),
        "{row_text}"
    );
    let preflight = app.find_all("[data-testid=preflight-item]").len();
    let open = rb["preflight"]["checklist"].as_array().unwrap().len()
        + rb["preflight"]["milestones"].as_array().unwrap().len();
    assert_eq!(preflight, open);
    assert!(open > 0, "the sample has open gate items");

    // The Markdown export is the CLI's, byte for byte; written beside the
    // workspace, whose folder the chooser then lists.
    let md = s.path("runbook.md");
    app.click_css("[data-testid=runbook-export-md]");
    app.save_in_native_dialog("Export the runbook as Markdown", &md, None);
    app.wait_for("[data-testid=runbook-exported]", 20);
    let out = flotilla(&db, &["runbook", "--release", "q1-2025", "--format", "md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&md).unwrap(), stdout(&out));

    // Open pre-flight items: the run starts only when forced.
    app.click_css("[data-testid=run-open]");
    app.wait_for("[data-testid=run-confirm]", 10);
    assert!(app.attr_of("[data-testid=run-start]", "disabled").is_some());
    app.click_css("[data-testid=run-force]");
    app.set_value("[data-testid=run-watch]", "1");
    app.wait_until(10, "the start button to enable", || {
        app.attr_of("[data-testid=run-start]", "disabled").is_none()
    });
    app.screenshot(&repo_path("target/e2e/run-confirm.png"));
    app.click_css("[data-testid=run-start]");
    app.wait_for("[data-testid=run-live]", 10);
    app.wait_until(90, "the run to finish", || {
        let state = app.attr_of("[data-testid=run-live]", "data-state");
        !matches!(state.as_deref(), None | Some("running") | Some("idle"))
    });
    assert_eq!(
        app.attr_of("[data-testid=run-live]", "data-state")
            .as_deref(),
        Some("succeeded"),
        "{}",
        app.text_of("[data-testid=run-live]")
    );
    let rows = step_rows(&app);
    assert_eq!(
        rows.len(),
        rb["waves"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["steps"].as_array().unwrap().len())
            .sum::<usize>()
    );
    for (key, action, state) in &rows {
        let want = match action.as_str() {
            "deploy" => "succeeded",
            "manual" => "manual",
            _ => "released",
        };
        assert_eq!(state, want, "step {key} ({action})");
    }
    assert_eq!(
        app.attr_of("[data-testid=run-progress]", "aria-valuenow")
            .as_deref(),
        Some("100")
    );
    assert_eq!(
        app.text_of("[data-testid=run-count]"),
        format!("{0} / {0}", rows.len())
    );
    app.screenshot(&repo_path("target/e2e/runbook.png"));

    // The run is in the workspace, its audit chain intact, as the CLI sees it.
    app.click_css("[data-testid=past-run][data-state=succeeded]");
    app.wait_for("[data-testid=audit-check]", 20);
    assert_eq!(
        app.attr_of("[data-testid=audit-check]", "data-ok")
            .as_deref(),
        Some("true")
    );
    assert!(!app.find_all("[data-testid=audit-row]").is_empty());
    let out = flotilla(&db, &["runs", "latest", "--audit"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // The sample's communication plan: who is told of what, the first
    // message as it reads, and the run's messages, every one sent to the
    // rehearsal target's message webhook.
    let told = rb["comms"]["audiences"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["events"].as_array().unwrap())
        .map(|e| e.as_str().unwrap())
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(app.find_all("[data-testid=comms-event]").len(), told.len());
    assert!(
        app.text_of("[data-testid=comms-first]")
            .contains("deployment starting now"),
        "{}",
        app.text_of("[data-testid=comms-first]")
    );
    let messages = app.find_all("[data-testid=run-message]").len();
    assert_eq!(
        messages,
        app.find_all("[data-testid=run-message][data-state=sent]")
            .len()
    );
    let out = flotilla(&db, &["outbox", "list", "--json"]);
    let outbox: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(messages, outbox.as_array().unwrap().len());
    assert!(messages >= told.len(), "{messages} messages");
    // After the detail's own smooth scroll has ended.
    std::thread::sleep(std::time::Duration::from_secs(1));
    app.exec(
        "document.querySelector('[data-testid=run-messages]').scrollIntoView({ block: 'center' });",
        json!([]),
    );
    app.screenshot(&repo_path("target/e2e/runbook-messages.png"));
    app.exec(
        "document.querySelector('[data-testid=comms-plan]').scrollIntoView({ block: 'center' });",
        json!([]),
    );
    app.screenshot(&repo_path("target/e2e/runbook-comms.png"));
    app.screenshot(&repo_path("target/e2e/runbook-audit.png"));
}

/// Opens the Runbook tab and starts a forced run, watching metrics for 1 s.
fn start_forced_run(app: &App) {
    app.click_css("[data-testid=tab-runbook]");
    app.wait_for("[data-testid=wave]", 30);
    app.click_css("[data-testid=run-open]");
    app.wait_for("[data-testid=run-confirm]", 10);
    app.click_css("[data-testid=run-force]");
    app.set_value("[data-testid=run-watch]", "1");
    app.click_css("[data-testid=run-start]");
    app.wait_for("[data-testid=run-live]", 10);
}

#[test]
fn abort_stops_the_run_and_rolls_back_what_was_triggered() {
    let s = Scratch::new();
    let db = sample_db(&s);
    // Deployments that never finish on their own.
    let _target = RehearsalTarget::start(10_000);
    let app = App::launch_with_env(&db, &[("FLOTILLA_DEPLOY_TOKEN", "rehearsal")]);
    open_release(&app);
    start_forced_run(&app);
    app.wait_for("[data-testid=run-step][data-state=triggered]", 30);
    // Another tab and back: the run is still shown, with its Abort button.
    app.click_css("[data-testid=tab-graph]");
    app.wait_for("[data-testid=node]", 20);
    app.click_css("[data-testid=tab-runbook]");
    app.wait_for("[data-testid=run-step][data-state=triggered]", 20);
    app.click_css("[data-testid=run-abort]");
    app.wait_until(60, "the run to end", || {
        let state = app.attr_of("[data-testid=run-live]", "data-state");
        !matches!(state.as_deref(), None | Some("running") | Some("idle"))
    });
    assert_eq!(
        app.attr_of("[data-testid=run-live]", "data-state")
            .as_deref(),
        Some("rolled_back"),
        "{}",
        app.text_of("[data-testid=run-live]")
    );
    let rows = step_rows(&app);
    let rolled_back = rows.iter().filter(|r| r.2 == "rolled_back").count();
    assert!(rolled_back > 0, "{rows:?}");
    for (key, action, state) in &rows {
        if action == "deploy" {
            assert!(
                state == "rolled_back" || state == "skipped",
                "step {key}: {state}"
            );
        }
    }
    assert!(app.find_all("[data-testid=run-abort]").is_empty());
    // The CLI sees the same: rolled back (exit code 3), the abort in the trail.
    let out = flotilla(&db, &["runs", "latest", "--audit"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("aborted from the desktop app"),
        "{}",
        stdout(&out)
    );
}

/// backend-pipeline's ETA in the workspace, as `flotilla export --format csv` shows it.
fn stored_eta(db: &std::path::Path) -> String {
    let out = flotilla(db, &["export", "--release", "q1-2025", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = stdout(&out);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == "eta").unwrap();
    let row = csv
        .lines()
        .find(|l| l.starts_with("q1-2025,backend-pipeline,"))
        .unwrap_or_else(|| panic!("no backend-pipeline row: {csv}"));
    row.split(',').nth(at).unwrap().to_string()
}

#[test]
fn sync_shows_a_conflict_and_takes_the_chosen_side() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let file = s.path("q1-2025.json");
    let app = App::launch(&db);
    open_release(&app);

    // Link: the file does not exist, so it is written from the workspace.
    app.click_css("[data-testid=tab-sync]");
    app.wait_until(20, "the suggested path", || {
        app.exec(
            "const el = document.querySelector('[data-testid=sync-path]'); return el ? el.value : '';",
            json!([]),
        ) != json!("")
    });
    app.set_value("[data-testid=sync-path]", file.to_str().unwrap());
    app.click_css("[data-testid=sync-link]");
    app.wait_until(20, "the link", || {
        app.text_of("[data-testid=sync-linked]")
            .contains(file.to_str().unwrap())
    });
    assert!(file.exists());

    // The file's ETA of backend-pipeline moves one way...
    let mut plan: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let component = plan["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["key"] == "backend-pipeline")
        .unwrap();
    let base = component["eta"].as_str().unwrap().to_string();
    component["eta"] = json!("2025-02-05");
    std::fs::write(&file, serde_json::to_string_pretty(&plan).unwrap()).unwrap();

    // ...and the workspace's another, edited in the window.
    app.open_from_timeline("backend-pipeline");
    app.set_value("[data-testid=field-eta]", "2025-01-27");
    app.wait_until(20, "the edit to be saved", || {
        stored_eta(&db) == "2025-01-27"
    });

    // Sync: one conflict, base / mine / theirs.
    app.click_css("[data-testid=tab-sync]");
    app.click_css("[data-testid=sync-sync]");
    let row = "[data-testid=conflict][data-path*=backend-pipeline][data-path$=eta]";
    app.wait_for(row, 20);
    assert_eq!(app.find_all("[data-testid=conflict]").len(), 1);
    let cell = |side: &str| app.text_of(&format!("{row} [data-testid=value-{side}]"));
    assert_eq!(cell("base"), base);
    assert_eq!(cell("ours"), "2025-01-27");
    assert_eq!(cell("theirs"), "2025-02-05");
    assert!(app
        .attr_of("[data-testid=sync-apply]", "disabled")
        .is_some());

    // Theirs, Apply: the workspace takes the file's ETA and the page shows it.
    app.click_css(&format!("{row} [data-testid=choice-theirs]"));
    app.wait_until(10, "Apply to enable", || {
        app.attr_of("[data-testid=sync-apply]", "disabled")
            .is_none()
    });
    app.screenshot(&repo_path("target/e2e/sync.png"));
    app.click_css("[data-testid=sync-apply]");
    app.wait_for("[data-testid=sync-clean]", 20);
    assert!(app.find_all("[data-testid=conflict]").is_empty());
    assert!(app
        .text_of("[data-testid=applied][data-path*=backend-pipeline]")
        .contains("2025-02-05"));
    app.wait_until(20, "the panel to show the new ETA", || {
        app.exec(
            "const el = document.querySelector('[data-testid=field-eta]'); return el ? el.value : null;",
            json!([]),
        ) == json!("2025-02-05")
    });
    assert_eq!(stored_eta(&db), "2025-02-05");
}
