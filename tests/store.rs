//! The workspace database: migrations, all-or-nothing import, edits with history.

mod common;
use common::*;
use flotilla::plan::{parse_plan, write_plan, Date, Dependency};
use flotilla::store::{shipped_schema_version, ComponentField, Edit, ReleaseField, Store};
use flotilla::Error;
use serde_json::json;

fn plan(key: &str) -> flotilla::plan::Plan {
    parse_plan(&full_plan(key).to_string()).expect("valid plan")
}

#[test]
fn fresh_workspace_is_migrated_with_wal_and_foreign_keys() {
    let s = Scratch::new();
    let db = s.path("sub/dir/ws.db");
    let store = Store::open(&db).unwrap();
    assert_eq!(store.schema_version().unwrap(), shipped_schema_version());
    drop(store);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, shipped_schema_version() as i64);
    // Reopening applies nothing new and succeeds.
    assert!(Store::open(&db).is_ok());
}

#[test]
fn refuses_a_newer_or_different_database() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    drop(Store::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO schema_migrations VALUES (999, 'future', 'abc', '2030-01-01T00:00:00Z')",
        [],
    )
    .unwrap();
    drop(conn);
    let err = Store::open(&db).err().expect("refused");
    assert!(matches!(err, Error::Workspace(_)));
    assert!(err.to_string().contains("newer Flotilla"), "{err}");

    let db2 = s.path("ws2.db");
    drop(Store::open(&db2).unwrap());
    let conn = rusqlite::Connection::open(&db2).unwrap();
    conn.execute(
        "UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 1",
        [],
    )
    .unwrap();
    drop(conn);
    let err = Store::open(&db2).err().expect("refused");
    assert!(
        err.to_string()
            .contains("differs from the one this build ships"),
        "{err}"
    );

    // A migration table holding version 0 is refused with a message, not a panic.
    let db3 = s.path("ws3.db");
    drop(Store::open(&db3).unwrap());
    let conn = rusqlite::Connection::open(&db3).unwrap();
    conn.execute(
        "INSERT INTO schema_migrations VALUES (0, 'zero', 'abc', '2030-01-01T00:00:00Z')",
        [],
    )
    .unwrap();
    drop(conn);
    let err = Store::open(&db3).err().expect("refused");
    assert!(matches!(err, Error::Workspace(_)));
    assert!(
        err.to_string()
            .contains("applied migration 0 \"zero\" is not one this build ships"),
        "{err}"
    );

    let junk = s.write("junk.db", &"not a database ".repeat(500));
    let err = Store::open(&junk).err().expect("refused");
    assert!(
        err.to_string().contains("not a Flotilla workspace"),
        "{err}"
    );
    assert_eq!(err.exit_code(), 1);
}

#[test]
fn import_then_export_gives_the_same_bytes() {
    let mut store = Store::open_in_memory().unwrap();
    let p = plan("q1-2025");
    let canonical = write_plan(&p);
    store.import(&p, false).unwrap();
    assert_eq!(write_plan(&store.load_plan(None).unwrap()), canonical);
    assert_eq!(
        write_plan(&store.load_plan(Some("q1-2025")).unwrap()),
        canonical
    );
    // Canonical text parses back to the same plan.
    assert_eq!(parse_plan(&canonical).unwrap(), p);
}

#[test]
fn a_failure_half_way_through_an_import_leaves_the_workspace_as_it_was() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let mut store = Store::open(&db).unwrap();
    store.import(&plan("existing"), false).unwrap();
    let before = write_plan(&store.load_plan(None).unwrap());
    drop(store);
    // A trigger makes the database fail on the last component of the new release.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER fail_late BEFORE INSERT ON components
         WHEN NEW.key = 'frontend-dashboard' AND (SELECT key FROM releases WHERE id = NEW.release_id) = 'q1-2025'
         BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;",
    )
    .unwrap();
    drop(conn);
    let mut store = Store::open(&db).unwrap();
    let mut p = plan("q1-2025");
    p.teams[1].name = "API (renamed)".into();
    let err = store.import(&p, false).expect_err("the trigger fails it");
    assert!(err.to_string().contains("disk on fire"), "{err}");
    assert_eq!(err.exit_code(), 1);
    assert_eq!(write_plan(&store.load_plan(None).unwrap()), before);
    assert_eq!(store.releases().unwrap().len(), 1);
}

