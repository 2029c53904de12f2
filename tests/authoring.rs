//! Authoring a release: the workspace's own edits (teams, endpoints, the
//! calendar) with their undo, renaming and removing components with every
//! reference, milestones, the next release from the last, and components
//! from a CSV file; in the store and through the CLI.

mod common;
use common::*;
use flotilla::plan::{parse_plan, write_plan, Calendar, Contact, Contacts, Date, Day, Team};
use flotilla::store::{ComponentField, Edit, ReleaseField, Store, WORKSPACE};
use serde_json::json;

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.import(&parse_plan(&full_plan("q1").to_string()).unwrap(), false)
        .unwrap();
    s
}

fn snapshot(s: &Store) -> String {
    write_plan(&s.load_plan(None).unwrap())
}

fn team(key: &str, name: &str) -> Team {
    Team {
        key: key.into(),
        name: name.into(),
        contacts: None,
    }
}

fn workspace_edits() -> Vec<Edit> {
    vec![
        Edit::PutTeam {
            team: team("mobile", "Mobile"),
            index: None,
        },
        Edit::PutTeam {
            team: team("qa", "Quality"),
            index: Some(0),
        },
        Edit::PutTeam {
            team: Team {
                key: "api".into(),
                name: "API Team".into(),
                contacts: Some(Contacts {
                    primary: Some(Contact {
                        name: "Sarah".into(),
                        handle: Some("@sarah".into()),
                        email: Some("sarah@example.com".into()),
                        phone: Some("+1 555 0100".into()),
                    }),
                    backup: Some(Contact {
                        name: "Tom".into(),
                        handle: None,
                        email: None,
                        phone: None,
                    }),
                }),
            },
            index: None,
        },
        Edit::PutEndpoint {
            name: "gh".into(),
            endpoint: Box::new(
                serde_json::from_value(json!({
                    "kind": "github_actions", "base_url": "https://api.github.com",
                    "repo": "acme/platform",
                    "auth": { "scheme": "bearer", "secret": "keyring:gh-token" }
                }))
                .unwrap(),
            ),
            index: None,
        },
        Edit::PutEndpoint {
            name: "prom".into(),
            endpoint: Box::new(
                serde_json::from_value(
                    json!({ "kind": "prometheus", "base_url": "http://127.0.0.1:9091" }),
                )
                .unwrap(),
            ),
            index: None,
        },
        Edit::SetCalendar {
            calendar: Some(Calendar {
                workdays: vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu],
                holidays: vec![Date::ymd(2025, 1, 1)],
            }),
        },
        Edit::SetCalendar { calendar: None },
        Edit::Batch {
            release: WORKSPACE.into(),
            edits: vec![
                Edit::PutTeam {
                    team: team("sre", "SRE"),
                    index: None,
                },
                Edit::RemoveEndpoint {
                    name: "ci-unused".into(),
                },
            ],
        },
    ]
}

#[test]
fn every_workspace_edit_undoes_to_the_bytes_before_and_redoes_to_the_bytes_after() {
    for edit in workspace_edits() {
        let mut s = store();
        // An endpoint nothing uses, for the removal in the batch.
        s.apply(&Edit::PutEndpoint {
            name: "ci-unused".into(),
            endpoint: Box::new(
                serde_json::from_value(
                    json!({ "kind": "webhook", "base_url": "https://hooks.example.com" }),
                )
                .unwrap(),
            ),
            index: None,
        })
        .unwrap();
        let before = snapshot(&s);
        s.apply(&edit).unwrap_or_else(|e| panic!("{edit:?}: {e}"));
        let after = snapshot(&s);
        assert_ne!(after, before, "{edit:?} changed nothing");
        let step = s.undo(WORKSPACE).unwrap().expect("something to undo");
        assert!(step.can_redo, "{edit:?}");
        assert_eq!(snapshot(&s), before, "undo of {edit:?}");
        s.redo(WORKSPACE).unwrap().expect("something to redo");
        assert_eq!(snapshot(&s), after, "redo of {edit:?}");
        // Recorded in the workspace's history, not a release's.
        let h = s.history(Some(WORKSPACE), None, 50).unwrap();
        assert!(h.iter().all(|c| c.release.is_none()), "{h:?}");
        assert!(!h.is_empty());
        assert!(s
            .history(Some("q1"), None, 50)
            .unwrap()
            .iter()
            .all(|c| c.release.as_deref() == Some("q1")));
    }
}

