//! End-to-end: the real app under Xvfb, driven through tauri-driver. Each test
//! starts from its own temporary workspace; the app judges the sample plan on
//! 2025-02-03 (FLOTILLA_TODAY), so its counts are fixed.
#![cfg(feature = "desktop")]

mod common;
use common::desktop::App;
use common::*;
use std::path::Path;

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

fn critical_path(app: &App) -> String {
    app.text_of("[data-testid=critical-path]")
}

fn cli_dependencies(db: &Path) -> String {
    let out = flotilla(db, &["export", "--release", "q1-2025", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    v["releases"][0]["dependencies"].to_string()
}

#[test]
fn window_lists_the_sample_release() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let app = App::launch(&db);
    let rows = app.wait_for("[data-testid=release-row]", 30);
    assert_eq!(rows.len(), 1);
    assert_eq!(app.attr(&rows[0], "data-key").as_deref(), Some("q1-2025"));
    let text = app.text(&rows[0]);
    assert!(text.contains("Q1 2025 Platform Release"), "{text}");
    // The risk counts of `flotilla analyze --today 2025-02-03`.
    let count = |id: &str| app.attr_of(&format!("[data-testid=risk-{id}]"), "data-count");
    assert_eq!(count("at-risk").as_deref(), Some("1"));
    assert_eq!(count("late").as_deref(), Some("0"));
    assert_eq!(count("freeze").as_deref(), Some("1"));
    assert_eq!(count("milestones").as_deref(), Some("1"));
    assert_eq!(count("gates").as_deref(), Some("8"));
    app.screenshot(&repo_path("target/e2e/releases.png"));
    // The app logs each command in a daily file of its log folder.
    let logs = common::desktop::log_dir(&db);
    let mut log = String::new();
    for _ in 0..100 {
        log = std::fs::read_dir(&logs)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("flotilla.log."))
            .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
            .collect();
        if log.contains("command{name=\"list_releases\"}") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(log.contains("desktop app starting"), "{log}");
    assert!(log.contains("command{name=\"list_releases\"}"), "{log}");
}

#[test]
fn opens_the_sample_release_from_an_empty_workspace() {
    let s = Scratch::new();
    let app = App::launch(&s.path("empty.db"));
    app.wait_for("[data-testid=empty-state]", 30);
    app.click_css("[data-testid=open-sample]");
    open_release(&app);
    // Every component is a node, every dependency an edge; the critical path is marked.
    app.wait_until(20, "14 nodes", || {
        app.find_all("[data-testid=node]").len() == 14
    });
    assert_eq!(app.find_all("[data-testid=edge]").len(), 11);
    let critical: Vec<String> = app
        .find_all("[data-testid=node][data-critical=true]")
        .iter()
        .filter_map(|n| app.attr(n, "data-key"))
        .collect();
    assert_eq!(critical, ["auth-service", "mobile-app"]);
    assert_eq!(
        app.attr_of(
            "[data-testid=edge][data-from=backend-pipeline]",
            "data-state"
        )
        .as_deref(),
        Some("at_risk")
    );
    // The other views draw the same release.
    app.click_css("[data-testid=tab-timeline]");
    app.wait_until(20, "14 bars", || {
        app.find_all("[data-testid=bar]").len() == 14
    });
    assert_eq!(app.find_all("[data-testid=diamond]").len(), 3);
    app.click_css("[data-testid=tab-board]");
    app.wait_until(20, "14 cards", || {
        app.find_all("[data-testid=card]").len() == 14
    });
    app.click_css("[data-testid=tab-milestones]");
    app.wait_until(20, "3 milestones", || {
        app.find_all("[data-testid=milestone]").len() == 3
    });
    assert_eq!(app.find_all("[data-testid=checklist-item]").len(), 14);
}

#[test]
fn adding_a_dependency_changes_the_critical_path() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let app = App::launch(&db);
    open_release(&app);
    assert_eq!(
        critical_path(&app).split_whitespace().collect::<Vec<_>>(),
        ["Critical", "path", "auth-service", "→", "mobile-app"]
    );
    app.click_css("[data-testid=add-dependency]");
    app.set_value("[data-testid=dep-from]", "frontend-export");
    app.set_value("[data-testid=dep-to]", "mobile-app");
    app.click_css("[data-testid=dep-save]");
    app.wait_until(20, "the new critical path", || {
        critical_path(&app).contains("frontend-export")
    });
    let path = critical_path(&app);
    assert!(
        path.contains("backend-pipeline")
            && path.contains("api-export")
            && !path.contains("auth-service"),
        "{path}"
    );
    app.wait_for(
        "[data-testid=edge][data-from=frontend-export][data-to=mobile-app][data-critical=true]",
        20,
    );
    assert!(cli_dependencies(&db).contains(r#"{"from":"frontend-export","to":"mobile-app"}"#));
}

#[test]
fn a_dependency_that_closes_a_cycle_is_refused_and_shown() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let before = cli_dependencies(&db);
    let app = App::launch(&db);
    open_release(&app);
    app.press("d", false, false);
    app.set_value("[data-testid=dep-from]", "api-endpoints");
    app.set_value("[data-testid=dep-to]", "schema-migration");
    app.click_css("[data-testid=dep-save]");
    app.wait_for("[data-testid=cycle-refused]", 20);
    let shown = app.text_of("[data-testid=cycle-refused]");
    for key in ["schema-migration", "backend-pipeline", "api-endpoints"] {
        assert!(shown.contains(key), "{shown}");
    }
    assert!(shown.contains("Nothing was saved"), "{shown}");
    // The dialog stays open with the refusal; the workspace is unchanged.
    assert_eq!(app.find_all("[data-testid=add-dependency-dialog]").len(), 1);
    assert_eq!(cli_dependencies(&db), before);
    assert_eq!(app.find_all("[data-testid=edge]").len(), 11);
}

#[test]
fn changing_an_eta_moves_the_timeline_and_the_at_risk_count_and_undo_restores_it() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let app = App::launch(&db);
    open_release(&app);
    app.click_css("[data-testid=tab-timeline]");
    let bar = "[data-testid=bar][data-key=backend-pipeline]";
    app.wait_for(bar, 20);
    let width_before = app.attr_of(bar, "data-width").unwrap();
    assert_eq!(app.text_of("[data-testid=count-at-risk]"), "1");

    app.click_css(&format!("{bar} rect:not(.float)"));
    app.wait_for(
        "[data-testid=component-panel][data-key=backend-pipeline]",
        20,
    );
    app.set_value("[data-testid=field-eta]", "2025-01-27");
    app.wait_until(20, "the at-risk count to drop", || {
        app.text_of("[data-testid=count-at-risk]") == "0"
    });
    let width_after = app.attr_of(bar, "data-width").unwrap();
    let (b, a): (f64, f64) = (width_before.parse().unwrap(), width_after.parse().unwrap());
    assert!(a < b, "the bar should be shorter: {b} -> {a}");
    assert!(app
        .text_of("[data-testid=panel-ef]")
        .contains("27 Jan 2025"));
    app.screenshot(&repo_path("target/e2e/eta-changed.png"));

    // The history says who moved the ETA.
    app.click_css("[data-testid=component-history-toggle]");
    app.wait_until(20, "the ETA change in the history", || {
        let t = app.text_of("[data-testid=history]");
        t.contains("e2e") && t.contains("eta") && t.contains("2025-01-27")
    });

    // Ctrl+Z undoes it (focus on the page, not in a field).
    app.exec(
        "document.activeElement && document.activeElement.blur(); return true;",
        serde_json::json!([]),
    );
    app.press("z", true, false);
    app.wait_until(20, "the at-risk count to come back", || {
        app.text_of("[data-testid=count-at-risk]") == "1"
    });
    assert_eq!(app.attr_of(bar, "data-width").unwrap(), width_before);
    let out = flotilla(&db, &["export", "--release", "q1-2025", "--format", "csv"]);
    assert!(
        stdout(&out).contains("2025-01-31"),
        "the stored eta is back"
    );
    // And Ctrl+Shift+Z redoes it.
    app.press("Z", true, true);
    app.wait_until(20, "the redo", || {
        app.text_of("[data-testid=count-at-risk]") == "0"
    });
}

