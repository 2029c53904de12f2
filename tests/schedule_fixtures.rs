//! The rules of shared spec/schedule.md, one small named fixture each, drawn
//! as text. January 2025: Monday the 6th, 13th, 20th and 27th; February 3rd.
//! A row reads "ES EF LS LF float" as MM-DD dates.

mod schedule_support;

use flotilla::plan::Date;
use flotilla::schedule::{analyze, what_if, Analysis, FreezeKind, RiskState};
use flotilla::Error;
use schedule_support::{d, fixture, Fixture};

fn run(f: &Fixture) -> Analysis<'_> {
    run_on(f, "2025-01-06")
}

fn run_on<'f>(f: &'f Fixture, today: &str) -> Analysis<'f> {
    analyze(&f.calendar, &f.release, d(today)).unwrap()
}

fn md(x: Date) -> String {
    x.to_string()[5..].to_string()
}

/// "ES EF LS LF float" of one component.
fn row(a: &Analysis, key: &str) -> String {
    let c = a
        .component(key)
        .unwrap_or_else(|| panic!("no component {key}"));
    format!(
        "{} {} {} {} {}",
        md(c.es),
        md(c.ef),
        md(c.ls),
        md(c.lf),
        c.total_float
    )
}

fn critical<'r>(a: &Analysis<'r>) -> Vec<&'r str> {
    a.components
        .iter()
        .filter(|c| c.critical)
        .map(|c| c.key)
        .collect()
}

fn dep_state(a: &Analysis, from: &str, to: &str) -> (RiskState, Option<i64>) {
    let x = a
        .dependencies
        .iter()
        .find(|x| x.from == from && x.to == to)
        .unwrap();
    (x.state, x.slack_days)
}

fn milestone(a: &Analysis, key: &str) -> RiskState {
    a.milestones.iter().find(|m| m.key == key).unwrap().state
}

// ---- Calendar ----

#[test]
fn chain() {
    let f = fixture("a(5) -> b(3) -> c(2)");
    let a = run(&f);
    assert_eq!(row(&a, "a"), "01-06 01-10 01-06 01-10 0");
    assert_eq!(row(&a, "b"), "01-13 01-15 01-13 01-15 0");
    assert_eq!(row(&a, "c"), "01-16 01-17 01-16 01-17 0");
    assert_eq!(a.plan_finish, Some(d("2025-01-17")));
    assert_eq!(a.critical_path, ["a", "b", "c"]);
    assert_eq!(a.waves, vec![vec!["a"], vec!["b"], vec!["c"]]);
    assert!(a
        .dependencies
        .iter()
        .all(|x| x.critical && x.state == RiskState::Ok));
}

#[test]
fn holiday_in_the_middle_is_skipped() {
    let f = fixture(
        "holiday 2025-01-08
         a(5) -> b(2)
         c(1)
         c: start 2025-01-08",
    );
    let a = run(&f);
    // 6, 7, (8 off), 9, 10, 13.
    assert_eq!(row(&a, "a"), "01-06 01-13 01-06 01-13 0");
    assert_eq!(row(&a, "b"), "01-14 01-15 01-14 01-15 0");
    // A start on the holiday moves to the next working day.
    assert_eq!(row(&a, "c"), "01-09 01-09 01-15 01-15 4");
    assert_eq!(a.component("a").unwrap().duration, 5);
}

#[test]
fn weekend_start_moves_to_monday_and_duration_one_finishes_the_same_day() {
    let f = fixture(
        "release start 2025-01-04
         a(1) -> b(8)
         c(1)
         c: start 2025-01-12",
    );
    let a = run(&f);
    assert_eq!(row(&a, "a"), "01-06 01-06 01-06 01-06 0");
    assert_eq!(row(&a, "b"), "01-07 01-16 01-07 01-16 0");
    assert_eq!(row(&a, "c"), "01-13 01-13 01-16 01-16 3");
    assert_eq!(
        a.start,
        d("2025-01-04"),
        "the release's own date is reported as given"
    );
}

