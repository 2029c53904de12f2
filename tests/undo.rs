//! Undo and redo of every kind of edit, on the store's change history.

mod common;
use common::*;
use flotilla::plan::{parse_plan, write_plan, ChecklistItem, Component, Date, Dependency};
use flotilla::store::{ChecklistField, ComponentField, DependencyField, Edit, ReleaseField, Store};
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

fn edits() -> Vec<Edit> {
    let r = || "q1".to_string();
    vec![
        Edit::SetComponent {
            release: r(),
            component: "api-endpoints".into(),
            field: ComponentField::Eta,
            value: json!("2025-02-07"),
        },
        Edit::SetComponent {
            release: r(),
            component: "backend-pipeline".into(),
            field: ComponentField::Status,
            value: json!("testing"),
        },
        Edit::SetComponent {
            release: r(),
            component: "backend-pipeline".into(),
            field: ComponentField::Labels,
            value: json!(null),
        },
        Edit::SetRelease {
            release: r(),
            field: ReleaseField::Name,
            value: json!("Q1, renamed"),
        },
        Edit::SetRelease {
            release: r(),
            field: ReleaseField::FeatureFreeze,
            value: json!(null),
        },
        Edit::ArchiveRelease {
            release: r(),
            archived: true,
        },
        Edit::AddComponent {
            release: r(),
            component: Box::new(Component {
                key: "search".into(),
                title: "Search".into(),
                team: "api".into(),
                status: Default::default(),
                duration_days: 4,
                start: None,
                eta: None,
                done_on: None,
                labels: vec![],
                updates: vec![],
                deploy: None,
                notes: vec![],
            }),
            index: Some(1),
        },
        Edit::RemoveComponent {
            release: r(),
            component: "frontend-dashboard".into(),
        },
        // In a milestone: taken out of it too.
        Edit::RemoveComponent {
            release: r(),
            component: "api-endpoints".into(),
        },
        Edit::RenameComponent {
            release: r(),
            from: "backend-pipeline".into(),
            to: "data-pipeline".into(),
        },
        Edit::PutMilestone {
            release: r(),
            milestone: Box::new(
                serde_json::from_value(json!({
                    "key": "api-backend", "name": "API and backend, renamed",
                    "components": ["backend-pipeline"], "due": "2025-02-06",
                    "scenarios": [ { "text": "One", "done": true }, { "text": "Two" } ]
                }))
                .unwrap(),
            ),
            index: None,
        },
        Edit::RemoveMilestone {
            release: r(),
            milestone: "api-backend".into(),
        },
        Edit::SetComponent {
            release: r(),
            component: "backend-pipeline".into(),
            field: ComponentField::Deploy,
            value: json!(null),
        },
        Edit::SetRelease {
            release: r(),
            field: ReleaseField::RollbackTriggers,
            value: json!([ { "kind": "verify_failed" } ]),
        },
        Edit::SetRelease {
            release: r(),
            field: ReleaseField::DeploySchedule,
            value: json!(null),
        },
        Edit::AddStatusUpdate {
            release: r(),
            component: "backend-pipeline".into(),
            date: Date::ymd(2025, 2, 2),
            text: "Pipeline ready".into(),
            index: None,
        },
        Edit::RemoveStatusUpdate {
            release: r(),
            component: "backend-pipeline".into(),
            index: 0,
        },
        Edit::AddDependency {
            release: r(),
            dependency: Dependency {
                from: "backend-pipeline".into(),
                to: "frontend-dashboard".into(),
                needed_by: None,
                buffer_days: Some(1),
                lag_days: None,
            },
            index: Some(0),
        },
        Edit::RemoveDependency {
            release: r(),
            from: "backend-pipeline".into(),
            to: "api-endpoints".into(),
        },
        Edit::SetDependency {
            release: r(),
            from: "backend-pipeline".into(),
            to: "api-endpoints".into(),
            field: DependencyField::BufferDays,
            value: json!(5),
        },
        Edit::SetScenario {
            release: r(),
            milestone: "api-backend".into(),
            index: 0,
            done: true,
        },
        Edit::AddChecklistItem {
            release: r(),
            item: ChecklistItem {
                text: "Release notes drafted".into(),
                owner: Some("api".into()),
                due: None,
                done: false,
                gate: false,
            },
            index: Some(0),
        },
        Edit::RemoveChecklistItem {
            release: r(),
            index: 0,
        },
        Edit::SetChecklistItem {
            release: r(),
            index: 0,
            field: ChecklistField::Done,
            value: json!(true),
        },
        Edit::Batch {
            release: r(),
            edits: vec![
                Edit::SetComponent {
                    release: r(),
                    component: "api-endpoints".into(),
                    field: ComponentField::DurationDays,
                    value: json!(9),
                },
                Edit::RemoveDependency {
                    release: r(),
                    from: "api-endpoints".into(),
                    to: "frontend-dashboard".into(),
                },
            ],
        },
    ]
}