#[test]
fn dragging_a_card_changes_its_status() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let app = App::launch(&db);
    open_release(&app);
    app.click_css("[data-testid=tab-board]");
    app.wait_for(
        "[data-testid=column-planning] [data-testid=card][data-key=frontend-export]",
        20,
    );
    // A pointer drag from the card to the Testing column.
    let moved = app.exec(
        "const card = document.querySelector('[data-testid=card][data-key=frontend-export]');
         const col = document.querySelector('[data-testid=column-testing]');
         const a = card.getBoundingClientRect(), b = col.getBoundingClientRect();
         const at = (x, y) => ({ clientX: x, clientY: y, pointerId: 1, button: 0, bubbles: true });
         card.dispatchEvent(new PointerEvent('pointerdown', at(a.x + 10, a.y + 10)));
         card.dispatchEvent(new PointerEvent('pointermove', at(b.x + 20, b.y + 40)));
         card.dispatchEvent(new PointerEvent('pointerup', at(b.x + 20, b.y + 40)));
         return true;",
        serde_json::json!([]),
    );
    assert_eq!(moved, serde_json::json!(true));
    app.wait_for(
        "[data-testid=column-testing] [data-testid=card][data-key=frontend-export]",
        20,
    );
    let out = flotilla(
        &db,
        &["history", "--release", "q1-2025", "--json", "--limit", "1"],
    );
    let text = stdout(&out);
    assert!(
        text.contains("frontend-export") && text.contains("testing"),
        "{text}"
    );
}