#[test]
fn other_working_weeks() {
    // Sunday to Thursday: Friday 10 Jan moves to Sunday 12 Jan.
    let f = fixture(
        "workdays sun mon tue wed thu
         release start 2025-01-10
         a(3) -> b(2)",
    );
    let a = run(&f);
    assert_eq!(row(&a, "a"), "01-12 01-14 01-12 01-14 0");
    assert_eq!(row(&a, "b"), "01-15 01-16 01-15 01-16 0");
    let f = fixture(
        "workdays sun mon tue wed thu
         release start 2025-01-10
         a(4)",
    );
    assert_eq!(row(&run(&f), "a"), "01-12 01-15 01-12 01-15 0");
    let f = fixture("workdays\na(1)");
    let e = analyze(&f.calendar, &f.release, d("2025-01-06")).unwrap_err();
    assert_eq!(e.code(), "bad_value");
}

// ---- Forward pass ----

#[test]
fn diamond() {
    let f = fixture(
        "a(2) -> b(5) -> d(1)
         a -> c(2) -> d",
    );
    let a = run(&f);
    assert_eq!(row(&a, "a"), "01-06 01-07 01-06 01-07 0");
    assert_eq!(row(&a, "b"), "01-08 01-14 01-08 01-14 0");
    assert_eq!(row(&a, "c"), "01-08 01-09 01-13 01-14 3");
    assert_eq!(row(&a, "d"), "01-15 01-15 01-15 01-15 0");
    assert_eq!(critical(&a), ["a", "b", "d"]);
    assert_eq!(a.critical_path, ["a", "b", "d"]);
    assert_eq!(a.waves, vec![vec!["a"], vec!["b", "c"], vec!["d"]]);
    let crit: Vec<_> = a
        .dependencies
        .iter()
        .map(|x| (x.from, x.to, x.critical))
        .collect();
    assert_eq!(
        crit,
        [
            ("a", "b", true),
            ("b", "d", true),
            ("a", "c", false),
            ("c", "d", false)
        ]
    );
}

#[test]
fn parallel_chains() {
    let f = fixture(
        "a(3) -> b(2)
         c(2) -> d(2)
         e(1)",
    );
    let a = run(&f);
    assert_eq!(row(&a, "a"), "01-06 01-08 01-06 01-08 0");
    assert_eq!(row(&a, "b"), "01-09 01-10 01-09 01-10 0");
    assert_eq!(row(&a, "c"), "01-06 01-07 01-07 01-08 1");
    assert_eq!(row(&a, "d"), "01-08 01-09 01-09 01-10 1");
    assert_eq!(row(&a, "e"), "01-06 01-06 01-10 01-10 4");
    assert_eq!(critical(&a), ["a", "b"]);
    assert_eq!(a.critical_path, ["a", "b"]);
    assert_eq!(a.waves, vec![vec!["a", "c", "e"], vec!["b", "d"]]);
}

#[test]
fn own_start_later_than_the_release_start() {
    let f = fixture(
        "a(2) -> b(2)
         b: start 2025-01-13",
    );
    let a = run(&f);
    assert_eq!(row(&a, "b"), "01-13 01-14 01-13 01-14 0");
    // The start constraint, not a, fixes b: a has float, the path is b alone.
    assert_eq!(row(&a, "a"), "01-06 01-07 01-09 01-10 3");
    assert_eq!(a.critical_path, ["b"]);
    // An own start before the release start does not pull a component earlier.
    let f = fixture(
        "release start 2025-01-08
         x(1)
         x: start 2025-01-06",
    );
    assert_eq!(row(&run(&f), "x"), "01-08 01-08 01-08 01-08 0");
}

#[test]
fn lags_count_working_days_after_the_first_working_day() {
    let f = fixture(
        "a(2) -2-> b(3)
         a -> c(1)",
    );
    let a = run(&f);
    // a ends Tue 7; the first working day after is Wed 8; + 2 = Fri 10.
    assert_eq!(row(&a, "b"), "01-10 01-14 01-10 01-14 0");
    // LF(a) = the working day before LS(b) moved back by the lag: 10 -> 9 -> 7.
    assert_eq!(row(&a, "a"), "01-06 01-07 01-06 01-07 0");
    assert_eq!(row(&a, "c"), "01-08 01-08 01-14 01-14 4");
    assert_eq!(a.critical_path, ["a", "b"]);
    // A lag over a weekend and a holiday: Thu 9 -> Fri 10, + 3 = Thu 16 (Tue 14 off).
    let f = fixture(
        "holiday 2025-01-14
         c(4) -3-> d(1)",
    );
    let a = run(&f);
    assert_eq!(row(&a, "c"), "01-06 01-09 01-06 01-09 0");
    assert_eq!(row(&a, "d"), "01-16 01-16 01-16 01-16 0");
}

