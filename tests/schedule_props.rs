//! Property tests: random releases (random DAGs, calendars, starts, etas, done
//! dates, lags, needed-by dates, milestones, freezes, slots) scheduled by
//! `flotilla::schedule` and by a brute-force reference written here from
//! spec/schedule.md and docs/scheduling.md: plain dates, stepped one day at a
//! time, passes repeated until nothing changes (no topological order).

use flotilla::plan::{
    Calendar, Component, Date, Day, Dependency, DeploySchedule, Milestone, Release, Scenario, Slot,
    Status,
};
use flotilla::schedule::{analyze, what_if, Analysis, FreezeKind, RiskState};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

const DAYS: [Day; 7] = [
    Day::Mon,
    Day::Tue,
    Day::Wed,
    Day::Thu,
    Day::Fri,
    Day::Sat,
    Day::Sun,
];

fn base() -> Date {
    Date::ymd(2025, 1, 1)
}

fn at(offset: i64) -> Date {
    Date(base().0 + chrono::Duration::days(offset))
}

// ---------------------------------------------------------------------------
// Random releases

#[derive(Debug, Clone)]
struct RawComp {
    duration: u32,
    start: Option<i64>,
    eta: Option<i64>,
    done: Option<i64>,
    team: usize,
}

fn raw_comp() -> impl Strategy<Value = RawComp> {
    (
        1u32..7,
        option::weighted(0.2, 0i64..40),
        option::weighted(0.3, 0i64..70),
        option::weighted(0.15, 0i64..45),
        0usize..4,
    )
        .prop_map(|(duration, start, eta, done, team)| RawComp {
            duration,
            start,
            eta,
            done,
            team,
        })
}

type RawEdge = (usize, usize, u32, Option<i64>, Option<u32>);
type RawMilestone = (Vec<usize>, i64, usize, usize);

#[derive(Debug, Clone)]
struct Case {
    calendar: Calendar,
    release: Release,
    today: Date,
}

prop_compose! {
    fn case()(n in 1usize..=12)(
        workdays in 1u8..128,
        holidays in vec(0i64..160, 0..10),
        start in 0i64..10,
        comps in vec(raw_comp(), n),
        order in Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
        keys in Just(("abcdefghijkl").chars().map(String::from).collect::<Vec<_>>()).prop_shuffle(),
        edges in vec((0..n, 0..n, 0u32..3, option::weighted(0.4, 0i64..80), option::of(0u32..4)), 0..=(2 * n)),
        milestones in vec((vec(0..n, 1..4), 0i64..80, 0usize..3, 0usize..3), 0..3),
        slots in Just((0..4usize).collect::<Vec<_>>()).prop_shuffle(),
        slot_count in 0usize..=4,
        freezes in (option::of(0i64..80), option::of(0i64..90), 0i64..100),
        today in 0i64..90,
    ) -> Case {
        build(workdays, holidays, start, comps, order, keys, edges, milestones, slots, slot_count, freezes, today)
    }
}