#[test]
fn exporting_the_release_as_json_matches_the_cli() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let app = App::launch(&db);
    open_release(&app);
    let target = s.path("from-app.json");
    app.click_css("[data-testid=export-json]");
    // The OS's own chooser, over the app: pictured for the docs.
    app.save_in_native_dialog(
        "Export release q1-2025 as JSON",
        &target,
        Some(&repo_path("target/e2e/views/native-file-dialog.png")),
    );
    app.wait_for("[data-testid=notice]", 20);
    let from_app = std::fs::read_to_string(&target).expect("the app wrote the export");
    let out = flotilla(&db, &["export", "--release", "q1-2025", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(from_app, stdout(&out));
}

/// The chooser shown the workspace's own folder: GTK reads the files it lists
/// (the database, its WAL and shared memory). In the window's process that
/// dropped SQLite's locks, and the next CLI run deleted the WAL under the
/// window; the chooser runs in a process of its own, so edits go on.
#[test]
fn the_file_chooser_in_the_workspace_folder_leaves_the_database_alone() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let app = App::launch(&db);
    open_release(&app);
    let target = s.path("beside-the-workspace.json");
    app.click_css("[data-testid=export-json]");
    app.save_in_native_dialog("Export release q1-2025 as JSON", &target, None);
    app.wait_for("[data-testid=notice]", 20);
    assert!(target.exists(), "the app wrote the export");
    // Another process opens and closes the workspace while the window has it open.
    let out = flotilla(&db, &["releases"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The window still edits it, and the edit is in the database.
    app.open_from_timeline("backend-pipeline");
    app.set_value("[data-testid=field-eta]", "2025-01-27");
    app.wait_until(20, "the at-risk count to drop", || {
        app.text_of("[data-testid=count-at-risk]") == "0"
    });
    assert!(
        app.find_all("[role=alert]").is_empty(),
        "{}",
        app.page_text()
    );
    let out = flotilla(&db, &["export", "--release", "q1-2025", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("\"eta\": \"2025-01-27\""),
        "the edit was saved"
    );
    let out = flotilla(&db, &["history", "--release", "q1-2025", "--limit", "1"]);
    assert!(stdout(&out).contains("2025-01-27"), "{}", stdout(&out));
}

#[test]
fn a_bad_export_path_is_shown_next_to_the_export_buttons() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let app = App::launch(&db);
    open_release(&app);
    // A folder nobody can write to, root included: the chooser accepts the
    // name, the export fails, and the error is shown under the export buttons.
    let target = Path::new("/proc/flotilla-e2e-export.json");
    app.click_css("[data-testid=export-json]");
    app.save_in_native_dialog("Export release q1-2025 as JSON", target, None);
    app.wait_for("[data-testid=file-error][data-code=io]", 20);
    assert!(
        app.text_of("[data-testid=file-error]")
            .contains("/proc/flotilla-e2e-export.json"),
        "{}",
        app.text_of("[data-testid=file-error]")
    );
    assert!(!target.exists());
    assert!(app.find_all("[data-testid=notice]").is_empty());
}

#[test]
fn a_plan_is_imported_from_the_native_chooser_and_never_replaced_without_consent() {
    let s = Scratch::new();
    let db = s.path("empty.db");
    let app = App::launch(&db);
    app.wait_for("[data-testid=empty-state]", 30);
    let sample = repo_path(SAMPLE);
    app.click_css("[data-testid=import-plan]");
    app.open_in_native_dialog("Import a plan file", &sample);
    app.wait_for("[data-testid=release-row][data-key=q1-2025]", 20);
    let before = flotilla(&db, &["export", "--format", "json"]);
    assert!(before.status.success(), "{}", stderr(&before));

    // A file holding the same release, renamed: the app asks before replacing
    // it, and Escape says no, so the workspace keeps its own.
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sample).unwrap()).unwrap();
    plan["releases"][0]["name"] = serde_json::json!("Renamed in the file");
    let renamed = s.path("renamed.json");
    std::fs::write(&renamed, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    app.click_css("[data-testid=import-plan]");
    app.open_in_native_dialog("Import a plan file", &renamed);
    app.answer_native_question("Replace releases?", "Escape");
    assert!(app.find_all("[data-testid=file-error]").is_empty());
    let after = flotilla(&db, &["export", "--format", "json"]);
    assert_eq!(stdout(&after), stdout(&before));
    assert!(!stdout(&after).contains("Renamed in the file"));
}

/// A screenshot once the page has painted what the DOM already holds.
fn shot(app: &App, path: &Path) {
    app.painted();
    app.screenshot(path);
}

/// Every main view drawn, as a person sees it; the pictures land in
/// target/e2e/views/ (docs/screenshots/ holds copies for the README).
#[test]
fn every_view_is_drawn() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let app = App::launch(&db);
    let dir = repo_path("target/e2e/views");
    app.wait_for("[data-testid=release-row]", 30);
    shot(&app, &dir.join("releases.png"));
    open_release(&app);
    app.click_css("[data-testid=fit]");
    shot(&app, &dir.join("graph.png"));
    app.click_css("[data-testid=tab-timeline]");
    app.wait_for("[data-testid=bar]", 20);
    shot(&app, &dir.join("timeline.png"));
    app.click_css("[data-testid=bar][data-key=api-endpoints] rect:not(.float)");
    app.wait_for("[data-testid=component-panel]", 20);
    shot(&app, &dir.join("component-panel.png"));
    app.press("Escape", false, false);
    app.click_css("[data-testid=tab-board]");
    app.wait_for("[data-testid=card]", 20);
    shot(&app, &dir.join("board.png"));
    app.click_css("[data-testid=tab-milestones]");
    app.wait_for("[data-testid=milestone]", 20);
    shot(&app, &dir.join("milestones.png"));
    app.press("w", false, false);
    app.set_value("[data-testid=what-if-component]", "backend-pipeline");
    app.set_value("[data-testid=what-if-days]", "4");
    app.click_css("[data-testid=what-if-preview]");
    app.wait_for("[data-testid=what-if-result]", 20);
    let result = app.text_of("[data-testid=what-if-result]");
    assert!(result.contains("Plan finish"), "{result}");
    shot(&app, &dir.join("what-if.png"));
    app.press("Escape", false, false);
    app.press("d", false, false);
    app.set_value("[data-testid=dep-from]", "mobile-app");
    app.set_value("[data-testid=dep-to]", "backend-pipeline");
    app.click_css("[data-testid=dep-save]");
    app.wait_for("[data-testid=cycle-refused]", 20);
    shot(&app, &dir.join("cycle-refused.png"));
    for name in [
        "releases",
        "graph",
        "timeline",
        "component-panel",
        "board",
        "milestones",
        "what-if",
        "cycle-refused",
    ] {
        let len = std::fs::metadata(dir.join(format!("{name}.png"))).map(|m| m.len());
        assert!(len.unwrap_or(0) > 10_000, "{name}.png is missing or blank");
    }
}