#[test]
fn eta_after_the_computed_finish_is_used() {
    let f = fixture(
        "a(3) -> b(2) -> c(1)
         b: eta 2025-01-15",
    );
    let a = run(&f);
    assert_eq!(row(&a, "b"), "01-09 01-15 01-09 01-15 0");
    let b = a.component("b").unwrap();
    assert_eq!(
        (b.duration, b.duration_days, b.eta_inconsistent),
        (5, 2, false)
    );
    assert_eq!(row(&a, "c"), "01-16 01-16 01-16 01-16 0");
}

#[test]
fn eta_before_the_computed_finish_but_not_before_the_start_is_used() {
    let f = fixture(
        "a(3) -> b(4)
         b: eta 2025-01-09",
    );
    let a = run(&f);
    assert_eq!(row(&a, "b"), "01-09 01-09 01-09 01-09 0");
    assert_eq!(a.component("b").unwrap().duration, 1);
}

#[test]
fn eta_before_the_start_is_inconsistent_and_the_duration_counts() {
    let f = fixture(
        "a(3) -> b(2)
         b: eta 2025-01-07",
    );
    let a = run(&f);
    assert_eq!(row(&a, "b"), "01-09 01-10 01-09 01-10 0");
    assert!(a.component("b").unwrap().eta_inconsistent);
    assert_eq!(a.counts.eta_inconsistent, 1);
}

#[test]
fn eta_on_a_weekend_moves_to_the_next_working_day() {
    let f = fixture("a(2)\na: eta 2025-01-11");
    assert_eq!(row(&run(&f), "a"), "01-06 01-13 01-06 01-13 0");
}

#[test]
fn done_component_finishes_on_its_done_date() {
    let f = fixture(
        "a(5) -> b(2)
         a: done 2025-01-08 eta 2025-01-20",
    );
    let a = run(&f);
    assert_eq!(row(&a, "a"), "01-06 01-08 01-06 01-08 0");
    assert_eq!(row(&a, "b"), "01-09 01-10 01-09 01-10 0");
    let c = a.component("a").unwrap();
    assert!(c.done && !c.eta_inconsistent);
    assert_eq!(c.duration, 3);
}

#[test]
fn done_ahead_of_its_computed_start_takes_its_done_day_only() {
    // b was done on Tue 7, before a finished: ES = EF = 01-07.
    let f = fixture(
        "a(2) -> b(3) -> c(1)
         b: done 2025-01-07",
    );
    let a = run(&f);
    assert_eq!(row(&a, "b"), "01-07 01-07 01-07 01-07 0");
    assert_eq!(a.component("b").unwrap().duration, 1);
    assert_eq!(row(&a, "c"), "01-08 01-08 01-08 01-08 0");
    // The broken dependency a -> b does not limit a: its float runs to PF.
    assert_eq!(row(&a, "a"), "01-06 01-07 01-07 01-08 1");
    assert_eq!(a.critical_path, ["b", "c"]);
    // Done before the release even started: PF may be before the release start.
    let f = fixture("x(2)\nx: done 2025-01-02");
    let a = run(&f);
    assert_eq!(row(&a, "x"), "01-02 01-02 01-02 01-02 0");
    assert_eq!(a.plan_finish, Some(d("2025-01-02")));
    assert_eq!(a.critical_path, ["x"]);
}

// ---- Backward pass ----

#[test]
fn latest_dates_use_the_effective_duration() {
    // b's eta makes it 5 working days; c has float against it.
    let f = fixture(
        "a(1) -> b(2)
         a -> c(1)
         b: eta 2025-01-13",
    );
    let a = run(&f);
    assert_eq!(row(&a, "b"), "01-07 01-13 01-07 01-13 0");
    assert_eq!(row(&a, "c"), "01-07 01-07 01-13 01-13 4");
    assert_eq!(row(&a, "a"), "01-06 01-06 01-06 01-06 0");
}

#[test]
fn float_counts_working_days_across_a_weekend() {
    let f = fixture(
        "a(7)
         b(1)",
    );
    let a = run(&f);
    // PF Tue 14; b can start as late as Tue 14: Mon 6 -> Tue 14 is 6 working days.
    assert_eq!(row(&a, "b"), "01-06 01-06 01-14 01-14 6");
}