#[test]
fn a_team_or_endpoint_in_use_is_refused_by_name_and_nothing_changes() {
    let mut s = store();
    let before = snapshot(&s);
    let err = s
        .apply(&Edit::RemoveTeam {
            team: "backend".into(),
        })
        .unwrap_err();
    let p = err.payload();
    assert_eq!(p.code, "in_use");
    assert_eq!(p.path, "teams[0]");
    assert!(
        p.message.contains("component q1/backend-pipeline"),
        "{}",
        p.message
    );
    assert!(
        p.message.contains("milestone q1/api-backend"),
        "{}",
        p.message
    );
    assert!(p.message.contains("deploy schedule of q1"), "{}", p.message);
    let err = s
        .apply(&Edit::RemoveEndpoint {
            name: "prom".into(),
        })
        .unwrap_err();
    assert_eq!(err.code(), "in_use");
    assert!(err.to_string().contains("rollback trigger q1#1"), "{err}");
    let err = s
        .apply(&Edit::RemoveEndpoint { name: "ci".into() })
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("deploy section of q1/backend-pipeline"),
        "{err}"
    );
    // A bad endpoint is refused through the plan's own rules.
    let err = s
        .apply(&Edit::PutEndpoint {
            name: "bad".into(),
            endpoint: Box::new(
                serde_json::from_value(
                    json!({ "kind": "webhook", "base_url": "http://deploy.example.com" }),
                )
                .unwrap(),
            ),
            index: None,
        })
        .unwrap_err();
    assert!(
        err.payload()
            .problems
            .iter()
            .any(|p| p.code == "insecure_url" && p.path.starts_with("endpoints.bad")),
        "{:?}",
        err.payload()
    );
    // A team edit cannot ride in a release's batch.
    let err = s
        .apply(&Edit::Batch {
            release: "q1".into(),
            edits: vec![Edit::PutTeam {
                team: team("x", "X"),
                index: None,
            }],
        })
        .unwrap_err();
    assert_eq!(err.payload().problems[0].code, "bad_edit");
    assert_eq!(snapshot(&s), before);
    assert!(!s.can_undo(WORKSPACE).unwrap());
}

#[test]
fn renaming_a_component_rewrites_every_reference_and_undoes() {
    let mut s = store();
    let before = snapshot(&s);
    s.apply(&Edit::RenameComponent {
        release: "q1".into(),
        from: "api-endpoints".into(),
        to: "analytics-api".into(),
    })
    .unwrap();
    let r = s.load_release("q1").unwrap();
    assert!(r.component("api-endpoints").is_none());
    assert!(r.component("analytics-api").is_some());
    assert_eq!(r.dependencies[0].to, "analytics-api");
    assert_eq!(r.dependencies[1].from, "analytics-api");
    assert_eq!(
        r.milestones[0].components,
        ["analytics-api", "backend-pipeline"]
    );
    s.undo("q1").unwrap().unwrap();
    assert_eq!(snapshot(&s), before);
    let err = s
        .apply(&Edit::RenameComponent {
            release: "q1".into(),
            from: "api-endpoints".into(),
            to: "backend-pipeline".into(),
        })
        .unwrap_err();
    assert_eq!(err.payload().problems[0].code, "duplicate_key");
    let err = s
        .apply(&Edit::RenameComponent {
            release: "q1".into(),
            from: "api-endpoints".into(),
            to: "Bad Key".into(),
        })
        .unwrap_err();
    assert_eq!(err.payload().problems[0].code, "bad_key");
    assert_eq!(snapshot(&s), before);
}