#[test]
fn a_release_is_created_renamed_redated_and_archived_from_the_list() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let app = App::launch(&db);
    app.wait_for("[data-testid=release-row]", 30);
    app.click_css("[data-testid=new-release]");
    let form = "[data-testid=create-form]";
    let fill = |label: usize, value: &str| {
        app.set_value(&format!("{form} label:nth-of-type({label}) input"), value);
    };
    fill(1, "q2-2025");
    fill(2, "Q2 2025 Platform Release");
    fill(3, "2025-04-01");
    fill(6, "2025-06-30");
    app.exec(
        "document.querySelector('[data-testid=create-form] button[type=submit]').click(); return true;",
        serde_json::json!([]),
    );
    let row = "[data-testid=release-row][data-key=q2-2025]";
    app.wait_for(row, 20);

    // Rename and re-date in one step.
    app.click_css(&format!("{row} [data-testid=edit-release]"));
    let edit = format!("{row} [data-testid=release-form]");
    app.set_value(&format!("{edit} label:nth-of-type(1) input"), "Q2 Platform");
    app.set_value(&format!("{edit} label:nth-of-type(5) input"), "2025-07-15");
    app.exec(
        "document.querySelector(arguments[0]).click(); return true;",
        serde_json::json!([format!("{edit} button[type=submit]")]),
    );
    app.wait_until(20, "the new name", || {
        app.text_of(row).contains("Q2 Platform")
    });
    assert!(
        app.text_of(row).contains("15 Jul 2025"),
        "{}",
        app.text_of(row)
    );

    // A release date before the start is refused next to the form.
    app.click_css(&format!("{row} [data-testid=edit-release]"));
    app.set_value(&format!("{edit} label:nth-of-type(5) input"), "2025-03-01");
    app.exec(
        "document.querySelector(arguments[0]).click(); return true;",
        serde_json::json!([format!("{edit} button[type=submit]")]),
    );
    app.wait_for(&format!("{row} [data-testid=error-note]"), 20);

    // Archive: the row moves under "Archived".
    app.click_css(&format!("{row} [data-testid=archive-release]"));
    app.wait_for(&format!(".archived {row}"), 20);
    let out = flotilla(&db, &["releases", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let q2 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "q2-2025")
        .expect("q2-2025 is stored");
    assert_eq!(q2["name"], "Q2 Platform");
    assert_eq!(q2["release_date"], "2025-07-15");
    assert_eq!(q2["archived"], true);
}