#[test]
fn several_critical_paths_report_every_critical_component_and_one_path_by_key() {
    let f = fixture(
        "x(2) -> y(2)
         p(2) -> q(2)
         s(1)",
    );
    let a = run(&f);
    assert_eq!(critical(&a), ["x", "y", "p", "q"]);
    assert_eq!(a.critical_path, ["p", "q"]);
    assert_eq!(a.counts.critical, 4);
    // Two critical predecessors: the smaller key is chosen.
    let f = fixture(
        "n(2) -> z(1)
         m(2) -> z",
    );
    assert_eq!(run(&f).critical_path, ["m", "z"]);
}

#[test]
fn empty_release() {
    let f = fixture("");
    let a = run(&f);
    assert_eq!(a.plan_finish, None);
    assert_eq!(a.release_slack, None);
    assert!(a.critical_path.is_empty() && a.waves.is_empty() && a.components.is_empty());
}

// ---- Risk ----

#[test]
fn needed_by_missed_by_one_day_is_late() {
    let f = fixture(
        "a(5) -> b(1)
         a -> b: needed_by 2025-01-09 buffer 2",
    );
    let a = run(&f);
    assert_eq!(dep_state(&a, "a", "b"), (RiskState::Late, Some(-1)));
    assert_eq!((a.counts.late, a.counts.dependencies_late), (1, 1));
}

#[test]
fn needed_by_on_a_weekend_is_met_by_the_friday_before() {
    let f = fixture(
        "a(5) -> b(1)
         a -> b: needed_by 2025-01-11",
    );
    assert_eq!(dep_state(&run(&f), "a", "b"), (RiskState::Ok, Some(0)));
    // Finishing on the Monday after misses it.
    let f = fixture(
        "a(6) -> b(1)
         a -> b: needed_by 2025-01-11",
    );
    assert_eq!(dep_state(&run(&f), "a", "b"), (RiskState::Late, Some(-1)));
}

#[test]
fn finishing_inside_the_buffer_is_at_risk() {
    // a ends Fri 10. Needed by Tue 14 with 3 days of buffer: the buffer starts
    // after Thu 9, so Fri 10 eats into it.
    let f = fixture(
        "a(5) -> b(1)
         a -> b: needed_by 2025-01-14 buffer 3",
    );
    let a = run(&f);
    assert_eq!(dep_state(&a, "a", "b"), (RiskState::AtRisk, Some(2)));
    assert_eq!((a.counts.at_risk, a.counts.dependencies_at_risk), (1, 1));
    // With 2 days of buffer, Fri 10 is the last safe day.
    let f = fixture(
        "a(5) -> b(1)
         a -> b: needed_by 2025-01-14 buffer 2",
    );
    assert_eq!(dep_state(&run(&f), "a", "b"), (RiskState::Ok, Some(2)));
}

#[test]
fn without_a_buffer_a_dependency_is_ok_or_late_never_at_risk() {
    let f = fixture(
        "a(5) -> b(1)
         a -> b: needed_by 2025-01-10",
    );
    assert_eq!(dep_state(&run(&f), "a", "b"), (RiskState::Ok, Some(0)));
    let f = fixture(
        "a(5) -> b(1)
         a -> b: needed_by 2025-01-10 buffer 0",
    );
    assert_eq!(dep_state(&run(&f), "a", "b"), (RiskState::Ok, Some(0)));
}

#[test]
fn without_needed_by_a_dependency_is_ok() {
    let f = fixture("a(50) -> b(1)");
    assert_eq!(dep_state(&run(&f), "a", "b"), (RiskState::Ok, None));
}

#[test]
fn freeze_breaches() {
    let f = fixture(
        "release feature_freeze 2025-01-10 code_freeze 2025-01-14
         a(7)
         b(8)
         c(5)",
    );
    let a = run(&f);
    let breaches: Vec<_> = a
        .freeze
        .iter()
        .map(|x| (x.component, x.kind, x.by_days))
        .collect();
    assert_eq!(
        breaches,
        [
            ("a", FreezeKind::FeatureFreeze, 2),
            ("b", FreezeKind::FeatureFreeze, 3),
            ("b", FreezeKind::CodeFreeze, 1),
        ]
    );
    assert_eq!(
        (a.counts.past_feature_freeze, a.counts.code_freeze_breaches),
        (2, 1)
    );
    // Deadline slack runs to the code freeze.
    let slack: Vec<_> = a.components.iter().map(|c| c.deadline_slack).collect();
    assert_eq!(slack, [0, -1, 2]);
}