#[test]
fn removing_a_component_takes_it_out_of_milestones_in_one_undoable_step() {
    let mut s = store();
    let before = snapshot(&s);
    s.apply(&Edit::RemoveComponent {
        release: "q1".into(),
        component: "api-endpoints".into(),
    })
    .unwrap();
    let r = s.load_release("q1").unwrap();
    assert_eq!(r.milestones[0].components, ["backend-pipeline"]);
    assert!(r.dependencies.is_empty());
    s.undo("q1").unwrap().unwrap();
    assert_eq!(snapshot(&s), before);
    // A milestone left with no component is refused, named.
    s.apply(&Edit::RemoveComponent {
        release: "q1".into(),
        component: "api-endpoints".into(),
    })
    .unwrap();
    let err = s
        .apply(&Edit::RemoveComponent {
            release: "q1".into(),
            component: "backend-pipeline".into(),
        })
        .unwrap_err();
    assert_eq!(err.payload().problems[0].path, "milestones[0].components");
}

#[test]
fn milestones_deploy_sections_triggers_and_slots_are_edited_and_undone() {
    let mut s = store();
    let before = snapshot(&s);
    let milestone = json!({
        "key": "full-system", "name": "Full system", "phase": "full_system",
        "components": ["backend-pipeline", "api-endpoints", "frontend-dashboard"],
        "due": "2025-02-20", "environment": "staging", "owners": ["frontend"],
        "scenarios": [ { "text": "End-to-end export", "done": false } ]
    });
    let edits = vec![
        Edit::PutMilestone {
            release: "q1".into(),
            milestone: Box::new(serde_json::from_value(milestone).unwrap()),
            index: None,
        },
        Edit::RemoveMilestone {
            release: "q1".into(),
            milestone: "api-backend".into(),
        },
        Edit::SetComponent {
            release: "q1".into(),
            component: "api-endpoints".into(),
            field: ComponentField::Deploy,
            value: json!({ "endpoint": "ci", "trigger": { "method": "POST", "path": "/deploy/api" },
                           "verify": [ { "path": "/health/api" } ] }),
        },
        Edit::SetComponent {
            release: "q1".into(),
            component: "backend-pipeline".into(),
            field: ComponentField::Deploy,
            value: json!(null),
        },
        Edit::SetRelease {
            release: "q1".into(),
            field: ReleaseField::RollbackTriggers,
            value: json!([ { "kind": "manual", "text": "Integration failure" } ]),
        },
        Edit::SetRelease {
            release: "q1".into(),
            field: ReleaseField::RollbackTriggers,
            value: json!(null),
        },
        Edit::SetRelease {
            release: "q1".into(),
            field: ReleaseField::DeploySchedule,
            value: json!({ "date": "2025-03-01", "slots": [ { "team": "api", "at": "09:00" }, { "team": "backend", "at": "10:00" } ] }),
        },
    ];
    for e in &edits {
        s.apply(e).unwrap_or_else(|err| panic!("{e:?}: {err}"));
    }
    let r = s.load_release("q1").unwrap();
    assert_eq!(r.milestones.len(), 1);
    assert_eq!(r.milestones[0].key, "full-system");
    assert!(r.component("backend-pipeline").unwrap().deploy.is_none());
    assert_eq!(
        r.component("api-endpoints")
            .unwrap()
            .deploy
            .as_ref()
            .unwrap()
            .endpoint,
        "ci"
    );
    assert!(r.rollback_triggers.is_empty());
    assert_eq!(r.deploy_schedule.as_ref().unwrap().slots[0].team, "api");
    for _ in &edits {
        s.undo("q1").unwrap().unwrap();
    }
    assert_eq!(snapshot(&s), before);
    // A deploy section naming an unknown endpoint, a bad slot time: refused.
    let err = s
        .apply(&Edit::SetComponent {
            release: "q1".into(),
            component: "api-endpoints".into(),
            field: ComponentField::Deploy,
            value: json!({ "endpoint": "nowhere", "trigger": { "method": "POST", "path": "/d" } }),
        })
        .unwrap_err();
    assert!(
        err.payload()
            .problems
            .iter()
            .any(|p| p.code == "unknown_reference"),
        "{:?}",
        err.payload()
    );
    let err = s
        .apply(&Edit::SetRelease {
            release: "q1".into(),
            field: ReleaseField::DeploySchedule,
            value: json!({ "slots": [ { "team": "api", "at": "25:00" } ] }),
        })
        .unwrap_err();
    assert!(
        err.payload()
            .problems
            .iter()
            .any(|p| p.path.starts_with("deploy_schedule")),
        "{:?}",
        err.payload()
    );
    assert_eq!(snapshot(&s), before);
}