#[allow(clippy::too_many_arguments)]
fn build(
    workdays: u8,
    holidays: Vec<i64>,
    start: i64,
    comps: Vec<RawComp>,
    order: Vec<usize>,
    keys: Vec<String>,
    edges: Vec<RawEdge>,
    milestones: Vec<RawMilestone>,
    slots: Vec<usize>,
    slot_count: usize,
    (feature_freeze, code_freeze, release_date): (Option<i64>, Option<i64>, i64),
    today: i64,
) -> Case {
    let calendar = Calendar {
        workdays: (0..7)
            .filter(|i| workdays & (1 << i) != 0)
            .map(|i| DAYS[i])
            .collect(),
        holidays: holidays.into_iter().map(at).collect(),
    };
    let team = |t: usize| format!("t{t}");
    let components: Vec<Component> = comps
        .iter()
        .enumerate()
        .map(|(i, c)| Component {
            key: keys[i].clone(),
            title: keys[i].clone(),
            team: team(c.team),
            status: Status::Planning,
            duration_days: c.duration,
            start: c.start.map(at),
            eta: c.eta.map(at),
            done_on: c.done.map(at),
            labels: vec![],
            updates: vec![],
            deploy: None,
            notes: vec![],
        })
        .collect();
    // Orient every edge along a random order: the graph is a DAG whose
    // topological order is not the plan order.
    let rank: Vec<usize> = {
        let mut r = vec![0; order.len()];
        for (pos, &c) in order.iter().enumerate() {
            r[c] = pos;
        }
        r
    };
    let mut dependencies: Vec<Dependency> = Vec::new();
    for (a, b, lag, needed, buffer) in edges {
        if a == b {
            continue;
        }
        let (f, t) = if rank[a] < rank[b] { (a, b) } else { (b, a) };
        if dependencies
            .iter()
            .any(|d| d.from == keys[f] && d.to == keys[t])
        {
            continue;
        }
        dependencies.push(Dependency {
            from: keys[f].clone(),
            to: keys[t].clone(),
            needed_by: needed.map(at),
            buffer_days: buffer,
            lag_days: (lag > 0).then_some(lag),
        });
    }
    let milestones = milestones
        .into_iter()
        .enumerate()
        .map(|(i, (members, due, done, open))| Milestone {
            key: format!("m{i}"),
            name: format!("m{i}"),
            phase: None,
            components: members.into_iter().map(|c| keys[c].clone()).collect(),
            due: at(due),
            environment: None,
            owners: vec![],
            scenarios: (0..done + open)
                .map(|s| Scenario {
                    text: format!("s{s}"),
                    done: s < done,
                })
                .collect(),
        })
        .collect();
    let release = Release {
        key: "r".into(),
        name: "r".into(),
        status: Status::Planning,
        start: at(start),
        feature_freeze: feature_freeze.map(at),
        code_freeze: code_freeze.map(at),
        release_date: at(release_date.max(start)),
        strategy: None,
        components,
        dependencies,
        milestones,
        checklist: vec![],
        rollback_triggers: vec![],
        comms: None,
        notes: vec![],
        retrospective: vec![],
        deploy_schedule: Some(DeploySchedule {
            date: None,
            slots: slots[..slot_count]
                .iter()
                .map(|&t| Slot {
                    team: team(t),
                    at: "09:00".into(),
                })
                .collect(),
        }),
    };
    Case {
        calendar,
        release,
        today: at(today),
    }
}

// ---------------------------------------------------------------------------
// The brute-force reference

struct Cal<'a>(&'a Calendar);

impl Cal<'_> {
    fn working(&self, d: Date) -> bool {
        self.0.workdays.iter().any(|w| w.weekday() == d.weekday()) && !self.0.holidays.contains(&d)
    }
    fn step(d: Date, by: i64) -> Date {
        Date(d.0 + chrono::Duration::days(by))
    }
    /// `d` or the next working day.
    fn on_or_after(&self, mut d: Date) -> Date {
        while !self.working(d) {
            d = Cal::step(d, 1);
        }
        d
    }
    /// `d` or the working day before.
    fn on_or_before(&self, mut d: Date) -> Date {
        while !self.working(d) {
            d = Cal::step(d, -1);
        }
        d
    }
    /// From working day `d`, `n` working days on (or back when negative).
    fn add(&self, mut d: Date, n: i64) -> Date {
        let dir = n.signum();
        for _ in 0..n.abs() {
            d = Cal::step(d, dir);
            while !self.working(d) {
                d = Cal::step(d, dir);
            }
        }
        d
    }
    /// Working days from working day `a` to working day `b`.
    fn between(&self, a: Date, b: Date) -> i64 {
        if a > b {
            return -self.between(b, a);
        }
        let (mut d, mut n) = (a, 0);
        while d < b {
            d = Cal::step(d, 1);
            n += i64::from(self.working(d));
        }
        n
    }
}

#[derive(Debug, Default)]
struct Reference {
    es: Vec<Date>,
    ef: Vec<Date>,
    ls: Vec<Date>,
    lf: Vec<Date>,
    float: Vec<i64>,
    eta_inconsistent: Vec<bool>,
    plan_finish: Option<Date>,
    critical_path: Vec<String>,
    waves: Vec<Vec<String>>,
    wave: Vec<u32>,
    deadline_slack: Vec<i64>,
    deps: Vec<(RiskState, Option<i64>)>,
    freeze: Vec<(String, FreezeKind, i64)>,
    milestones: Vec<RiskState>,
    release_slack: Option<i64>,
}