#[test]
fn the_graph_is_saved_as_svg_and_png() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let app = App::launch(&db);
    open_release(&app);
    let svg = s.path("graph.svg");
    app.click_css("[data-testid=export-svg]");
    app.save_in_native_dialog("Save the graph as SVG", &svg, None);
    app.wait_until(20, "the SVG file", || svg.exists());
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg"), "{}", &text[..text.len().min(200)]);
    for key in ["backend-pipeline", "mobile-app", "by 1 Feb"] {
        assert!(text.contains(key), "{key} missing from the SVG");
    }
    let png = s.path("graph.png");
    app.click_css("[data-testid=export-png]");
    app.save_in_native_dialog("Save the graph as PNG", &png, None);
    app.wait_until(30, "the PNG file", || png.exists());
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert!(bytes.len() > 10_000, "a PNG of {} bytes", bytes.len());
}

#[test]
fn what_if_shows_what_moves_before_anything_is_saved_then_commits() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let before = flotilla(&db, &["export", "--release", "q1-2025", "--format", "json"]);
    let app = App::launch(&db);
    open_release(&app);
    app.click_css("[data-testid=what-if]");
    app.set_value("[data-testid=what-if-component]", "backend-pipeline");
    app.set_value("[data-testid=what-if-days]", "4");
    app.click_css("[data-testid=what-if-preview]");
    app.wait_for("[data-testid=what-if-result]", 20);
    let shown = app.text_of("[data-testid=what-if-result]");
    // `flotilla analyze --what-if backend-pipeline=+4`: the plan finish moves
    // from 24 Feb to 3 Mar, past the 1 Mar release date.
    assert!(
        shown.contains("24 Feb 2025") && shown.contains("3 Mar 2025"),
        "{shown}"
    );
    assert!(
        shown.contains("full-stack") && shown.contains("api-endpoints"),
        "{shown}"
    );
    let during = flotilla(&db, &["export", "--release", "q1-2025", "--format", "json"]);
    assert_eq!(stdout(&during), stdout(&before), "a preview saves nothing");
    app.click_css("[data-testid=what-if-commit]");
    app.wait_until(20, "the committed slip", || {
        app.text_of("[data-testid=plan-finish]")
            .contains("3 Mar 2025")
    });
    let after = flotilla(&db, &["export", "--release", "q1-2025", "--format", "csv"]);
    assert!(
        stdout(&after).contains("2025-02-06"),
        "the eta moved 4 working days"
    );
}