#[test]
fn the_next_release_moves_every_date_by_working_days_and_resets_progress() {
    let mut s = store();
    // Mon-Fri with 2025-02-17 a holiday; 2025-03-01 (a Saturday) to 2025-05-31
    // (a Saturday) is 65 working days (Mon 3 March to Mon 2 June).
    let r =
        flotilla::views::copy_release(&mut s, "q1", "q2", Date::ymd(2025, 5, 31), Some("Q2 2025"))
            .unwrap();
    assert_eq!(r.key, "q2");
    assert_eq!(r.name, "Q2 2025");
    assert_eq!(r.release_date, Date::ymd(2025, 5, 31));
    // Mon 6 Jan + 65 working days, the holiday in between: Tue 8 April.
    assert_eq!(r.start, Date::ymd(2025, 4, 8));
    // Sat 15 Feb moves as Tue 18 Feb does (Mon 17 is the holiday): Tue 20 May.
    assert_eq!(r.feature_freeze, Some(Date::ymd(2025, 5, 20)));
    // Sat 22 Feb moves as Mon 24 Feb does: Mon 26 May.
    assert_eq!(r.code_freeze, Some(Date::ymd(2025, 5, 26)));
    // Wed 5 Feb, the holiday in between: Thu 8 May.
    assert_eq!(r.milestones[0].due, Date::ymd(2025, 5, 8));
    assert!(r.milestones[0].scenarios.iter().all(|s| !s.done));
    assert_eq!(r.dependencies[0].needed_by, Some(Date::ymd(2025, 5, 6)));
    assert_eq!(r.dependencies[1].needed_by, Some(Date::ymd(2025, 5, 13)));
    assert_eq!(r.checklist[0].due, Some(Date::ymd(2025, 5, 26)));
    assert!(r.checklist.iter().all(|c| !c.done));
    // The deploy day was the release day: it is the new release day.
    assert_eq!(
        r.deploy_schedule.as_ref().unwrap().date,
        Some(Date::ymd(2025, 5, 31))
    );
    let b = r.component("backend-pipeline").unwrap();
    assert_eq!(b.status, flotilla::plan::Status::Planning);
    assert!(b.eta.is_none() && b.done_on.is_none() && b.updates.is_empty());
    assert!(b.deploy.is_some());
    assert_eq!(r.rollback_triggers.len(), 3);
    assert_eq!(r.deploy_schedule.as_ref().unwrap().slots.len(), 2);
    // Stored, and undone as one.
    assert_eq!(s.load_release("q2").unwrap(), r);
    assert!(s.undo("q2").unwrap().is_some());
    assert!(s.load_release("q2").is_err());
    // An existing key is refused.
    let err = flotilla::views::copy_release(&mut s, "q1", "q1", Date::ymd(2025, 5, 30), None)
        .unwrap_err();
    assert_eq!(err.code(), "exists");
}

const GOOD_CSV: &str = "\
Summary,Squad,Estimate,Start date,Due date,Status,Blocked by
Search indexer,Backend,5,2025-01-13,,In Development,
Search API,api,3 days,,2025-02-10,planning,Search indexer
Search page,frontend,4,,,,\"search-api; New dashboard UI\"
";