#[test]
fn every_edit_undoes_to_the_bytes_before_and_redoes_to_the_bytes_after() {
    for edit in edits() {
        let mut s = store();
        let before = snapshot(&s);
        let archived_before = s.releases().unwrap()[0].archived;
        s.apply(&edit).unwrap_or_else(|e| panic!("{edit:?}: {e}"));
        let after = snapshot(&s);
        let archived_after = s.releases().unwrap()[0].archived;
        assert!(
            after != before || archived_after != archived_before,
            "{edit:?} changed nothing"
        );
        assert!(s.can_undo("q1").unwrap());
        let step = s.undo("q1").unwrap().expect("something to undo");
        assert!(!step.can_undo && step.can_redo, "{edit:?}");
        assert_eq!(snapshot(&s), before, "undo of {edit:?}");
        assert_eq!(s.releases().unwrap()[0].archived, archived_before);
        s.redo("q1").unwrap().expect("something to redo");
        assert_eq!(snapshot(&s), after, "redo of {edit:?}");
        assert_eq!(s.releases().unwrap()[0].archived, archived_after);
    }
}

#[test]
fn undo_walks_back_through_many_edits_and_a_new_edit_drops_redo() {
    let mut s = store();
    let mut states = vec![snapshot(&s)];
    // In sequence some edits no longer fit (the component they name is gone):
    // those are refused, change nothing, and leave no undo step.
    for e in edits() {
        if s.apply(&e).is_ok() {
            states.push(snapshot(&s));
        } else {
            assert_eq!(snapshot(&s), *states.last().unwrap());
        }
    }
    let applied = states.len() - 1;
    assert!(applied >= 12, "only {applied} edits applied in sequence");
    for i in (0..applied).rev() {
        s.undo("q1").unwrap().expect("undo");
        assert_eq!(snapshot(&s), states[i], "after undoing edit {i}");
    }
    assert!(s.undo("q1").unwrap().is_none(), "nothing left to undo");
    s.redo("q1").unwrap().unwrap();
    s.redo("q1").unwrap().unwrap();
    assert_eq!(snapshot(&s), states[2]);
    s.apply(&Edit::SetRelease {
        release: "q1".into(),
        field: ReleaseField::Status,
        value: json!("testing"),
    })
    .unwrap();
    assert!(!s.can_redo("q1").unwrap());
    assert!(s.redo("q1").unwrap().is_none());
    // The history says who undid what.
    let h = s.history(Some("q1"), None, 500).unwrap();
    assert!(h.iter().any(|c| c.kind == "undo"));
    assert!(h.iter().any(|c| c.kind == "redo"));
}

#[test]
fn create_and_delete_release_undo() {
    let mut s = store();
    let before = snapshot(&s);
    let mut other = parse_plan(&full_plan("q2").to_string())
        .unwrap()
        .releases
        .remove(0);
    other.name = "Q2".into();
    s.apply(&Edit::CreateRelease {
        release: Box::new(other.clone()),
        archived: false,
    })
    .unwrap();
    assert_eq!(s.releases().unwrap().len(), 2);
    s.apply(&Edit::DeleteRelease {
        release: "q1".into(),
    })
    .unwrap();
    assert_eq!(s.releases().unwrap().len(), 1);
    s.undo("q1").unwrap().unwrap();
    s.undo("q2").unwrap().unwrap();
    assert_eq!(snapshot(&s), before);
    let err = s
        .apply(&Edit::CreateRelease {
            release: Box::new(s.load_release("q1").unwrap()),
            archived: false,
        })
        .unwrap_err();
    assert_eq!(err.code(), "exists");
}

#[test]
fn refused_edits_are_not_undoable() {
    let mut s = store();
    let err = s
        .apply(&Edit::SetDependency {
            release: "q1".into(),
            from: "backend-pipeline".into(),
            to: "api-endpoints".into(),
            field: DependencyField::LagDays,
            value: json!(-2),
        })
        .unwrap_err();
    assert_eq!(err.payload().path, "dependencies[0].lag_days");
    assert!(!s.can_undo("q1").unwrap());
}
