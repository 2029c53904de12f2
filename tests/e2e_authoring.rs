//! End-to-end authoring (docs/authoring.md): the seeds' Q1 2025 release
//! planned from an empty workspace through the real window alone, driven by
//! tauri-driver under Xvfb, with a private Secret Service for the keyring
//! secret the app stores. Then, from the command line only: the export of
//! that workspace imports unchanged, its runbook rehearses green against
//! `flotilla rehearsal-target`, and the release copied into the next quarter
//! (again in the window) has its dates moved in working days of the calendar.
#![cfg(feature = "desktop")]

mod common;
use common::desktop::App;
use common::keyring::SecretService;
use common::*;
use serde_json::{json, Value};
use std::process::Command;

struct Contact {
    name: &'static str,
    handle: &'static str,
    email: &'static str,
    phone: &'static str,
}

const fn c(
    name: &'static str,
    handle: &'static str,
    email: &'static str,
    phone: &'static str,
) -> Contact {
    Contact {
        name,
        handle,
        email,
        phone,
    }
}

/// The seeds' four teams, with their primary and backup contacts.
const TEAMS: [(&str, &str, Contact, Contact); 4] = [
    (
        "frontend",
        "Frontend",
        c(
            "Sarah Chen",
            "@sarah",
            "sarah.chen@example.com",
            "+1 555 0101",
        ),
        c(
            "John Okafor",
            "@john",
            "john.okafor@example.com",
            "+1 555 0102",
        ),
    ),
    (
        "api",
        "API",
        c(
            "Mike Rossi",
            "@mike",
            "mike.rossi@example.com",
            "+1 555 0103",
        ),
        c("Lisa Park", "@lisa", "lisa.park@example.com", "+1 555 0104"),
    ),
    (
        "backend",
        "Backend",
        c(
            "Alex Novak",
            "@alex",
            "alex.novak@example.com",
            "+1 555 0105",
        ),
        c(
            "Emma Lindqvist",
            "@emma",
            "emma.lindqvist@example.com",
            "+1 555 0106",
        ),
    ),
    (
        "mobile",
        "Mobile",
        c(
            "Priya Raman",
            "@priya",
            "priya.raman@example.com",
            "+1 555 0107",
        ),
        c(
            "Daniel Ortiz",
            "@daniel",
            "daniel.ortiz@example.com",
            "+1 555 0108",
        ),
    ),
];

/// Quick-add lines (title, team, days); each key is derived from the title.
const QUICK: [(&str, &str); 10] = [
    ("Schema migration, backend, 3", "schema-migration"),
    ("Backend pipeline, Backend, 12", "backend-pipeline"),
    ("Auth service, backend, 8", "auth-service"),
    ("Push service, backend, 10d", "push-service"),
    ("Feature flags, api, 3", "feature-flags"),
    ("API endpoints, api, 6", "api-endpoints"),
    ("API export, api, 4", "api-export"),
    ("Frontend dashboard, frontend, 6", "frontend-dashboard"),
    ("Frontend export, frontend, 3", "frontend-export"),
    ("Mobile app, mobile, 10", "mobile-app"),
];

/// (from, to, needed by, buffer days): the seeds' chain first.
const DEPENDENCIES: [(&str, &str, &str, &str); 9] = [
    ("schema-migration", "backend-pipeline", "", ""),
    ("backend-pipeline", "api-endpoints", "2025-02-01", "3"),
    ("api-endpoints", "frontend-dashboard", "2025-02-08", "3"),
    ("api-endpoints", "mobile-app", "2025-02-08", "3"),
    ("feature-flags", "frontend-dashboard", "", ""),
    ("feature-flags", "mobile-app", "", ""),
    ("auth-service", "mobile-app", "", ""),
    ("api-endpoints", "api-export", "", ""),
    ("api-export", "frontend-export", "2025-02-12", "1"),
];

struct MilestoneSpec {
    name: &'static str,
    key: &'static str,
    phase: &'static str,
    components: &'static [&'static str],
    due: &'static str,
    owners: &'static [&'static str],
    scenarios: &'static [&'static str],
}

const MILESTONES: [MilestoneSpec; 3] = [
    MilestoneSpec {
        name: "API + Backend",
        key: "api-backend",
        phase: "component_pair",
        components: &["api-endpoints", "backend-pipeline"],
        due: "2025-02-05",
        owners: &["api", "backend"],
        scenarios: &[
            "Daily rollups readable through the analytics endpoints",
            "Backfilled 2024 totals match the source event counts",
            "Endpoints answer under 300 ms p95 on staging data",
        ],
    },
    MilestoneSpec {
        name: "Frontend + API",
        key: "frontend-api",
        phase: "component_pair",
        components: &["frontend-dashboard", "api-endpoints"],
        due: "2025-02-12",
        owners: &["frontend", "api"],
        scenarios: &[
            "Chart loads with real data",
            "Date range filtering works",
            "Export generates correct file",
            "Error handling for API failures",
            "Performance with large datasets",
        ],
    },
    MilestoneSpec {
        name: "Full stack",
        key: "full-stack",
        phase: "full_system",
        components: &[
            "backend-pipeline",
            "auth-service",
            "push-service",
            "api-endpoints",
            "api-export",
            "frontend-dashboard",
            "frontend-export",
            "mobile-app",
        ],
        due: "2025-02-19",
        owners: &["frontend", "api", "backend", "mobile"],
        scenarios: &[
            "All components deployed together on staging",
            "Regression suite passes end to end",
            "Mobile analytics view and web dashboard show the same numbers",
            "Push notification deep link opens the analytics view",
            "Rollback of each component rehearsed on staging",
        ],
    },
];