#[test]
fn a_freeze_on_a_saturday_is_met_by_the_friday_before() {
    let f = fixture(
        "release code_freeze 2025-01-11
         a(5)
         b(6)",
    );
    let a = run(&f);
    let breaches: Vec<_> = a.freeze.iter().map(|x| (x.component, x.by_days)).collect();
    assert_eq!(breaches, [("b", 1)]);
    assert_eq!(a.component("a").unwrap().deadline_slack, 0);
}

#[test]
fn deadline_slack_runs_to_the_release_date_without_a_code_freeze() {
    let f = fixture(
        "release release_date 2025-01-17
         a(3)
         b(12)",
    );
    let a = run(&f);
    assert_eq!(a.component("a").unwrap().deadline_slack, 7);
    assert_eq!(a.component("b").unwrap().deadline_slack, -2);
    assert!(a.freeze.is_empty());
    assert_eq!(a.release_slack, Some(-2));
}

#[test]
fn milestone_at_risk_when_a_component_finishes_after_its_due_date() {
    let f = fixture(
        "a(5)
         b(6)
         milestone ok due 2025-01-10 scenarios 0/2: a
         milestone risky due 2025-01-10 scenarios 0/2: a b",
    );
    let a = run(&f);
    assert_eq!(milestone(&a, "ok"), RiskState::Ok);
    assert_eq!(milestone(&a, "risky"), RiskState::AtRisk);
    let m = &a.milestones[1];
    assert_eq!((m.finish, m.slack_days), (Some(d("2025-01-13")), Some(-1)));
    assert_eq!(a.counts.milestones_at_risk, 1);
}

#[test]
fn milestone_late_when_past_due_with_open_scenarios() {
    let f = fixture(
        "a(5)
         milestone open due 2025-01-10 scenarios 1/2: a
         milestone tested due 2025-01-10 scenarios 2/2: a
         milestone untested due 2025-01-10: a",
    );
    // Due today is not in the past.
    let a = run_on(&f, "2025-01-10");
    assert_eq!(milestone(&a, "open"), RiskState::Ok);
    let a = run_on(&f, "2025-01-13");
    assert_eq!(milestone(&a, "open"), RiskState::Late);
    assert_eq!(milestone(&a, "tested"), RiskState::Ok);
    // Without scenarios nothing is open: never late.
    assert_eq!(milestone(&a, "untested"), RiskState::Ok);
    assert_eq!((a.counts.milestones_late, a.counts.late), (1, 1));
    // Late wins over at risk.
    let f = fixture(
        "a(9)
         milestone m due 2025-01-10 scenarios 0/1: a",
    );
    assert_eq!(milestone(&run_on(&f, "2025-01-20"), "m"), RiskState::Late);
}

// ---- Waves ----

#[test]
fn waves_order_by_slot_then_key_and_teams_without_a_slot_last() {
    let f = fixture(
        "slots backend api
         x(1) -> v(1)
         y(1)
         z(1)
         w(1)
         x: team web
         y: team api
         z: team backend
         w: team backend
         v: team api",
    );
    let a = run(&f);
    assert_eq!(a.waves, vec![vec!["w", "z", "y", "x"], vec!["v"]]);
    let waves: Vec<_> = a.components.iter().map(|c| (c.key, c.wave)).collect();
    assert_eq!(waves, [("x", 1), ("v", 2), ("y", 1), ("z", 1), ("w", 1)]);
}

#[test]
fn a_wave_is_one_more_than_the_largest_wave_before_it() {
    let f = fixture(
        "a -> b -> c -> d
         a -> d
         e -> d",
    );
    let a = run(&f);
    assert_eq!(
        a.waves,
        vec![vec!["a", "e"], vec!["b"], vec!["c"], vec!["d"]]
    );
}

// ---- What-if ----

fn slips(s: &[(&str, u32)]) -> Vec<(String, u32)> {
    s.iter().map(|(k, n)| (k.to_string(), *n)).collect()
}