#[test]
fn scenarios_and_gate_items_are_ticked() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let app = App::launch(&db);
    open_release(&app);
    app.click_css("[data-testid=tab-milestones]");
    let card = "[data-testid=milestone][data-key=api-backend]";
    app.wait_for(card, 20);
    assert!(app.text_of(card).contains("2 of 3 scenarios done"));
    app.exec(
        "document.querySelectorAll(arguments[0])[2].click(); return true;",
        serde_json::json!([format!("{card} [data-testid=scenario]")]),
    );
    app.wait_until(20, "3 of 3", || {
        app.text_of(card).contains("3 of 3 scenarios done")
    });
    assert_eq!(app.text_of("[data-testid=open-gates]"), "8 open gate items");
    app.exec(
        "document.querySelector('[data-testid=checklist-done-2]').click(); return true;",
        serde_json::json!([]),
    );
    app.wait_until(20, "7 open gates", || {
        app.text_of("[data-testid=open-gates]") == "7 open gate items"
    });
    let out = flotilla(&db, &["export", "--release", "q1-2025", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v["releases"][0]["milestones"][0]["scenarios"][2]["done"],
        true
    );
    assert_eq!(v["releases"][0]["checklist"][2]["done"], true);
}

#[test]
fn a_large_graph_is_painted_from_afar_its_boxes_open_and_zooming_in_brings_back_the_svg() {
    let s = Scratch::new();
    let (db, key) = generated_workspace(&s, "large", 400, 800, 5);
    let app = App::launch(&db);
    app.click_css(&format!(
        "[data-testid=release-row][data-key='{key}'] [data-testid=open-release]"
    ));
    // Fitted to the window, 400 components are painted, not built as SVG.
    app.wait_for(
        "[data-testid=graph-canvas][data-nodes='400'][data-edges='800']",
        60,
    );
    assert!(app.find_all("[data-testid=node]").is_empty());

    // Click where a box is painted, as a user would: the inside of a box is
    // an opaque light pixel (team fills are light; edges and the background
    // are not). The pointer events go to the graph as a real click's would.
    let clicked = app.exec(
        r#"
        const canvas = document.querySelector('[data-testid=graph-canvas]');
        const { width, height } = canvas;
        const px = canvas.getContext('2d').getImageData(0, 0, width, height).data;
        const light = (x, y) => {
          const i = (y * width + x) * 4;
          return px[i + 3] === 255 && Math.min(px[i], px[i + 1], px[i + 2]) > 200;
        };
        for (let y = 2; y < height - 2; y += 1)
          for (let x = 2; x < width - 2; x += 1) {
            if (![-2, 0, 2].every((dy) => [-2, 0, 2].every((dx) => light(x + dx, y + dy)))) continue;
            const r = canvas.getBoundingClientRect();
            const at = { clientX: r.left + (x * r.width) / width, clientY: r.top + (y * r.height) / height, bubbles: true, pointerId: 1 };
            canvas.dispatchEvent(new PointerEvent('pointerdown', at));
            canvas.dispatchEvent(new PointerEvent('pointerup', at));
            return true;
          }
        return false;
        "#,
        serde_json::json!([]),
    );
    assert_eq!(clicked, serde_json::json!(true), "no painted box found");
    let panel = app.wait_for("[data-testid=component-panel]", 20);
    let opened = app
        .attr(&panel[0], "data-key")
        .expect("the panel names its component");
    assert!(opened.starts_with('c'), "{opened}");
    app.screenshot(&repo_path("target/e2e/large-graph-painted.png"));

    // Saved while painted, the SVG still holds every node with its label.
    let svg = s.path("large.svg");
    app.click_css("[data-testid=export-svg]");
    app.save_in_native_dialog("Save the graph as SVG", &svg, None);
    app.wait_until(30, "the SVG file", || svg.exists());
    let text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(text.matches("data-testid=\"node\"").count(), 400);
    assert!(
        text.contains(">Component 399<"),
        "labels missing from the SVG"
    );
    app.wait_for("[data-testid=graph-canvas]", 20);

    // Zoomed in, the graph is SVG again, holding only the nodes in view.
    for _ in 0..7 {
        app.click_css("[aria-label='Zoom in']");
    }
    app.wait_until(20, "SVG nodes in view", || {
        !app.find_all("[data-testid=node]").is_empty()
    });
    let shown = app.find_all("[data-testid=node]").len();
    assert!(
        shown < 400,
        "{shown} of 400 nodes built: the view is not culled"
    );
    assert!(app.find_all("[data-testid=graph-canvas]").is_empty());
    app.screenshot(&repo_path("target/e2e/large-graph-zoomed.png"));
}