/// The seeds' pre-release checklist: (text, owner, due, gate).
const CHECKLIST: [(&str, &str, &str, bool); 14] = [
    (
        "Deployment window confirmed for Saturday 2025-03-01",
        "",
        "2025-02-03",
        false,
    ),
    ("Stakeholders notified of timeline", "", "2025-02-05", false),
    (
        "Monitoring/alerts configured (error rate, latency, pipeline lag)",
        "backend",
        "2025-02-14",
        true,
    ),
    ("All integration tests passing", "api", "2025-02-21", true),
    ("Performance testing complete", "api", "2025-02-21", true),
    (
        "Security review signed off (scoped tokens, export endpoint)",
        "backend",
        "2025-02-21",
        true,
    ),
    (
        "Rollback procedures tested on staging",
        "backend",
        "2025-02-21",
        true,
    ),
    (
        "Backup and restore of the analytics database verified",
        "backend",
        "2025-02-21",
        false,
    ),
    (
        "All components in the Ready for Release column",
        "",
        "2025-02-22",
        true,
    ),
    (
        "Mobile build submitted for app store review",
        "mobile",
        "2025-02-24",
        true,
    ),
    ("Documentation updated", "frontend", "2025-02-26", false),
    ("Release notes drafted", "frontend", "2025-02-26", false),
    ("Support team briefed", "mobile", "2025-02-27", false),
    (
        "On-call schedule confirmed for release weekend",
        "backend",
        "2025-02-28",
        true,
    ),
];

/// The components with a deploy section on the webhook endpoint.
const DEPLOYED: [&str; 9] = [
    "backend-pipeline",
    "auth-service",
    "push-service",
    "feature-flags",
    "api-endpoints",
    "api-export",
    "frontend-dashboard",
    "frontend-export",
    "mobile-app",
];

const ERROR_RATE: &str =
    r#"sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))"#;

/// Clicks through JavaScript (an element under a sticky header or inside a
/// scrolled panel is clicked as a person's click would reach it).
fn js_click(app: &App, css: &str) {
    app.wait_for(css, 20);
    let ok = app.exec(
        "const el = document.querySelector(arguments[0]); if (!el) return false; el.click(); return true;",
        json!([css]),
    );
    assert_eq!(ok, json!(true), "no {css} to click");
}

/// Ticks or unticks a checkbox as a click would.
fn check(app: &App, css: &str, on: bool) {
    app.wait_for(css, 20);
    app.exec(
        "const el = document.querySelector(arguments[0]); if (el.checked !== arguments[1]) el.click(); return true;",
        json!([css, on]),
    );
}

/// Submits the form matching `css` as Enter in one of its fields would.
fn submit(app: &App, css: &str) {
    app.wait_for(css, 20);
    app.exec(
        "document.querySelector(arguments[0]).requestSubmit(); return true;",
        json!([css]),
    );
}

/// A picture of the window as it stands, in target/e2e/authoring/ (copies
/// in docs/screenshots/ for docs/desktop.md).
fn shot(app: &App, name: &str) {
    app.painted();
    app.screenshot(&repo_path("target/e2e/authoring").join(format!("{name}.png")));
}

fn gone(app: &App, css: &str) {
    app.wait_until(20, &format!("{css} to close"), || {
        app.find_all(css).is_empty()
    });
}

/// The error notes on the page, as "code: message" lines, for a failure message.
fn notes(app: &App) -> String {
    app.exec(
        "return [...document.querySelectorAll('[role=alert]')].map((n) => (n.dataset.code || '') + ': ' + n.innerText).join('\\n');",
        json!([]),
    )
    .as_str()
    .unwrap_or_default()
    .to_string()
}