#[test]
fn a_csv_file_becomes_components_and_dependencies_in_one_undoable_step() {
    let s = Scratch::new();
    let db = s.path("w.db");
    let plan = s.write_json("plan.json", &full_plan("q1"));
    assert!(flotilla(&db, &["import", plan.to_str().unwrap()])
        .status
        .success());
    let csv = s.write("good.csv", GOOD_CSV);
    let before = flotilla(&db, &["export", "--format", "json"]);
    let dry = flotilla(
        &db,
        &[
            "import-csv",
            "--release",
            "q1",
            csv.to_str().unwrap(),
            "--dry-run",
            "--json",
        ],
    );
    assert!(dry.status.success(), "{}", stderr(&dry));
    let preview: serde_json::Value = serde_json::from_str(&stdout(&dry)).unwrap();
    let keys: Vec<&str> = preview["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["search-indexer", "search-api", "search-page"]);
    assert_eq!(preview["components"][0]["team"], "backend");
    assert_eq!(preview["components"][0]["status"], "in_development");
    assert_eq!(preview["components"][1]["duration_days"], 3);
    let deps: Vec<(String, String)> = preview["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["from"].as_str().unwrap().into(),
                d["to"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        deps,
        [
            ("search-indexer".to_string(), "search-api".to_string()),
            ("search-api".into(), "search-page".into()),
            ("frontend-dashboard".into(), "search-page".into()),
        ]
    );
    assert_eq!(
        stdout(&flotilla(&db, &["export", "--format", "json"])),
        stdout(&before),
        "a dry run stores nothing"
    );
    let o = flotilla(
        &db,
        &["import-csv", "--release", "q1", csv.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let store = Store::open(&db).unwrap();
    let r = store.load_release("q1").unwrap();
    assert_eq!(r.components.len(), 6);
    assert_eq!(r.dependencies.len(), 5);
    drop(store);
    let o = flotilla(&db, &["undo", "--release", "q1"]);
    assert!(
        o.status.success() && stderr(&o).contains("undid add component search-indexer"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        stdout(&flotilla(&db, &["export", "--format", "json"])),
        stdout(&before)
    );
}

#[test]
fn a_bad_csv_file_names_row_and_column_and_stores_nothing() {
    let s = Scratch::new();
    let db = s.path("w.db");
    let plan = s.write_json("plan.json", &full_plan("q1"));
    assert!(flotilla(&db, &["import", plan.to_str().unwrap()])
        .status
        .success());
    let before = stdout(&flotilla(&db, &["export", "--format", "json"]));
    let cases: &[(&str, &str, &[&str], &str)] = &[
        (
            "wrong column",
            "Summary,Team,Days\nSearch,backend,3\n",
            &["--map", "duration=Length"],
            "column \"Length\"",
        ),
        (
            "unknown team",
            "Title,Team,Duration\nSearch,backend,3\nExport,qa,2\n",
            &[],
            "row 3, column \"Team\": unknown team \"qa\"",
        ),
        (
            "a cycle",
            "Title,Team,Duration,Blocked by\nA one,backend,3,B two\nB two,api,2,A one\n",
            &[],
            "column \"Blocked by\": dependency cycle",
        ),
        (
            "a duplicate key",
            "Key,Title,Team,Duration\nsearch,Search,backend,3\nsearch,Search again,api,2\n",
            &[],
            "row 3, column \"Key\": key \"search\" is also the key of row 2",
        ),
        (
            "a key the release has",
            "Key,Title,Team,Duration\nbackend-pipeline,Pipeline again,backend,3\n",
            &[],
            "row 2, column \"Key\": a component with key \"backend-pipeline\" is already in release q1",
        ),
        (
            "a bad date",
            "Title,Team,Duration,ETA\nSearch,backend,3,2025-02-30\n",
            &[],
            "row 2, column \"ETA\": invalid date \"2025-02-30\"",
        ),
        (
            "no duration column",
            "Title,Team\nSearch,backend\n",
            &[],
            "no column for duration",
        ),
    ];
    for (name, text, extra, want) in cases {
        let csv = s.write("bad.csv", text);
        let mut args = vec!["import-csv", "--release", "q1", csv.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = flotilla(&db, &args);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(want),
            "{name}: wanted {want:?} in\n{}",
            stderr(&o)
        );
        assert!(
            stderr(&o).contains("bad.csv"),
            "{name}: the message names the file"
        );
        assert_eq!(
            stdout(&flotilla(&db, &["export", "--format", "json"])),
            before,
            "{name}: nothing stored"
        );
    }
}

#[test]
fn the_cli_adds_removes_applies_undoes_and_copies() {
    let s = Scratch::new();
    let db = s.path("w.db");
    let plan = s.write_json("plan.json", &full_plan("q1"));
    assert!(flotilla(&db, &["import", plan.to_str().unwrap()])
        .status
        .success());
    let ok = |args: &[&str]| {
        let o = flotilla(&db, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        o
    };
    ok(&["add", "team", "--key", "mobile", "--name", "Mobile"]);
    let o = ok(&[
        "add",
        "component",
        "--release",
        "q1",
        "--title",
        "Mobile App",
        "--team",
        "mobile",
        "--duration",
        "7",
    ]);
    assert!(
        stderr(&o).contains("component mobile-app"),
        "{}",
        stderr(&o)
    );
    ok(&[
        "add",
        "dependency",
        "--release",
        "q1",
        "--from",
        "api-endpoints",
        "--to",
        "mobile-app",
        "--needed-by",
        "2025-02-10",
        "--buffer-days",
        "2",
    ]);
    // A cycle is refused with exit 2, naming its keys.
    let o = flotilla(
        &db,
        &[
            "add",
            "dependency",
            "--release",
            "q1",
            "--from",
            "mobile-app",
            "--to",
            "backend-pipeline",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cycle"), "{}", stderr(&o));
    // A team in use is refused.
    let o = flotilla(&db, &["remove", "team", "mobile"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("component q1/mobile-app"),
        "{}",
        stderr(&o)
    );
    // Any edit as JSON.
    let edit = s.write_json("edit.json", &json!({
        "op": "put_endpoint", "name": "argo",
        "endpoint": { "kind": "argocd", "base_url": "https://argo.example.com", "app": "platform",
                      "auth": { "scheme": "bearer", "secret": "keyring:argo" } }
    }));
    ok(&["apply", edit.to_str().unwrap()]);
    let o = ok(&["undo", "--workspace"]);
    assert!(
        stderr(&o).contains("undid add endpoint argo"),
        "{}",
        stderr(&o)
    );
    ok(&["redo", "--workspace"]);
    let bad = s.write(
        "bad-edit.json",
        r#"{"op": "put_team", "team": {"key": "x"}}"#,
    );
    let o = flotilla(&db, &["apply", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad-edit.json"), "{}", stderr(&o));
    // A deploy section through `set`.
    ok(&[
        "set",
        "--release",
        "q1",
        "--component",
        "mobile-app",
        r#"deploy={"endpoint":"argo","revision":"v2"}"#,
    ]);
    let store = Store::open(&db).unwrap();
    assert_eq!(
        store
            .load_release("q1")
            .unwrap()
            .component("mobile-app")
            .unwrap()
            .deploy
            .as_ref()
            .unwrap()
            .endpoint,
        "argo"
    );
    drop(store);
    ok(&["remove", "component", "--release", "q1", "mobile-app"]);
    ok(&["remove", "team", "mobile"]);
    ok(&[
        "release",
        "copy",
        "--from",
        "q1",
        "--key",
        "q2",
        "--release-date",
        "2025-05-31",
        "--name",
        "Q2 2025",
    ]);
    let o = ok(&["releases", "--json"]);
    assert!(stdout(&o).contains("\"q2\""), "{}", stdout(&o));
    // The workspace's history lists the team edits.
    let o = ok(&["history", "--json", "--limit", "500"]);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["entity"] == "team" && c["key"] == "mobile" && c["release"].is_null()));
}

/// The window's answer to an edit (views::patch): the page applies the patch
/// to the view it holds and must get exactly the view a reload would give.
#[test]
fn an_edit_answers_with_a_patch_that_turns_the_held_view_into_the_new_one() {
    use flotilla::plan::{Component, Dependency};
    use flotilla::schedule::generate_plan;
    use flotilla::views::{apply_patch, release_view, SentViews, ViewAnswer};

    let plan = generate_plan(300, 900, 5, 11);
    let key = plan.releases[0].key.clone();
    let first = plan.releases[0].components[0].key.clone();
    let middle = plan.releases[0].components[150].key.clone();
    let mut s = Store::open_in_memory().unwrap();
    s.import(&plan, false).unwrap();
    let today = Date::ymd(2025, 3, 1);
    let mut sent = SentViews::default();
    let view = sent.send(release_view(&s, &key, today).unwrap());
    let mut held = serde_json::to_value(&view).unwrap();
    let whole = serde_json::to_string(&view).unwrap().len();

    let like_first = plan.releases[0].components[0].clone();
    let added = Component {
        key: "patched-in".into(),
        title: "Patched in".into(),
        duration_days: 4,
        ..like_first.clone()
    };
    let edits = [
        Edit::SetComponent {
            release: key.clone(),
            component: middle.clone(),
            field: ComponentField::DurationDays,
            value: json!(9),
        },
        Edit::AddComponent {
            release: key.clone(),
            component: Box::new(added),
            index: None,
        },
        Edit::AddDependency {
            release: key.clone(),
            dependency: Dependency {
                from: middle.clone(),
                to: "patched-in".into(),
                needed_by: None,
                buffer_days: Some(1),
                lag_days: None,
            },
            index: None,
        },
        Edit::AddComponent {
            release: key.clone(),
            component: Box::new(Component {
                key: "in-front".into(),
                title: "In front".into(),
                ..like_first
            }),
            index: Some(0),
        },
        Edit::RenameComponent {
            release: key.clone(),
            from: middle.clone(),
            to: "renamed".into(),
        },
        Edit::RemoveComponent {
            release: key.clone(),
            component: first.clone(),
        },
    ];
    let mut sizes = Vec::new();
    for edit in &edits {
        s.apply(edit).unwrap();
        let version = held["version"].as_u64().unwrap();
        let answer = sent.answer(release_view(&s, &key, today).unwrap(), Some(version));
        sizes.push(serde_json::to_string(&answer).unwrap().len());
        let ViewAnswer::Patch { base, patch } = answer else {
            panic!("{edit:?}: the whole view, where a patch was due");
        };
        assert_eq!(base, version);
        held = apply_patch(&held, &patch);
        let mut fresh = release_view(&s, &key, today).unwrap();
        fresh.version = held["version"].as_u64().unwrap();
        assert!(fresh.version > version);
        assert_eq!(
            held,
            serde_json::to_value(&fresh).unwrap(),
            "after {edit:?}"
        );
    }
    // An add at the end is a sliver of the view; so is a field edit.
    for (i, what) in [(0, "a duration"), (1, "an added component")] {
        assert!(
            sizes[i] * 20 < whole,
            "{what}: {} bytes against {whole} for the view",
            sizes[i]
        );
    }

    // A page that holds another view (an older one, an unnumbered one, one
    // numbered since the last answer) gets the whole view.
    let version = held["version"].as_u64().unwrap();
    for base in [Some(version - 1), None, Some(version + 100)] {
        let answer = sent.answer(release_view(&s, &key, today).unwrap(), base);
        let ViewAnswer::View { view } = answer else {
            panic!("base {base:?}: a patch against a view the page does not hold");
        };
        assert!(view.version > version);
    }
}
