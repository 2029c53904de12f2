//! Properties of the three-way merge over generated plans: merging a plan with
//! itself, or with an unchanged base on one side, gives the other side exactly;
//! edits to different components always meet without conflict.

use flotilla::merge::{merge_plans, Resolutions};
use flotilla::plan::{
    validate, write_plan, ChecklistItem, Component, Date, Dependency, Milestone, Phase, Plan,
    Release, Scenario, Status, StatusUpdate, Team,
};
use proptest::prelude::*;

const TEAMS: [&str; 3] = ["backend", "api", "web"];

/// A valid plan drawn from `n` and a byte string: components with every field
/// kind, status updates, labels, an acyclic set of dependencies (lower index
/// blocks higher), checklist items and a milestone.
fn build(n: usize, b: &[u8]) -> Plan {
    let byte = |i: usize| b[i % b.len()] as u32;
    let day = |i: usize| Date::ymd(2025, 1 + byte(i) % 3, 1 + byte(i + 1) % 28);
    let mut plan = Plan::empty();
    plan.teams = TEAMS
        .iter()
        .map(|k| Team {
            key: k.to_string(),
            name: k.to_uppercase(),
            contacts: None,
        })
        .collect();
    let components: Vec<Component> = (0..n)
        .map(|i| Component {
            key: format!("c{i}"),
            title: format!("Component {}", byte(i * 3)),
            team: TEAMS[byte(i) as usize % 3].to_string(),
            status: Status::ALL[byte(i + 5) as usize % 6],
            duration_days: 1 + byte(i + 7) % 15,
            start: None,
            eta: (byte(i + 11) % 2 == 0).then(|| day(i + 13)),
            done_on: None,
            labels: ["x", "y", "z"]
                .iter()
                .enumerate()
                .filter(|(j, _)| byte(i + 17) & (1 << j) != 0)
                .map(|(_, l)| l.to_string())
                .collect(),
            updates: (0..byte(i + 19) % 3)
                .map(|u| StatusUpdate {
                    date: day(i + 23 + u as usize),
                    text: format!("update {}", byte(i + 29 + u as usize) % 4),
                })
                .collect(),
            deploy: None,
            notes: vec![],
        })
        .collect();
    let mut dependencies = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            if byte(i * 7 + j * 3 + 31) % 3 == 0 {
                dependencies.push(Dependency {
                    from: format!("c{i}"),
                    to: format!("c{j}"),
                    needed_by: None,
                    buffer_days: (byte(i + j) % 2 == 0).then_some(byte(j) % 4),
                    lag_days: None,
                });
            }
        }
    }
    let checklist = (0..byte(37) % 4)
        .map(|k| ChecklistItem {
            text: format!("item {}", byte(41 + k as usize) % 5),
            owner: (byte(43 + k as usize) % 2 == 0).then(|| TEAMS[k as usize % 3].to_string()),
            due: None,
            done: byte(47 + k as usize) % 2 == 0,
            gate: byte(53 + k as usize) % 2 == 0,
        })
        .collect();
    let milestones = if n >= 2 && byte(59) % 2 == 0 {
        vec![Milestone {
            key: "m".into(),
            name: "Pair".into(),
            phase: Some(Phase::ComponentPair),
            components: vec!["c0".into(), "c1".into()],
            due: day(61),
            environment: None,
            owners: vec![],
            scenarios: vec![Scenario {
                text: "works".into(),
                done: byte(63) % 2 == 0,
            }],
        }]
    } else {
        vec![]
    };
    plan.releases.push(Release {
        key: "r".into(),
        name: "Release".into(),
        status: Status::Planning,
        start: Date::ymd(2025, 1, 6),
        feature_freeze: None,
        code_freeze: None,
        release_date: Date::ymd(2025, 6, 30),
        strategy: None,
        components,
        dependencies,
        milestones,
        checklist,
        rollback_triggers: vec![],
        deploy_schedule: None,
        comms: None,
        notes: vec![],
        retrospective: vec![],
    });
    assert!(validate(&plan).is_empty(), "{:?}", validate(&plan));
    plan
}

fn plans() -> impl Strategy<Value = Plan> {
    (1usize..8, prop::collection::vec(any::<u8>(), 64)).prop_map(|(n, b)| build(n, &b))
}

fn merged(base: Option<&Plan>, ours: &Plan, theirs: &Plan) -> Plan {
    let m = merge_plans(base, ours, theirs, &Resolutions::new()).expect("merges");
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    m.plan.expect("valid")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn merging_a_plan_with_itself_gives_it(p in plans()) {
        prop_assert_eq!(&merged(Some(&p), &p, &p), &p);
        prop_assert_eq!(&merged(None, &p, &p), &p);
    }

    #[test]
    fn an_unchanged_side_gives_the_other_side_exactly(base in plans(), other in plans()) {
        let theirs_only = merged(Some(&base), &base, &other);
        prop_assert_eq!(write_plan(&theirs_only), write_plan(&other));
        let ours_only = merged(Some(&base), &other, &base);
        prop_assert_eq!(write_plan(&ours_only), write_plan(&other));
    }

    #[test]
    fn edits_to_different_components_never_conflict(base in plans(), shift in 1u32..20) {
        // Ours moves the ETA of even components; theirs changes the status and
        // adds an update to odd ones.
        let mut ours = base.clone();
        let mut theirs = base.clone();
        let rel_o = &mut ours.releases[0];
        let rel_t = &mut theirs.releases[0];
        for (i, c) in rel_o.components.iter_mut().enumerate() {
            if i % 2 == 0 {
                c.eta = Some(Date::ymd(2025, 5, shift));
            }
        }
        for (i, c) in rel_t.components.iter_mut().enumerate() {
            if i % 2 == 1 {
                c.status = Status::ALL[(c.status as usize + 1) % 6];
                c.updates.push(StatusUpdate { date: Date::ymd(2025, 5, shift), text: "theirs".into() });
            }
        }
        let m = merged(Some(&base), &ours, &theirs);
        for (i, c) in m.releases[0].components.iter().enumerate() {
            let want = if i % 2 == 0 { &ours.releases[0].components[i] } else { &theirs.releases[0].components[i] };
            prop_assert_eq!(c, want);
        }
        // The same merge the other way round gives the same plan.
        prop_assert_eq!(merged(Some(&base), &theirs, &ours), m);
    }

    #[test]
    fn conflicts_are_symmetric(base in plans(), a in plans(), b in plans()) {
        let ab = merge_plans(Some(&base), &a, &b, &Resolutions::new());
        let ba = merge_plans(Some(&base), &b, &a, &Resolutions::new());
        match (ab, ba) {
            (Ok(ab), Ok(ba)) => {
                let mut left: Vec<_> = ab.conflicts.iter().map(|c| (c.path.clone(), c.base.clone(), c.ours.clone(), c.theirs.clone())).collect();
                let mut right: Vec<_> = ba.conflicts.iter().map(|c| (c.path.clone(), c.base.clone(), c.theirs.clone(), c.ours.clone())).collect();
                left.sort_by(|x, y| x.0.cmp(&y.0));
                right.sort_by(|x, y| x.0.cmp(&y.0));
                prop_assert_eq!(left, right);
            }
            (Err(_), Err(_)) => {}
            (x, y) => prop_assert!(false, "one way merged, the other did not: {:?} / {:?}", x.is_ok(), y.is_ok()),
        }
    }
}