fn export_json(db: &std::path::Path) -> Value {
    let out = flotilla(db, &["export", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn release<'a>(plan: &'a Value, key: &str) -> &'a Value {
    plan["releases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .unwrap_or_else(|| panic!("release {key} is in the export"))
}

fn plan_teams(app: &App) {
    js_click(app, "[data-testid=workspace-tab-teams]");
    for (key, name, primary, backup) in &TEAMS {
        js_click(app, "[data-testid=team-add-open]");
        app.set_value("[data-testid=team-add-name]", name);
        // The key is derived from the name; "API" gives "api" and so on.
        assert_eq!(app.attr_of("[data-testid=team-add-key]", "value"), None);
        app.wait_until(10, "the derived key", || {
            app.exec(
                "return document.querySelector('[data-testid=team-add-key]').value;",
                json!([]),
            ) == json!(key)
        });
        for (prefix, person) in [("primary", primary), ("backup", backup)] {
            for (field, value) in [
                ("name", person.name),
                ("handle", person.handle),
                ("email", person.email),
                ("phone", person.phone),
            ] {
                app.set_value(&format!("[data-testid=team-add-{prefix}-{field}]"), value);
            }
        }
        if *key == "mobile" {
            shot(app, "workspace-team-form");
        }
        js_click(app, "[data-testid=team-add-submit]");
        app.wait_for(&format!("[data-testid=team-row-{key}]"), 20);
    }
    shot(app, "workspace-teams");
}

fn plan_endpoints(app: &App) {
    js_click(app, "[data-testid=workspace-tab-endpoints]");
    // The webhook that deploys, authenticated by a secret in the system keyring.
    js_click(app, "[data-testid=endpoint-add-open]");
    app.set_value("[data-testid=endpoint-name]", "rehearsal");
    app.set_value("[data-testid=endpoint-kind]", "webhook");
    app.set_value("[data-testid=endpoint-base-url]", "http://127.0.0.1:8787");
    app.set_value("[data-testid=endpoint-scheme]", "bearer");
    app.set_value(
        "[data-testid=endpoint-secret]",
        "keyring:flotilla-rehearsal",
    );
    app.set_value("[data-testid=endpoint-secret-value]", "rehearsal");
    js_click(app, "[data-testid=endpoint-secret-store]");
    app.wait_for("[data-testid=endpoint-secret-stored]", 20);
    shot(app, "workspace-endpoint-form");
    js_click(app, "[data-testid=endpoint-save]");
    app.wait_for("[data-testid=endpoint-row-rehearsal]", 20);
    app.wait_for(
        "[data-testid=endpoint-rehearsal-keyring][data-present=true]",
        20,
    );
    // Prometheus, for the error-rate trigger.
    js_click(app, "[data-testid=endpoint-add-open]");
    app.set_value("[data-testid=endpoint-name]", "metrics");
    app.set_value("[data-testid=endpoint-kind]", "prometheus");
    app.set_value("[data-testid=endpoint-base-url]", "http://127.0.0.1:9091");
    js_click(app, "[data-testid=endpoint-save]");
    app.wait_for("[data-testid=endpoint-row-metrics]", 20);
    shot(app, "workspace-endpoints");
    // A GitLab endpoint's form says which two secrets it takes (looked at,
    // then cancelled: the seeds' release deploys through the webhook).
    js_click(app, "[data-testid=endpoint-add-open]");
    app.set_value("[data-testid=endpoint-name]", "gitlab");
    app.set_value("[data-testid=endpoint-kind]", "gitlab");
    app.set_value(
        "[data-testid=endpoint-base-url]",
        "https://gitlab.example.com",
    );
    app.set_value("[data-testid=endpoint-project-id]", "group/app");
    app.set_value(
        "[data-testid=endpoint-trigger-token]",
        "keyring:gitlab-trigger",
    );
    app.set_value("[data-testid=endpoint-scheme]", "header");
    app.set_value("[data-testid=endpoint-header]", "PRIVATE-TOKEN");
    app.set_value("[data-testid=endpoint-secret]", "keyring:gitlab-read");
    let help = app.text_of("[data-testid=endpoint-token-help]");
    assert!(
        help.contains("read_api") && help.contains("trigger token"),
        "{help}"
    );
    shot(app, "workspace-endpoint-gitlab");
    js_click(app, "[data-testid=endpoint-cancel]");
    gone(app, "[data-testid=endpoint-name]");
}

fn plan_calendar(app: &App) {
    js_click(app, "[data-testid=workspace-tab-calendar]");
    for day in ["2025-01-20", "2025-02-17", "2025-04-18"] {
        app.set_value("[data-testid=calendar-holiday-input]", day);
        js_click(app, "[data-testid=calendar-holiday-add]");
        app.wait_for(&format!("[data-testid=calendar-holiday-{day}]"), 10);
    }
    shot(app, "workspace-calendar");
    js_click(app, "[data-testid=calendar-save]");
    gone(app, "[data-testid=calendar-unsaved]");
}

fn create_release(app: &App) {
    js_click(app, "[data-testid=new-release]");
    let form = "[data-testid=create-form]";
    let fill = |label: usize, value: &str| {
        app.set_value(&format!("{form} label:nth-of-type({label}) input"), value);
    };
    fill(1, "q1-2025");
    fill(2, "Q1 2025 Platform Release");
    fill(3, "2025-01-06");
    fill(4, "2025-02-15");
    fill(5, "2025-02-22");
    fill(6, "2025-03-01");
    submit(app, form);
    let row = "[data-testid=release-row][data-key=q1-2025]";
    app.wait_for(row, 20);
    js_click(app, &format!("{row} [data-testid=open-release]"));
    app.wait_for("[data-testid=release-page][data-key=q1-2025]", 30);
}

fn plan_components(app: &App) {
    // Ten from the keyboard, one line each.
    for (n, (line, key)) in QUICK.iter().enumerate() {
        app.set_value("[data-testid=quick-add]", line);
        submit(app, "[data-testid=quick-add-form]");
        app.wait_until(20, &format!("{key} added"), || {
            app.find_all("[data-testid=node]").len() == n + 1
        });
        assert!(
            !app.find_all(&format!("[data-testid=node][data-key={key}]"))
                .is_empty(),
            "{line} did not add {key}: {}",
            notes(app)
        );
    }
    // One through the dialog: the derived key edited before saving, a start date.
    js_click(app, "[data-testid=add-component]");
    app.set_value(
        "[data-testid=component-title]",
        "Crash reporting SDK upgrade",
    );
    app.set_value("[data-testid=component-team]", "mobile");
    app.set_value("[data-testid=component-duration]", "3");
    app.set_value("[data-testid=component-key]", "mobile-crash");
    app.set_value("[data-testid=component-start]", "2025-01-13");
    shot(app, "add-component");
    js_click(app, "[data-testid=component-save]");
    app.wait_for("[data-testid=node][data-key=mobile-crash]", 20);
    gone(app, "[data-testid=add-component-dialog]");
}

fn plan_dependencies(app: &App) {
    for (from, to, needed_by, buffer) in DEPENDENCIES {
        app.press("d", false, false);
        app.wait_for("[data-testid=add-dependency-dialog]", 20);
        app.set_value("[data-testid=dep-from]", from);
        app.set_value("[data-testid=dep-to]", to);
        if !needed_by.is_empty() {
            app.set_value("[data-testid=dep-needed-by]", needed_by);
            app.set_value("[data-testid=dep-buffer]", buffer);
        }
        if to == "frontend-export" {
            shot(app, "add-dependency");
        }
        js_click(app, "[data-testid=dep-save]");
        app.wait_for(
            &format!("[data-testid=edge][data-from={from}][data-to={to}]"),
            20,
        );
        gone(app, "[data-testid=add-dependency-dialog]");
    }
}

fn plan_milestones(app: &App) {
    js_click(app, "[data-testid=tab-milestones]");
    for m in &MILESTONES {
        js_click(app, "[data-testid=milestone-add]");
        app.set_value("[data-testid=milestone-name]", m.name);
        app.set_value("[data-testid=milestone-key]", m.key);
        app.set_value("[data-testid=milestone-phase]", m.phase);
        for comp in m.components {
            check(
                app,
                &format!("[data-testid=milestone-component-{comp}]"),
                true,
            );
        }
        app.set_value("[data-testid=milestone-due]", m.due);
        app.set_value("[data-testid=milestone-environment]", "staging");
        for team in m.owners {
            check(app, &format!("[data-testid=milestone-owner-{team}]"), true);
        }
        for (i, text) in m.scenarios.iter().enumerate() {
            app.set_value("[data-testid=scenario-new]", text);
            js_click(app, "[data-testid=scenario-add]");
            app.wait_for(&format!("[data-testid=scenario-text-{i}]"), 10);
        }
        if m.key == "frontend-api" {
            shot(app, "milestone-form");
        }
        js_click(app, "[data-testid=milestone-save]");
        app.wait_for(&format!("[data-testid=milestone][data-key={}]", m.key), 20);
    }
}

fn plan_checklist(app: &App) {
    for (n, (text, owner, due, gate)) in CHECKLIST.iter().enumerate() {
        app.set_value("[data-testid=checklist-new-text]", text);
        app.set_value("[data-testid=checklist-new-owner]", owner);
        app.set_value("[data-testid=checklist-new-due]", due);
        check(app, "[data-testid=checklist-new-gate]", *gate);
        js_click(app, "[data-testid=checklist-add]");
        app.wait_until(20, &format!("checklist item {n}"), || {
            app.find_all("[data-testid=checklist-item]").len() == n + 1
        });
    }
    // Edit one (its text and gate) and remove one added by mistake.
    app.set_value("[data-testid=checklist-new-text]", "Added by mistake");
    js_click(app, "[data-testid=checklist-add]");
    app.wait_until(20, "15 items", || {
        app.find_all("[data-testid=checklist-item]").len() == 15
    });
    js_click(app, "[data-testid=checklist-edit-14]");
    app.set_value(
        "[data-testid=checklist-text-14]",
        "Added by mistake, edited",
    );
    app.exec(
        "document.querySelector('[data-testid=checklist-text-14]').scrollIntoView({ block: 'center' }); return true;",
        json!([]),
    );
    shot(app, "checklist-edit");
    js_click(app, "[data-testid=checklist-save-14]");
    app.wait_until(20, "the edited text", || {
        app.text_of("[data-testid=milestones]")
            .contains("Added by mistake, edited")
    });
    js_click(app, "[data-testid=checklist-remove-14]");
    app.wait_until(20, "14 items", || {
        app.find_all("[data-testid=checklist-item]").len() == 14
    });
    assert_eq!(app.text_of("[data-testid=open-gates]"), "8 open gate items");
}

fn plan_settings(app: &App) {
    js_click(app, "[data-testid=tab-settings]");
    app.set_value("[data-testid=settings-strategy]", "rolling");
    app.set_value("[data-testid=settings-deploy-day]", "2025-03-01");
    // A slot per team, in workspace order (frontend, api, backend, mobile) ...
    js_click(app, "[data-testid=slot-fill]");
    app.wait_for("[data-testid=slot-time-3]", 20);
    // ... reordered to the seeds' (backend, api, frontend, mobile).
    js_click(app, "[data-testid=slot-up-2]");
    app.wait_until(20, "backend moved up", || {
        app.exec(
            "return document.querySelector('[data-testid=slot-team-1]').value;",
            json!([]),
        ) == json!("backend")
    });
    js_click(app, "[data-testid=slot-up-1]");
    app.wait_until(20, "backend first", || {
        app.exec(
            "return document.querySelector('[data-testid=slot-team-0]').value;",
            json!([]),
        ) == json!("backend")
    });
    js_click(app, "[data-testid=slot-down-1]");
    // Each move is saved before the next edit starts from the list it left.
    app.wait_until(20, "frontend moved down", || {
        app.exec(
            "return document.querySelector('[data-testid=slot-team-1]').value;",
            json!([]),
        ) == json!("api")
    });
    for (i, at) in ["09:00", "09:30", "10:00", "10:30"].iter().enumerate() {
        app.set_value(&format!("[data-testid=slot-time-{i}]"), at);
    }
    // The three rollback triggers.
    app.set_value("[data-testid=trigger-kind]", "metric");
    app.set_value("[data-testid=trigger-endpoint]", "metrics");
    app.set_value("[data-testid=trigger-query]", ERROR_RATE);
    app.set_value("[data-testid=trigger-above]", "0.05");
    app.set_value("[data-testid=trigger-for]", "600");
    // No data (an empty result, NaN) is not a breach unless chosen so.
    assert_eq!(
        app.exec(
            "return document.querySelector('[data-testid=trigger-no-data]').value;",
            json!([]),
        ),
        json!("ignore")
    );
    shot(app, "trigger-metric");
    js_click(app, "[data-testid=trigger-save]");
    app.wait_for("[data-testid=trigger-remove-0]", 20);
    for (i, (kind, text)) in [
        ("manual", "P0 bug found"),
        ("verify_failed", "Integration failure"),
    ]
    .iter()
    .enumerate()
    {
        app.set_value("[data-testid=trigger-kind]", kind);
        app.set_value("[data-testid=trigger-text]", text);
        js_click(app, "[data-testid=trigger-save]");
        app.wait_for(&format!("[data-testid=trigger-remove-{}]", i + 1), 20);
    }
    shot(app, "release-settings");
}

fn plan_deploy_sections(app: &App) {
    js_click(app, "[data-testid=tab-graph]");
    for key in DEPLOYED {
        app.exec(
            "document.querySelector(arguments[0]).dispatchEvent(new MouseEvent('click', { bubbles: true })); return true;",
            json!([format!("[data-testid=node][data-key={key}]")]),
        );
        app.wait_for(
            &format!("[data-testid=component-panel][data-key={key}]"),
            20,
        );
        js_click(app, "[data-testid=deploy-edit]");
        app.set_value("[data-testid=deploy-endpoint]", "rehearsal");
        app.set_value("[data-testid=deploy-trigger-method]", "POST");
        app.set_value(
            "[data-testid=deploy-trigger-path]",
            &format!("/deploy/{key}"),
        );
        app.set_value(
            "[data-testid=deploy-trigger-body]",
            r#"{"version": "2.5.0"}"#,
        );
        app.set_value(
            "[data-testid=deploy-status-path]",
            &format!("/deploy/{key}/status"),
        );
        app.set_value("[data-testid=deploy-status-field]", "state");
        app.set_value("[data-testid=deploy-status-success]", "succeeded");
        app.set_value("[data-testid=deploy-status-failure]", "failed");
        app.set_value("[data-testid=deploy-status-interval]", "1");
        app.set_value("[data-testid=deploy-status-timeout]", "120");
        js_click(app, "[data-testid=deploy-verify-add]");
        app.set_value(
            "[data-testid=deploy-verify-path-0]",
            &format!("/health/{key}"),
        );
        app.set_value("[data-testid=deploy-verify-status-0]", "200");
        app.set_value(
            "[data-testid=deploy-rollback-path]",
            &format!("/rollback/{key}"),
        );
        if key == "mobile-app" {
            shot(app, "deploy-form");
        }
        js_click(app, "[data-testid=deploy-save]");
        app.wait_until(20, &format!("{key}'s deploy section saved"), || {
            app.find_all("[data-testid=deploy-form]").is_empty() || !notes(app).is_empty()
        });
        assert!(notes(app).is_empty(), "{key}: {}", notes(app));
        app.press("Escape", false, false);
    }
}

#[test]
fn the_seeds_q1_release_is_planned_in_the_window_from_an_empty_workspace() {
    let keyring = SecretService::start();
    let env: Vec<(String, String)> = keyring.env().into_iter().collect();
    let env_refs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let s = Scratch::new();
    let db = s.path("ws.db");
    let app = App::launch_with_env(&db, &env_refs);
    app.wait_for("[data-testid=empty-state]", 30);

    js_click(&app, "[data-testid=empty-workspace]");
    app.wait_for("[data-testid=workspace-page]", 20);
    plan_teams(&app);
    plan_endpoints(&app);
    plan_calendar(&app);
    js_click(&app, "[data-testid=workspace-back]");

    create_release(&app);
    plan_components(&app);
    app.set_value("[data-testid=quick-add]", "Mobile push opt-in, mobile, 3");
    shot(&app, "quick-add");
    app.set_value("[data-testid=quick-add]", "");
    plan_dependencies(&app);
    plan_milestones(&app);
    plan_checklist(&app);
    plan_settings(&app);
    plan_deploy_sections(&app);
    assert!(notes(&app).is_empty(), "{}", notes(&app));

    // What the window stored, read back by the command line.
    let plan = export_json(&db);
    assert_eq!(plan["teams"].as_array().unwrap().len(), 4);
    for (i, (key, name, primary, backup)) in TEAMS.iter().enumerate() {
        let t = &plan["teams"][i];
        assert_eq!(t["key"], *key);
        assert_eq!(t["name"], *name);
        assert_eq!(t["contacts"]["primary"]["email"], primary.email);
        assert_eq!(t["contacts"]["backup"]["phone"], backup.phone);
    }
    assert_eq!(
        plan["endpoints"]["rehearsal"]["auth"],
        json!({ "scheme": "bearer", "secret": "keyring:flotilla-rehearsal" })
    );
    assert_eq!(
        plan["calendar"]["holidays"],
        json!(["2025-01-20", "2025-02-17", "2025-04-18"])
    );
    let q1 = release(&plan, "q1-2025");
    assert_eq!(q1["components"].as_array().unwrap().len(), 11);
    assert_eq!(q1["dependencies"].as_array().unwrap().len(), 9);
    assert_eq!(
        q1["dependencies"][1],
        json!({ "from": "backend-pipeline", "to": "api-endpoints", "needed_by": "2025-02-01", "buffer_days": 3 })
    );
    assert_eq!(q1["milestones"].as_array().unwrap().len(), 3);
    assert_eq!(
        q1["milestones"][2]["components"].as_array().unwrap().len(),
        8
    );
    assert_eq!(
        q1["milestones"][1]["scenarios"].as_array().unwrap().len(),
        5
    );
    assert_eq!(q1["checklist"].as_array().unwrap().len(), 14);
    assert_eq!(q1["strategy"], "rolling");
    assert_eq!(
        q1["deploy_schedule"],
        json!({ "date": "2025-03-01", "slots": [
            { "team": "backend", "at": "09:00" }, { "team": "api", "at": "09:30" },
            { "team": "frontend", "at": "10:00" }, { "team": "mobile", "at": "10:30" } ] })
    );
    assert_eq!(
        q1["rollback_triggers"],
        json!([
            { "kind": "metric", "endpoint": "metrics", "query": ERROR_RATE, "above": 0.05, "for_s": 600 },
            { "kind": "manual", "text": "P0 bug found" },
            { "kind": "verify_failed", "text": "Integration failure" } ])
    );
    let pipeline = q1["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "backend-pipeline")
        .unwrap();
    assert_eq!(pipeline["duration_days"], 12);
    assert_eq!(
        pipeline["deploy"]["verify"],
        json!([{ "path": "/health/backend-pipeline", "expect_status": 200 }])
    );

    // The export imports unchanged into a new workspace.
    let file = s.path("q1.json");
    std::fs::write(&file, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    let other = s.path("other.db");
    let out = flotilla(&other, &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        export_json(&other),
        plan,
        "the export changed through an import"
    );

    // Its runbook rehearses green, the deploy secret read from the keyring.
    let runbook = s.path("q1-runbook.json");
    let out = flotilla(
        &db,
        &[
            "runbook",
            "--release",
            "q1-2025",
            "--format",
            "json",
            "-o",
            runbook.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let target = RehearsalTarget::start(1);
    let out = Command::new(bin())
        .args([
            "--db",
            db.to_str().unwrap(),
            "run",
            runbook.to_str().unwrap(),
        ])
        .args(["--yes", "--force", "--watch", "2"])
        .envs(keyring.env())
        .env("FLOTILLA_ACTOR", "e2e")
        .output()
        .unwrap();
    drop(target);
    assert!(
        out.status.success(),
        "the rehearsal did not end green: {}\n{}",
        stdout(&out),
        stderr(&out)
    );
    let runs = flotilla(&db, &["runs", "--json"]);
    let runs: Value = serde_json::from_str(&stdout(&runs)).unwrap();
    assert_eq!(runs[0]["state"], "succeeded", "{runs}");

    // The next quarter, copied in the window: every date moved by the working
    // days between the release dates (see `next_quarter` for the arithmetic).
    js_click(&app, "[data-testid=back]");
    js_click(&app, "[data-testid=new-release-from]");
    app.set_value("[data-testid=copy-from]", "q1-2025");
    app.set_value("[data-testid=copy-key]", "q2-2025");
    app.set_value("[data-testid=copy-name]", "Q2 2025 Platform Release");
    app.set_value("[data-testid=copy-release-date]", "2025-05-31");
    shot(&app, "new-release-from");
    js_click(&app, "[data-testid=copy-save]");
    app.wait_for("[data-testid=release-row][data-key=q2-2025]", 20);
    let q2 = release(&export_json(&db), "q2-2025").clone();
    next_quarter(&q2);
}

/// The copy of q1-2025 due 2025-05-31, on Monday-to-Friday with the
/// holidays 2025-01-20, 2025-02-17 and 2025-04-18 (Good Friday). Both release
/// days are Saturdays, so the distance is the working days from Monday 3 March
/// to Monday 2 June: 13 weeks less Good Friday, 64. A date n working days
/// into Q1 lands n working days into Q2 (so a holiday on either side moves
/// it by a calendar day); a date on a weekend or a holiday moves as the next
/// working day does. The expected dates were counted by hand on a calendar.
fn next_quarter(q2: &Value) {
    assert_eq!(q2["name"], "Q2 2025 Platform Release");
    assert_eq!(q2["status"], "planning");
    assert_eq!(q2["release_date"], "2025-05-31");
    // Mon 6 Jan + 64 = Tue 8 Apr (Good Friday lies between).
    assert_eq!(q2["start"], "2025-04-08");
    // Sat 15 Feb: Mon 17 Feb is a holiday, so it counts from Tue 18 Feb: Tue 20 May.
    assert_eq!(q2["feature_freeze"], "2025-05-20");
    // Sat 22 Feb counts from Mon 24 Feb: Mon 26 May.
    assert_eq!(q2["code_freeze"], "2025-05-26");
    let due: Vec<&str> = q2["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["due"].as_str().unwrap())
        .collect();
    // Wed 5 Feb and Wed 12 Feb come before the Feb 17 holiday and land on
    // Thursdays; Wed 19 Feb comes after it and stays a Wednesday.
    assert_eq!(due, ["2025-05-08", "2025-05-15", "2025-05-21"]);
    assert_eq!(q2["deploy_schedule"]["date"], "2025-05-31");
    // Needed-by Sat 1 Feb counts from Mon 3 Feb: Tue 6 May.
    assert_eq!(q2["dependencies"][1]["needed_by"], "2025-05-06");
    // Mon 13 Jan (mobile-crash's start): Tue 15 Apr.
    let crash = q2["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "mobile-crash")
        .unwrap();
    assert_eq!(crash["start"], "2025-04-15");
    assert!(q2["milestones"][0]["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["done"] == false));
    assert!(q2["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["done"] == false));
}

/// Components from a spreadsheet, in the window: a bad row is named by row
/// and column and nothing is stored; the corrected file imports in one step
/// that undo takes back whole.
#[test]
fn a_csv_file_is_previewed_refused_by_row_and_column_then_imported() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let sample = repo_path("resources/samples/q1-2025-platform.json");
    let out = flotilla(&db, &["import", sample.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = export_json(&db);
    let csv = s.path("search.csv");
    let bad = "Summary,Squad,Estimate,Blocked by\n\
               Search indexer,Backend,5,backend-pipeline\n\
               Search API,api,3,Search indexer\n\
               Search page,qa,4,search-api\n";
    std::fs::write(&csv, bad).unwrap();

    let app = App::launch(&db);
    js_click(
        &app,
        "[data-testid=release-row][data-key=q1-2025] [data-testid=open-release]",
    );
    app.wait_for("[data-testid=node]", 30);
    js_click(&app, "[data-testid=import-csv]");
    app.set_value("[data-testid=csv-path]", csv.to_str().unwrap());
    js_click(&app, "[data-testid=csv-preview]");
    app.wait_for("[data-testid=csv-problem-0]", 20);
    let problem = app.text_of("[data-testid=csv-problem-0]").to_lowercase();
    assert!(
        problem.contains("row 4") && problem.contains("squad") && problem.contains("qa"),
        "{problem}"
    );
    shot(&app, "csv-import-refused");
    // Import is refused while there is a problem; nothing is stored.
    let disabled = app.exec(
        "return document.querySelector('[data-testid=csv-import]').disabled;",
        json!([]),
    );
    assert_eq!(disabled, json!(true));
    assert_eq!(export_json(&db), before);

    std::fs::write(&csv, bad.replace("Search page,qa", "Search page,frontend")).unwrap();
    js_click(&app, "[data-testid=csv-preview]");
    app.wait_until(20, "the problem to go", || {
        app.find_all("[data-testid=csv-problem-0]").is_empty()
    });
    app.wait_for("[data-testid=csv-row-2]", 20);
    shot(&app, "csv-import");
    js_click(&app, "[data-testid=csv-import]");
    app.wait_until(20, "17 nodes", || {
        app.find_all("[data-testid=node]").len() == 17
    });
    app.wait_for(
        "[data-testid=edge][data-from=search-indexer][data-to=search-api]",
        20,
    );
    // One undo takes the whole import back.
    app.press("z", true, false);
    app.wait_until(20, "14 nodes", || {
        app.find_all("[data-testid=node]").len() == 14
    });
    assert_eq!(export_json(&db), before);
}

/// Drags from `from` to `to` with pointer events at their centres, as a
/// mouse would (down, eight moves, up on whatever is under the pointer, and
/// the click that follows).
fn drag(app: &App, from: &str, to: &str, alt: bool) {
    app.wait_for(from, 20);
    app.wait_for(to, 20);
    let done = app.exec(
        r#"const [fromSel, toSel, alt] = arguments;
        const a = document.querySelector(fromSel), b = document.querySelector(toSel);
        if (!a || !b) return 'missing';
        const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
        const p0 = { x: ra.left + ra.width / 2, y: ra.top + ra.height / 2 };
        const p1 = { x: rb.left + rb.width / 2, y: rb.top + rb.height / 2 };
        const fire = (type, p, target) => target.dispatchEvent(new PointerEvent(type, {
          bubbles: true, cancelable: true, composed: true, pointerId: 7, isPrimary: true,
          pointerType: 'mouse', button: 0, buttons: type === 'pointerup' ? 0 : 1,
          clientX: p.x, clientY: p.y, altKey: alt }));
        fire('pointerdown', p0, a);
        for (let i = 1; i <= 8; i++) {
          const p = { x: p0.x + (p1.x - p0.x) * i / 8, y: p0.y + (p1.y - p0.y) * i / 8 };
          fire('pointermove', p, document.elementFromPoint(p.x, p.y) || document.body);
        }
        const end = document.elementFromPoint(p1.x, p1.y) || document.body;
        fire('pointerup', p1, end);
        // The click a browser sends after a press and release (on the
        // nearest element holding both ends).
        let common = end;
        while (common && !common.contains(a)) common = common.parentElement;
        (common || document.body).dispatchEvent(new MouseEvent('click', {
          bubbles: true, cancelable: true, clientX: p1.x, clientY: p1.y, altKey: alt }));
        return 'ok';"#,
        json!([from, to, alt]),
    );
    assert_eq!(done, json!("ok"), "drag {from} → {to}");
}

#[test]
fn a_dependency_is_added_by_dragging_in_the_graph_and_the_timeline() {
    let s = Scratch::new();
    let db = s.path("drag.db");
    let plan = s.path("drag.json");
    let component = |key: &str, title: &str| json!({"key": key, "title": title, "team": "web", "status": "planning", "duration_days": 5});
    std::fs::write(
        &plan,
        json!({
            "format": "flotilla.plan", "version": 1,
            "teams": [{"key": "web", "name": "Web"}],
            "endpoints": {"gh": {"kind": "github_actions", "base_url": "https://api.github.com",
                                 "repo": "acme/web", "auth": {"scheme": "bearer", "secret": "env:GH_TOKEN"}}},
            "releases": [{
                "key": "r1", "name": "Drag release", "status": "planning",
                "start": "2025-01-06", "release_date": "2025-03-03",
                "components": [component("alpha", "Alpha"), component("beta", "Beta"),
                               component("gamma", "Gamma"), component("delta", "Delta")]
            }]
        })
        .to_string(),
    )
    .unwrap();
    let out = flotilla(&db, &["import", plan.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let app = App::launch(&db);
    let row = "[data-testid=release-row][data-key=r1]";
    app.wait_for(row, 30);
    js_click(&app, &format!("{row} [data-testid=open-release]"));
    app.wait_for("[data-testid=node][data-key=alpha]", 30);

    // The graph: from alpha's handle onto beta, saved at once.
    drag(
        &app,
        "[data-testid=link-handle-alpha]",
        "[data-testid=node][data-key=beta]",
        false,
    );
    app.wait_for("[data-testid=edge][data-from=alpha][data-to=beta]", 20);
    shot(&app, "drag-graph");

    // The timeline: a bar dragged with Alt held, gamma onto delta.
    js_click(&app, "[data-testid=tab-timeline]");
    drag(
        &app,
        "[data-testid=bar][data-key=gamma]",
        "[data-testid=bar][data-key=delta]",
        true,
    );
    app.wait_until(20, "gamma → delta saved", || {
        let p = export_json(&db);
        release(&p, "r1")["dependencies"]
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["from"] == "gamma" && d["to"] == "delta"))
    });
    // A plain drag on a bar (no Alt, no handle) adds nothing.
    drag(
        &app,
        "[data-testid=bar][data-key=alpha]",
        "[data-testid=bar][data-key=gamma]",
        false,
    );

    // Back in the graph, beta onto alpha would close a loop: the dialog opens
    // with the pair, saying why, and nothing is saved.
    js_click(&app, "[data-testid=tab-graph]");
    drag(
        &app,
        "[data-testid=link-handle-beta]",
        "[data-testid=node][data-key=alpha]",
        false,
    );
    app.wait_for("[data-testid=add-dependency-dialog]", 20);
    app.wait_for("[data-testid=cycle-refused]", 20);
    shot(&app, "drag-cycle");
    let deps = release(&export_json(&db), "r1")["dependencies"].clone();
    assert_eq!(
        deps,
        json!([{"from": "alpha", "to": "beta"}, {"from": "gamma", "to": "delta"}]),
        "only the two drags that make sense are saved"
    );

    // A GitHub Actions deploy section with its polling and correlation input.
    js_click(&app, "[data-testid=dep-cancel]");
    gone(&app, "[data-testid=add-dependency-dialog]");
    app.exec(
        "document.querySelector(arguments[0]).dispatchEvent(new MouseEvent('click', { bubbles: true })); return true;",
        json!(["[data-testid=node][data-key=alpha]"]),
    );
    app.wait_for("[data-testid=component-panel][data-key=alpha]", 20);
    js_click(&app, "[data-testid=deploy-edit]");
    app.set_value("[data-testid=deploy-endpoint]", "gh");
    app.set_value("[data-testid=deploy-workflow]", "deploy.yml");
    app.set_value("[data-testid=deploy-correlation-input]", "flotilla_key");
    app.set_value("[data-testid=deploy-poll-interval]", "10");
    app.set_value("[data-testid=deploy-poll-timeout]", "5400");
    shot(&app, "deploy-form-github");
    js_click(&app, "[data-testid=deploy-save]");
    app.wait_until(20, "the deploy section saved", || {
        let p = export_json(&db);
        release(&p, "r1")["components"][0]["deploy"]
            == json!({"endpoint": "gh", "workflow": "deploy.yml", "correlation_input": "flotilla_key",
                      "interval_s": 10, "timeout_s": 5400})
    });
}