#[test]
fn what_if_a_critical_component_slips() {
    let f = fixture(
        "release code_freeze 2025-01-17
         a(5) -> b(3) -> c(2)
         d(1)
         b -> c: needed_by 2025-01-15 buffer 1
         milestone m due 2025-01-17 scenarios 0/1: c",
    );
    let w = what_if(
        &f.calendar,
        &f.release,
        d("2025-01-06"),
        &slips(&[("b", 2)]),
    )
    .unwrap();
    assert_eq!(w.plan_finish.before, Some(d("2025-01-17")));
    assert_eq!(w.plan_finish.after, Some(d("2025-01-21")));
    assert_eq!(w.plan_finish.by_days, 2);
    assert_eq!(
        w.plan_finish.release_slack_before.unwrap() - w.plan_finish.release_slack_after.unwrap(),
        2
    );
    let moved: Vec<_> = w
        .components
        .iter()
        .map(|c| (c.key, c.start_moved_by, c.finish_moved_by, md(c.ef_after)))
        .collect();
    assert_eq!(
        moved,
        [("b", 0, 2, "01-17".into()), ("c", 2, 2, "01-21".into())]
    );
    let deps: Vec<_> = w
        .dependencies
        .iter()
        .map(|x| (x.from, x.state_before, x.state_after))
        .collect();
    assert_eq!(deps, [("b", RiskState::AtRisk, RiskState::Late)]);
    let ms: Vec<_> = w
        .milestones
        .iter()
        .map(|m| (m.key, m.state_before, m.state_after, m.moved_by))
        .collect();
    assert_eq!(ms, [("m", RiskState::Ok, RiskState::AtRisk, 2)]);
    let fr: Vec<_> = w
        .freeze
        .iter()
        .map(|x| (x.component, x.kind, x.by_days_before, x.by_days_after))
        .collect();
    assert_eq!(fr, [("c", FreezeKind::CodeFreeze, None, Some(2))]);
    assert_eq!(w.critical_path_before, w.critical_path_after);
}

#[test]
fn what_if_a_component_slips_within_its_float() {
    let f = fixture(
        "a(2) -> b(5) -> d(1)
         a -> c(2) -> d",
    );
    let w = what_if(
        &f.calendar,
        &f.release,
        d("2025-01-06"),
        &slips(&[("c", 2)]),
    )
    .unwrap();
    assert_eq!(w.plan_finish.by_days, 0);
    assert_eq!(w.components.len(), 1);
    let c = &w.components[0];
    assert_eq!(
        (c.key, c.finish_moved_by, c.float_before, c.float_after),
        ("c", 2, 3, 1)
    );
    // Past its float, c becomes critical and b stays critical: two paths.
    let w = what_if(
        &f.calendar,
        &f.release,
        d("2025-01-06"),
        &slips(&[("c", 3)]),
    )
    .unwrap();
    assert!(w.components[0].critical_after && !w.components[0].critical_before);
    assert_eq!(w.critical_path_after, ["a", "b", "d"]);
    let w = what_if(
        &f.calendar,
        &f.release,
        d("2025-01-06"),
        &slips(&[("c", 4)]),
    )
    .unwrap();
    assert_eq!(w.critical_path_after, ["a", "c", "d"]);
    assert_eq!(w.plan_finish.by_days, 1);
    let b = w.components.iter().find(|c| c.key == "b").unwrap();
    assert!(b.critical_before && !b.critical_after && b.finish_moved_by == 0);
}

#[test]
fn what_if_moves_an_eta_a_done_date_and_sums_repeated_keys() {
    let f = fixture(
        "a(3) -> b(2)
         c(2)
         e(3)
         a: eta 2025-01-10
         c: done 2025-01-07
         e: eta 2025-01-02",
    );
    let s = slips(&[("a", 1), ("c", 3), ("a", 1), ("e", 1)]);
    let w = what_if(&f.calendar, &f.release, d("2025-01-06"), &s).unwrap();
    let slipped: Vec<_> = w.slips.iter().map(|x| (x.component, x.days)).collect();
    assert_eq!(slipped, [("a", 2), ("c", 3), ("e", 1)]);
    let ef: Vec<_> = w
        .components
        .iter()
        .map(|c| (c.key, md(c.ef_before), md(c.ef_after)))
        .collect();
    assert_eq!(
        ef,
        [
            ("a", "01-10".into(), "01-14".into()),
            ("b", "01-14".into(), "01-16".into()),
            ("c", "01-07".into(), "01-10".into()),
            // The eta before the start stays ignored; the duration grows by 1.
            ("e", "01-08".into(), "01-09".into()),
        ]
    );
}