#[test]
fn edits_are_validated_saved_and_recorded() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_actor("Priya").unwrap();
    store.import(&plan("q1"), false).unwrap();
    store
        .apply(&Edit::SetComponent {
            release: "q1".into(),
            component: "api-endpoints".into(),
            field: ComponentField::Eta,
            value: json!("2025-02-07"),
        })
        .unwrap();
    store
        .apply(&Edit::SetRelease {
            release: "q1".into(),
            field: ReleaseField::CodeFreeze,
            value: json!("2025-02-21"),
        })
        .unwrap();
    store
        .apply(&Edit::AddStatusUpdate {
            release: "q1".into(),
            component: "api-endpoints".into(),
            date: Date::ymd(2025, 2, 5),
            text: "Endpoints ready for frontend testing".into(),
            index: None,
        })
        .unwrap();
    store
        .apply(&Edit::RemoveDependency {
            release: "q1".into(),
            from: "api-endpoints".into(),
            to: "frontend-dashboard".into(),
        })
        .unwrap();
    store
        .apply(&Edit::AddDependency {
            release: "q1".into(),
            dependency: Dependency {
                from: "backend-pipeline".into(),
                to: "frontend-dashboard".into(),
                needed_by: Some(Date::ymd(2025, 2, 10)),
                buffer_days: Some(2),
                lag_days: None,
            },
            index: None,
        })
        .unwrap();
    let r = store.load_release("q1").unwrap();
    let api = r.component("api-endpoints").unwrap();
    assert_eq!(api.eta, Some(Date::ymd(2025, 2, 7)));
    assert_eq!(
        api.updates.last().unwrap().text,
        "Endpoints ready for frontend testing"
    );
    assert_eq!(r.code_freeze, Some(Date::ymd(2025, 2, 21)));
    assert_eq!(r.dependencies.len(), 2);
    assert_eq!(r.dependencies[1].from, "backend-pipeline");
    assert_eq!(r.dependencies[1].buffer_days, Some(2));

    let h = store
        .history(Some("q1"), Some("api-endpoints"), 10)
        .unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[1].field.as_deref(), Some("eta"));
    assert_eq!(h[1].old.as_deref(), Some("null"));
    assert_eq!(h[1].new.as_deref(), Some("\"2025-02-07\""));
    assert!(h.iter().all(|c| c.actor == "Priya"));
    let all = store.history(Some("q1"), None, 100).unwrap();
    assert_eq!(all.len(), 6, "import + 5 edits: {all:#?}");
}

#[test]
fn bad_edits_are_refused_and_change_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    store.import(&plan("q1"), false).unwrap();
    let before = write_plan(&store.load_plan(None).unwrap());
    let history = store.history(None, None, 100).unwrap().len();
    let set = |field, value| Edit::SetComponent {
        release: "q1".into(),
        component: "api-endpoints".into(),
        field,
        value,
    };
    let cases: Vec<(Edit, &str, &str)> = vec![
        (
            set(ComponentField::Eta, json!("Feb 7")),
            "bad_value",
            "components.api-endpoints.eta",
        ),
        (
            set(ComponentField::DurationDays, json!(0)),
            "out_of_range",
            "components[1].duration_days",
        ),
        (
            set(ComponentField::DurationDays, json!("ten")),
            "bad_value",
            "components.api-endpoints.duration_days",
        ),
        (
            set(ComponentField::Team, json!("ops")),
            "unknown_reference",
            "components[1].team",
        ),
        (
            set(ComponentField::Title, json!(null)),
            "bad_value",
            "components.api-endpoints.title",
        ),
        (
            Edit::AddDependency {
                release: "q1".into(),
                dependency: Dependency {
                    from: "frontend-dashboard".into(),
                    to: "backend-pipeline".into(),
                    needed_by: None,
                    buffer_days: None,
                    lag_days: None,
                },
                index: None,
            },
            "cycle",
            "dependencies",
        ),
        (
            Edit::SetRelease {
                release: "q1".into(),
                field: ReleaseField::ReleaseDate,
                value: json!("2024-12-31"),
            },
            "bad_date",
            "release_date",
        ),
    ];
    for (edit, code, path) in cases {
        let err = store
            .apply(&edit)
            .err()
            .unwrap_or_else(|| panic!("{edit:?} was accepted"));
        let payload = err.payload();
        assert_eq!(payload.code, code, "{edit:?}: {err}");
        assert_eq!(payload.path, path, "{edit:?}: {err}");
        assert_eq!(err.exit_code(), 2);
    }
    let cycle = store
        .apply(&Edit::AddDependency {
            release: "q1".into(),
            dependency: Dependency {
                from: "frontend-dashboard".into(),
                to: "backend-pipeline".into(),
                needed_by: None,
                buffer_days: None,
                lag_days: None,
            },
            index: None,
        })
        .unwrap_err();
    assert!(cycle
        .to_string()
        .contains("backend-pipeline -> api-endpoints -> frontend-dashboard -> backend-pipeline"));
    let missing = store
        .apply(&Edit::RemoveDependency {
            release: "q1".into(),
            from: "a".into(),
            to: "b".into(),
        })
        .unwrap_err();
    assert_eq!(missing.code(), "not_found");
    assert_eq!(write_plan(&store.load_plan(None).unwrap()), before);
    assert_eq!(store.history(None, None, 100).unwrap().len(), history);
}