/// The environment of the app's WebKit web process.
fn web_process_env(app: &App) -> Vec<String> {
    let (pid, _) = app
        .processes()
        .into_iter()
        .find(|(_, name)| name == "WebKitWebProces")
        .expect("the app's WebKitWebProcess");
    let env = std::fs::read(format!("/proc/{pid}/environ")).unwrap();
    env.split(|b| *b == 0)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect()
}

#[test]
fn the_web_process_starts_with_the_memory_options_unless_the_user_set_their_own() {
    let s = Scratch::new();
    let db = sample_db(&s);
    let app = App::launch(&db);
    app.wait_for("[data-testid=release-row]", 30);
    let env = web_process_env(&app);
    for option in ["JSC_forceMiniVMMode=true", "JSC_useDFGJIT=false"] {
        assert!(env.iter().any(|v| v == option), "{option} not in {env:?}");
    }
    drop(app);

    let app = App::launch_with_env(&db, &[("JSC_useDFGJIT", "true")]);
    app.wait_for("[data-testid=release-row]", 30);
    let env = web_process_env(&app);
    assert!(env.iter().any(|v| v == "JSC_useDFGJIT=true"), "{env:?}");
    assert!(
        env.iter().any(|v| v == "JSC_forceMiniVMMode=true"),
        "{env:?}"
    );
}