#[test]
fn what_if_an_unknown_component_is_not_found() {
    let f = fixture("a(1)");
    let e = what_if(
        &f.calendar,
        &f.release,
        d("2025-01-06"),
        &slips(&[("nope", 1)]),
    )
    .unwrap_err();
    assert!(matches!(&e, Error::NotFound { what: "component", key } if key == "nope"));
    assert_eq!(e.exit_code(), 2);
}

#[test]
fn what_if_nothing_moves_with_a_zero_slip() {
    let f = fixture("a(2) -> b(2)");
    let w = what_if(
        &f.calendar,
        &f.release,
        d("2025-01-06"),
        &slips(&[("a", 0)]),
    )
    .unwrap();
    assert!(w.components.is_empty() && w.dependencies.is_empty() && w.freeze.is_empty());
    assert_eq!(w.plan_finish.by_days, 0);
}

// ---- Errors ----

#[test]
fn a_cycle_is_an_error_that_lists_it() {
    let f = fixture(
        "z(1) -> a(1) -> b(1) -> c(1) -> a
         c -> d(1)",
    );
    let e = analyze(&f.calendar, &f.release, d("2025-01-06")).unwrap_err();
    let Error::Invalid(problems) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, "cycle");
    assert_eq!(problems[0].path, "dependencies");
    assert_eq!(problems[0].message, "dependency cycle: a -> b -> c -> a");
    assert_eq!(e.exit_code(), 2);
    let f = fixture("a(1) -> a");
    let e = what_if(&f.calendar, &f.release, d("2025-01-06"), &[]).unwrap_err();
    assert_eq!(e.to_string(), "dependencies: dependency cycle: a -> a");
}

#[test]
fn unknown_and_duplicate_keys_are_errors_with_paths() {
    let mut f = fixture("a(1) -> b(1)");
    f.release.dependencies[0].to = "ghost".into();
    f.release.components.push(f.release.components[0].clone());
    f.release.components[1].duration_days = 0;
    let e = analyze(&f.calendar, &f.release, d("2025-01-06")).unwrap_err();
    let Error::Invalid(problems) = e else {
        panic!()
    };
    let got: Vec<_> = problems
        .iter()
        .map(|p| (p.code.as_str(), p.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("out_of_range", "components[1].duration_days"),
            ("duplicate_key", "components[2].key"),
            ("unknown_reference", "dependencies[0].to"),
        ]
    );
}

#[test]
fn a_schedule_past_the_last_date_is_an_error_not_a_panic() {
    let mut f = fixture("a(3650) -> b(3650)");
    f.release.start = Date(chrono::NaiveDate::from_ymd_opt(262_142, 12, 1).unwrap());
    let e = analyze(&f.calendar, &f.release, d("2025-01-06")).unwrap_err();
    assert_eq!(e.code(), "out_of_range");
}

#[test]
fn the_json_has_the_fields_of_the_cli_spec() {
    let f = fixture(
        "release code_freeze 2025-01-08
         a(2) -> b(3)
         a -> b: needed_by 2025-01-06
         milestone m due 2025-01-07: b",
    );
    let a = run(&f);
    let v = serde_json::to_value(&a).unwrap();
    for field in [
        "release",
        "plan_finish",
        "critical_path",
        "components",
        "dependencies",
        "milestones",
        "freeze",
        "waves",
    ] {
        assert!(v.get(field).is_some(), "{field}");
    }
    let c = &v["components"][1];
    assert_eq!(c["key"], "b");
    assert_eq!(c["es"], "2025-01-08");
    assert_eq!(c["ef"], "2025-01-10");
    for field in [
        "team",
        "ls",
        "lf",
        "total_float",
        "critical",
        "deadline_slack",
    ] {
        assert!(c.get(field).is_some(), "{field}");
    }
    assert_eq!(v["dependencies"][0]["state"], "late");
    assert_eq!(v["milestones"][0]["state"], "at_risk");
    assert_eq!(
        v["freeze"][0],
        serde_json::json!({"component": "b", "kind": "code_freeze", "date": "2025-01-08", "by_days": 2})
    );
    assert_eq!(v["waves"], serde_json::json!([["a"], ["b"]]));
    assert_eq!(v["plan_finish"], "2025-01-10");
}