#[test]
fn cli_set_and_history() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let f = s.write_json("p.json", &full_plan("q1"));
    assert!(flotilla(&db, &["import", f.to_str().unwrap()])
        .status
        .success());
    let out = flotilla(
        &db,
        &[
            "set",
            "--release",
            "q1",
            "--component",
            "api-endpoints",
            "duration_days=7",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = flotilla(
        &db,
        &[
            "set",
            "--release",
            "q1",
            "--component",
            "api-endpoints",
            "eta=2025-13-01",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("components.api-endpoints.eta"),
        "{}",
        stderr(&out)
    );
    let out = flotilla(
        &db,
        &[
            "set",
            "--release",
            "q1",
            "--component",
            "api-endpoints",
            "colour=red",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let out = flotilla(&db, &["set", "--release", "nope", "name=X"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("release \"nope\" not found"));
    let h = stdout(&flotilla(&db, &["history", "--release", "q1"]));
    assert!(h.contains("tester"), "{h}");
    assert!(h.contains("component api-endpoints.duration_days"), "{h}");
    assert!(h.contains("5 -> 7"), "{h}");
}

#[test]
fn teams_and_release_rows_come_from_the_store() {
    let s = Scratch::new();
    let mut store = Store::open(&s.path("ws.db")).unwrap();
    let sample = parse_plan(flotilla::SAMPLE_PLAN).unwrap();
    store.import(&sample, false).unwrap();
    // Every team, in plan order, with its contacts.
    assert_eq!(store.teams().unwrap(), sample.teams);

    let today = Date(chrono::NaiveDate::from_ymd_opt(2025, 1, 20).unwrap());
    let rows = flotilla::views::release_overview(&store, today).unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    let release = &sample.releases[0];
    assert_eq!(row.summary.key, release.key);
    let gates = release
        .checklist
        .iter()
        .filter(|c| c.gate && !c.done)
        .count();
    assert!(gates > 0);
    assert_eq!(row.open_gates, gates);
    // The same schedule `analyze` gives.
    let a = flotilla::schedule::analyze(&sample.effective_calendar(), release, today).unwrap();
    assert_eq!(row.schedule_error, None);
    assert_eq!(row.plan_finish, a.plan_finish);
    assert_eq!(row.counts, a.counts);
}

#[test]
fn an_add_at_the_end_writes_one_row_and_reads_back_as_a_rewrite_would() {
    // The same adds with `index: None` (one row inserted) and with the index
    // spelled out (the release rewritten) give the same plan, the new
    // component and dependency last; undo takes them out again.
    let added = |index: Option<usize>, dep_index: Option<usize>| {
        let mut store = Store::open_in_memory().unwrap();
        let p = plan("q1");
        let n = p.releases[0].components.len();
        let d = p.releases[0].dependencies.len();
        store.import(&p, false).unwrap();
        let mut c = p.releases[0].components[0].clone();
        c.key = "late-addition".into();
        c.title = "Late addition".into();
        c.updates.clear();
        c.labels = vec!["dependency/blocking".into()];
        store
            .apply(&Edit::AddComponent {
                release: "q1".into(),
                component: Box::new(c),
                index: index.map(|_| n),
            })
            .unwrap();
        let from = p.releases[0].components[1].key.clone();
        store
            .apply(&Edit::AddDependency {
                release: "q1".into(),
                dependency: Dependency {
                    from,
                    to: "late-addition".into(),
                    needed_by: Some(Date::ymd(2025, 2, 20)),
                    buffer_days: Some(2),
                    lag_days: None,
                },
                index: dep_index.map(|_| d),
            })
            .unwrap();
        let after = write_plan(&store.load_plan(None).unwrap());
        store.undo("q1").unwrap();
        store.undo("q1").unwrap();
        (
            after,
            write_plan(&store.load_plan(None).unwrap()),
            write_plan(&p),
        )
    };
    let (fast, fast_undone, original) = added(None, None);
    let (slow, _, _) = added(Some(0), Some(0));
    assert_eq!(fast, slow);
    assert_eq!(fast_undone, original);
    let v: serde_json::Value = serde_json::from_str(&fast).unwrap();
    let r = &v["releases"][0];
    assert_eq!(
        r["components"].as_array().unwrap().last().unwrap()["key"],
        "late-addition"
    );
    assert_eq!(
        r["dependencies"].as_array().unwrap().last().unwrap()["to"],
        "late-addition"
    );
}

fn queued(run: &str, n: usize) -> flotilla::store::Queued {
    flotilla::store::Queued {
        key: format!("{run}/wave_done/{n}/eng/chat"),
        run_id: Some(run.to_string()),
        release_key: "r1".into(),
        event: "wave_done".into(),
        audience: "eng".into(),
        channel: format!("chat-{n}"),
        kind: "webhook".into(),
        target: json!({ "kind": "webhook", "url": "https://chat.example.com/hook" }),
        subject: format!("wave {n}"),
        body: String::new(),
    }
}

#[test]
fn outbox_claims_hold_for_their_lease_and_a_person_can_hurry_a_runs_messages() {
    use flotilla::store::{OutboxState, Outcome};
    let s = Scratch::new();
    let mut store = Store::open(&s.path("ws.db")).unwrap();
    store
        .queue_messages(&[
            queued("run-1", 1),
            queued("run-1", 2),
            queued("run-1", 3),
            queued("run-2", 1),
        ])
        .unwrap();
    // Queueing the same message again adds nothing.
    store.queue_messages(&[queued("run-1", 1)]).unwrap();
    assert_eq!(store.outbox(None).unwrap().len(), 4);

    let now = "2030-01-01T00:00:00Z";
    let claim = |store: &mut Store, at: &str| {
        store
            .claim_message(at, Some("run-1"), |_| "2030-01-01T00:00:30Z".into())
            .unwrap()
    };
    let m1 = claim(&mut store, now).expect("due");
    assert_eq!(
        (m1.subject.as_str(), m1.state),
        ("wave 1", OutboxState::Sending)
    );
    assert_eq!(m1.next_at, "2030-01-01T00:00:30Z");
    let m2 = claim(&mut store, now).unwrap();
    let m3 = claim(&mut store, now).unwrap();
    // Every message of run-1 is claimed; the lease holds until it ends…
    assert!(claim(&mut store, "2030-01-01T00:00:29Z").is_none());
    // …then the claim is taken over (its sender died), with one more try.
    let again = claim(&mut store, "2030-01-01T00:00:30Z").unwrap();
    assert_eq!((again.id, again.attempts), (m1.id, 2));

    store
        .record_send(&again, &Outcome::Sent, "t", None)
        .unwrap();
    store
        .record_send(
            &m2,
            &Outcome::Retry {
                error: "503".into(),
                next_at: "2031-01-01T00:00:00Z".into(),
            },
            "t",
            None,
        )
        .unwrap();
    store
        .record_send(
            &m3,
            &Outcome::Failed {
                error: "404".into(),
            },
            "t",
            None,
        )
        .unwrap();
    // "Send now": the waiting and the refused message of run-1 are due at
    // once; the sent one and run-2's are left alone.
    assert_eq!(store.hurry_messages("run-1").unwrap(), 2);
    let out = store.outbox(Some("run-1")).unwrap();
    let states: Vec<_> = out.iter().map(|m| m.state).collect();
    assert_eq!(
        states,
        [
            OutboxState::Sent,
            OutboxState::Pending,
            OutboxState::Pending
        ]
    );
    assert!(out[1].next_at.as_str() < "2031-01-01T00:00:00Z");
    assert_eq!(
        out[2].last_error.as_deref(),
        Some("404"),
        "the reason stays for the list"
    );
    assert_eq!(
        store.outbox(Some("run-2")).unwrap()[0].state,
        OutboxState::Pending
    );
}