fn reference(case: &Case, slip: &[i64]) -> Reference {
    let cal = Cal(&case.calendar);
    let r = &case.release;
    let n = r.components.len();
    let idx = |k: &str| r.components.iter().position(|c| c.key == k).unwrap();
    let deps: Vec<(usize, usize, i64)> = r
        .dependencies
        .iter()
        .map(|d| (idx(&d.from), idx(&d.to), i64::from(d.lag_days.unwrap_or(0))))
        .collect();

    // Forward: compute a component once all its predecessors are known.
    let mut es: Vec<Option<Date>> = vec![None; n];
    let mut ef: Vec<Option<Date>> = vec![None; n];
    let mut incons = vec![false; n];
    while ef.iter().any(Option::is_none) {
        for c in 0..n {
            if ef[c].is_some() || deps.iter().any(|&(f, t, _)| t == c && ef[f].is_none()) {
                continue;
            }
            let comp = &r.components[c];
            let mut start = cal.on_or_after(r.start);
            if let Some(s) = comp.start {
                start = start.max(cal.on_or_after(s));
            }
            for &(f, _, lag) in deps.iter().filter(|d| d.1 == c) {
                start = start.max(cal.add(cal.add(ef[f].unwrap(), 1), lag));
            }
            let dur = i64::from(comp.duration_days);
            let finish = if let Some(done) = comp.done_on {
                let f = cal.add(cal.on_or_after(done), slip[c]);
                start = start.min(f);
                f
            } else if let Some(eta) = comp.eta.map(|e| cal.on_or_after(e)).filter(|&e| e >= start) {
                cal.add(eta, slip[c])
            } else {
                incons[c] = comp.eta.is_some();
                cal.add(start, dur - 1 + slip[c])
            };
            es[c] = Some(start);
            ef[c] = Some(finish);
        }
    }
    let es: Vec<Date> = es.into_iter().map(Option::unwrap).collect();
    let ef: Vec<Date> = ef.into_iter().map(Option::unwrap).collect();
    let pf = ef.iter().copied().max();

    // Backward: once every live successor is known.
    let live = |f: usize, t: usize, lag: i64| es[t] >= cal.add(cal.add(ef[f], 1), lag);
    let mut ls: Vec<Option<Date>> = vec![None; n];
    let mut lf: Vec<Option<Date>> = vec![None; n];
    while lf.iter().any(Option::is_none) {
        for c in 0..n {
            let succ: Vec<_> = deps
                .iter()
                .filter(|d| d.0 == c && live(d.0, d.1, d.2))
                .collect();
            if lf[c].is_some() || succ.iter().any(|d| ls[d.1].is_none()) {
                continue;
            }
            let latest = succ
                .iter()
                .map(|&&(_, t, lag)| cal.add(ls[t].unwrap(), -(1 + lag)))
                .min()
                .unwrap_or_else(|| pf.unwrap());
            lf[c] = Some(latest);
            ls[c] = Some(cal.add(latest, -cal.between(es[c], ef[c])));
        }
    }
    let ls: Vec<Date> = ls.into_iter().map(Option::unwrap).collect();
    let lf: Vec<Date> = lf.into_iter().map(Option::unwrap).collect();
    let float: Vec<i64> = (0..n).map(|c| cal.between(es[c], ls[c])).collect();

    // Critical path: back from the smallest key finishing at PF.
    let key = |c: usize| r.components[c].key.clone();
    let mut critical_path = Vec::new();
    if let Some(pf) = pf {
        let mut cur = (0..n).filter(|&c| ef[c] == pf).min_by_key(|&c| key(c));
        while let Some(c) = cur {
            critical_path.push(key(c));
            cur = deps
                .iter()
                .filter(|&&(f, t, lag)| {
                    t == c && float[f] == 0 && es[c] == cal.add(cal.add(ef[f], 1), lag)
                })
                .map(|&(f, _, _)| f)
                .min_by_key(|&f| key(f));
        }
        critical_path.reverse();
    }

    // Waves: repeat until stable.
    let mut wave = vec![1u32; n];
    loop {
        let mut changed = false;
        for &(f, t, _) in &deps {
            if wave[t] < wave[f] + 1 {
                wave[t] = wave[f] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let slots = &r.deploy_schedule.as_ref().unwrap().slots;
    let slot = |c: usize| {
        slots
            .iter()
            .position(|s| s.team == r.components[c].team)
            .unwrap_or(usize::MAX)
    };
    let top = wave.iter().copied().max().unwrap_or(0);
    let waves = (1..=top)
        .map(|w| {
            let mut members: Vec<usize> = (0..n).filter(|&c| wave[c] == w).collect();
            members.sort_by_key(|&c| (slot(c), key(c)));
            members.into_iter().map(key).collect()
        })
        .collect();

    // Risk.
    let deadline = cal.on_or_before(r.code_freeze.unwrap_or(r.release_date));
    let deadline_slack = (0..n).map(|c| cal.between(ef[c], deadline)).collect();
    let dep_risk = r
        .dependencies
        .iter()
        .zip(&deps)
        .map(|(d, &(f, _, _))| match d.needed_by {
            None => (RiskState::Ok, None),
            Some(nb) => {
                let due = cal.on_or_before(nb);
                let state = if ef[f] > nb {
                    RiskState::Late
                } else if ef[f] > cal.add(due, -i64::from(d.buffer_days.unwrap_or(0))) {
                    RiskState::AtRisk
                } else {
                    RiskState::Ok
                };
                (state, Some(cal.between(ef[f], due)))
            }
        })
        .collect();
    let mut freeze = Vec::new();
    for (c, &finish) in ef.iter().enumerate() {
        for (kind, date) in [
            (FreezeKind::FeatureFreeze, r.feature_freeze),
            (FreezeKind::CodeFreeze, r.code_freeze),
        ] {
            if let Some(date) = date.filter(|&x| finish > x) {
                freeze.push((key(c), kind, cal.between(cal.on_or_before(date), finish)));
            }
        }
    }
    let milestones = r
        .milestones
        .iter()
        .map(|m| {
            let open = m.scenarios.iter().any(|s| !s.done);
            if m.due < case.today && open {
                RiskState::Late
            } else if m.components.iter().any(|k| ef[idx(k)] > m.due) {
                RiskState::AtRisk
            } else {
                RiskState::Ok
            }
        })
        .collect();
    let release_slack = pf.map(|pf| cal.between(pf, cal.on_or_before(r.release_date)));
    Reference {
        es,
        ef,
        ls,
        lf,
        float,
        eta_inconsistent: incons,
        plan_finish: pf,
        critical_path,
        waves,
        wave,
        deadline_slack,
        deps: dep_risk,
        freeze,
        milestones,
        release_slack,
    }
}

// ---------------------------------------------------------------------------
// Properties

fn check_against_reference(a: &Analysis, want: &Reference) -> Result<(), TestCaseError> {
    let got = |f: fn(&flotilla::schedule::ComponentSchedule) -> Date| -> Vec<Date> {
        a.components.iter().map(f).collect()
    };
    prop_assert_eq!(got(|c| c.es), want.es.clone(), "ES");
    prop_assert_eq!(got(|c| c.ef), want.ef.clone(), "EF");
    prop_assert_eq!(got(|c| c.ls), want.ls.clone(), "LS");
    prop_assert_eq!(got(|c| c.lf), want.lf.clone(), "LF");
    let float: Vec<i64> = a.components.iter().map(|c| c.total_float).collect();
    prop_assert_eq!(&float, &want.float, "float");
    let critical: Vec<bool> = a.components.iter().map(|c| c.critical).collect();
    let want_critical: Vec<bool> = want.float.iter().map(|&f| f == 0).collect();
    prop_assert_eq!(critical, want_critical, "critical set");
    prop_assert_eq!(a.plan_finish, want.plan_finish);
    prop_assert_eq!(&a.critical_path, &want.critical_path, "critical path");
    prop_assert_eq!(&a.waves, &want.waves, "waves");
    let wave: Vec<u32> = a.components.iter().map(|c| c.wave).collect();
    prop_assert_eq!(&wave, &want.wave);
    let incons: Vec<bool> = a.components.iter().map(|c| c.eta_inconsistent).collect();
    prop_assert_eq!(&incons, &want.eta_inconsistent, "eta");
    let slack: Vec<i64> = a.components.iter().map(|c| c.deadline_slack).collect();
    prop_assert_eq!(&slack, &want.deadline_slack, "deadline slack");
    let deps: Vec<_> = a
        .dependencies
        .iter()
        .map(|d| (d.state, d.slack_days))
        .collect();
    prop_assert_eq!(&deps, &want.deps, "dependencies");
    let freeze: Vec<_> = a
        .freeze
        .iter()
        .map(|f| (f.component.to_string(), f.kind, f.by_days))
        .collect();
    prop_assert_eq!(&freeze, &want.freeze, "freeze");
    let ms: Vec<_> = a.milestones.iter().map(|m| m.state).collect();
    prop_assert_eq!(&ms, &want.milestones, "milestones");
    prop_assert_eq!(a.release_slack, want.release_slack);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(3000) })]

    /// Earliest and latest dates, float, the critical set and path, waves and
    /// every risk finding agree with the day-by-day reference.
    #[test]
    fn schedule_matches_the_brute_force_reference(case in case()) {
        let a = analyze(&case.calendar, &case.release, case.today).unwrap();
        let want = reference(&case, &vec![0; case.release.components.len()]);
        check_against_reference(&a, &want)?;

        // Invariants that hold for every plan.
        let cal = Cal(&case.calendar);
        for c in &a.components {
            for x in [c.es, c.ef, c.ls, c.lf] {
                prop_assert!(cal.working(x), "{} is not a working day", x);
            }
            prop_assert!(c.es <= c.ef && c.ls <= c.lf && c.total_float >= 0);
            prop_assert!(Some(c.lf) <= a.plan_finish);
        }
        for w in a.critical_path.windows(2) {
            prop_assert!(a.dependencies.iter().any(|d| d.from == w[0] && d.to == w[1] && d.critical));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(1000) })]

    /// A slip is the reference run with that many more working days on the
    /// component's finish; its own finish moves by exactly that much.
    #[test]
    fn what_if_matches_the_reference(case in case(), pick in any::<prop::sample::Index>(), days in 0u32..6) {
        let n = case.release.components.len();
        let c = pick.index(n);
        let key = case.release.components[c].key.clone();
        let mut slip = vec![0i64; n];
        slip[c] = i64::from(days);
        let before = reference(&case, &vec![0; n]);
        let after = reference(&case, &slip);
        let w = what_if(&case.calendar, &case.release, case.today, &[(key.clone(), days)]).unwrap();
        let cal = Cal(&case.calendar);
        prop_assert_eq!(w.plan_finish.before, before.plan_finish);
        prop_assert_eq!(w.plan_finish.after, after.plan_finish);
        prop_assert_eq!(w.plan_finish.by_days, cal.between(before.plan_finish.unwrap(), after.plan_finish.unwrap()));
        prop_assert_eq!(cal.between(before.ef[c], after.ef[c]), i64::from(days));
        prop_assert_eq!(&w.critical_path_after, &after.critical_path);
        let moved: Vec<_> = (0..n)
            .filter(|&i| before.es[i] != after.es[i] || before.ef[i] != after.ef[i] || (before.float[i] == 0) != (after.float[i] == 0))
            .map(|i| (case.release.components[i].key.clone(), after.es[i], after.ef[i], cal.between(before.ef[i], after.ef[i])))
            .collect();
        let got: Vec<_> = w.components.iter().map(|m| (m.key.to_string(), m.es_after, m.ef_after, m.finish_moved_by)).collect();
        prop_assert_eq!(got, moved);
        // Nothing moves earlier.
        prop_assert!(w.components.iter().all(|m| m.start_moved_by >= 0 && m.finish_moved_by >= 0));
        let changed_ms: Vec<_> = (0..case.release.milestones.len())
            .filter(|&m| before.milestones[m] != after.milestones[m])
            .map(|m| (format!("m{m}"), after.milestones[m]))
            .collect();
        let got_ms: Vec<_> = w.milestones.iter().filter(|m| m.state_before != m.state_after).map(|m| (m.key.to_string(), m.state_after)).collect();
        prop_assert_eq!(got_ms, changed_ms);
    }

    /// A dependency that closes a loop is an error naming a real cycle.
    #[test]
    fn a_cycle_is_reported_never_a_panic(
        case in case(),
        a in any::<prop::sample::Index>(),
        b in any::<prop::sample::Index>(),
    ) {
        let mut release = case.release.clone();
        let a = a.index(release.components.len());
        // Everything a reaches (a itself included); a dependency from any of
        // them back to a closes a loop.
        let mut reach = vec![release.components[a].key.clone()];
        let mut i = 0;
        while i < reach.len() {
            let here = reach[i].clone();
            for d in release.dependencies.iter().filter(|d| d.from == here) {
                if !reach.contains(&d.to) {
                    reach.push(d.to.clone());
                }
            }
            i += 1;
        }
        let kb = reach[b.index(reach.len())].clone();
        let ka = reach[0].clone();
        release.dependencies.push(Dependency { from: kb, to: ka, needed_by: None, buffer_days: None, lag_days: None });
        let e = analyze(&case.calendar, &release, case.today).unwrap_err();
        let flotilla::Error::Invalid(problems) = &e else { panic!("{e:?}") };
        prop_assert_eq!(problems[0].code, "cycle");
        let cycle: Vec<&str> = problems[0].message.strip_prefix("dependency cycle: ").unwrap().split(" -> ").collect();
        prop_assert!(cycle.len() >= 2 && cycle.first() == cycle.last());
        for w in cycle.windows(2) {
            prop_assert!(release.dependencies.iter().any(|d| d.from == w[0] && d.to == w[1]), "{} -> {} is no dependency", w[0], w[1]);
        }
    }
}
