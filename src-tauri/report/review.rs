//! The post-release review (the seeds' "T+1 week" review), drafted from the
//! workspace: planned against actual, what caused delays, buffers, surprise
//! dependencies, the checklist on release day, the run, and the seeds'
//! questions with the team's answers.
//!
//! How it works:
//! - The *baseline* is the release as it stood at the end of a chosen day
//!   (default: the feature freeze, else the release's start), rebuilt from
//!   the history (`as_of.rs`) and scheduled as of that day. *Actual* is the
//!   release scheduled now: a done component finishes on its `done_on`.
//! - Days lost on the critical path: the release is modelled with every
//!   component taking the working days it actually took (no pinned dates);
//!   then, one component at a time, it is given back its planned working
//!   days (a component added after the baseline is taken out) and the
//!   schedule is run again. The days the finish comes earlier are the days
//!   that component cost the release. A component off the critical path
//!   costs nothing, however much it slipped. Each is listed with its ETA
//!   changes from the history and who made them.
//! - Buffer use: a dependency with a `needed_by` has `buffer_days` of
//!   buffer; what its actual slack leaves of it is used, a negative slack is
//!   an overrun and the buffer was too small.
//! - Surprises: dependencies (and components) added after the feature freeze
//!   (the baseline day when there is none), from the history.
//! - The checklist as it stood at the end of release day, rebuilt as the
//!   baseline is; runs started with `--force` past open items are named.
//! - The run: per wave, the expected minutes (the slowest step's
//!   `expected_minutes`) against the minutes from the wave's first start to
//!   its last finish; failed and rolled-back steps.

use super::as_of::release_as_of;
use super::EtaMove;
use crate::error::Result;
use crate::plan::{Answer, Calendar, Date, Release};
use crate::runbook::parse_runbook;
use crate::schedule::{analyze, WorkCalendar};
use crate::store::{Change, RunState, StepState, Store};
use serde::Serialize;

/// The seeds' questions, by heading.
pub const QUESTIONS: &[(&str, &[&str])] = &[
    (
        "Timeline",
        &[
            "Did we hit our dates?",
            "What caused delays?",
            "Were buffers adequate?",
        ],
    ),
    (
        "Dependencies",
        &[
            "Were all dependencies identified early?",
            "Did any surprise dependencies emerge?",
            "Was communication sufficient?",
        ],
    ),
    (
        "Integration",
        &[
            "Did integration testing catch issues?",
            "What escaped to production?",
            "Was staging environment adequate?",
        ],
    ),
    (
        "Process",
        &[
            "Was the release checklist complete?",
            "Did communication cadence work?",
            "What would we do differently?",
        ],
    ),
];

/// The post-release review of one release.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Review {
    pub release: String,
    pub name: String,
    pub today: Date,
    /// The day whose end the baseline is the plan as of.
    pub baseline: Date,
    /// Why that day: `feature freeze`, `release start` or `chosen`.
    pub baseline_source: String,
    /// The release was created after the baseline day: the baseline is its
    /// first recorded state.
    pub baseline_is_first_state: bool,
    pub release_date: Date,
    pub planned_finish: Option<Date>,
    pub actual_finish: Option<Date>,
    /// Working days from the planned to the actual finish (negative: early).
    pub finish_slip_days: Option<i64>,
    /// When the first successful run of the release finished (UTC day).
    pub shipped_on: Option<Date>,
    pub components: Vec<ComponentReview>,
    pub milestones: Vec<MilestoneReview>,
    pub freezes: Vec<FreezeReview>,
    /// What caused delays, most days lost first.
    pub delays: Vec<Delay>,
    pub buffers: Vec<BufferUse>,
    pub surprises: Vec<Surprise>,
    pub checklist: Vec<ChecklistReview>,
    pub runs: Vec<RunReview>,
    /// Each component's ETA over time, for the slip chart.
    pub slips: Vec<SlipSeries>,
    pub questions: Vec<QuestionGroup>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ComponentReview {
    pub key: String,
    pub title: String,
    pub team: String,
    /// The baseline's start and finish; none for a component added after it.
    pub planned_start: Option<Date>,
    pub planned: Option<Date>,
    pub actual_start: Date,
    pub actual: Date,
    pub done: bool,
    /// Working days from planned to actual (negative: early).
    pub slip_days: Option<i64>,
    pub critical: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MilestoneReview {
    pub key: String,
    pub name: String,
    pub due: Date,
    pub planned: Option<Date>,
    pub actual: Option<Date>,
    pub slip_days: Option<i64>,
    /// The actual finish is on or before the due day.
    pub met: Option<bool>,
    pub scenarios_done: usize,
    pub scenarios_total: usize,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FreezeReview {
    /// `feature_freeze` or `code_freeze`.
    pub kind: String,
    pub date: Date,
    /// Components the baseline already had finishing after it.
    pub planned_breaches: Vec<String>,
    /// Components that actually finished after it.
    pub actual_breaches: Vec<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Delay {
    pub component: String,
    pub team: String,
    /// Working days the release finished later because of this component.
    pub days_lost: i64,
    /// Added after the baseline (its whole length is the delay).
    pub added_after_baseline: bool,
    pub eta_changes: Vec<EtaMove>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BufferUse {
    pub from: String,
    pub to: String,
    pub needed_by: Date,
    pub buffer_days: u32,
    pub planned_slack: Option<i64>,
    pub actual_slack: Option<i64>,
    /// Buffer days eaten (0 to `buffer_days`).
    pub used_days: i64,
    /// Working days past `needed_by` (the buffer was too small by this much).
    pub overrun_days: i64,
    pub too_small: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Surprise {
    /// `dependency` or `component`.
    pub entity: String,
    pub key: String,
    pub actor: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ChecklistReview {
    pub text: String,
    pub owner: Option<String>,
    pub gate: bool,
    /// Done at the end of release day.
    pub done_on_release_day: bool,
    pub done_now: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RunReview {
    pub id: String,
    pub state: RunState,
    pub actor: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// Started past open pre-flight items (`--force`).
    pub forced: bool,
    pub reason: Option<String>,
    pub waves: Vec<WaveReview>,
    pub failed_steps: Vec<String>,
    pub rolled_back_steps: Vec<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct WaveReview {
    pub number: u32,
    /// The slowest step's `expected_minutes`; none when no step has one.
    pub expected_minutes: Option<u32>,
    /// From the wave's first start to its last finish.
    pub actual_minutes: Option<f64>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SlipSeries {
    pub component: String,
    /// The earliest `needed_by` of the dependencies out of it.
    pub needed_by: Option<Date>,
    /// The ETA from each day it was set on (the baseline's first).
    pub points: Vec<SlipPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SlipPoint {
    pub on: Date,
    pub eta: Option<Date>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct QuestionGroup {
    pub heading: String,
    pub questions: Vec<Answered>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Answered {
    pub question: String,
    pub answer: Option<String>,
}

/// The end of `day` as the history's times sort: rows at or after this are
/// later than the day.
fn after_day(day: Date) -> String {
    Date(day.0 + chrono::Days::new(1)).to_string()
}

/// The UTC day of an RFC 3339 time, as the journal and the history write them.
pub(super) fn day_of(rfc3339: &str) -> Option<Date> {
    Date::parse(rfc3339.get(..10)?).ok()
}

/// The post-release review of `release` as of `today`, against the plan as it
/// stood at the end of `baseline` (default: the feature freeze, else the
/// release's start).
pub fn review(store: &Store, release: &str, today: Date, baseline: Option<Date>) -> Result<Review> {
    let current = store.load_release(release)?;
    let calendar = store.workspace()?.calendar.unwrap_or_default();
    // Newest first, as the history lists them.
    let history = store.history(Some(release), None, super::HISTORY_ROWS)?;
    let runs: Vec<_> = store
        .runs()?
        .into_iter()
        .filter(|r| r.release_key == current.key)
        .collect();
    let run_reviews = runs
        .iter()
        .map(|r| run_journal(store, r).map(|(_, review)| review))
        .collect::<Result<Vec<_>>>()?;
    review_of(
        &calendar,
        &current,
        &history,
        run_reviews,
        today,
        baseline,
        Delays::Ranked,
    )
}

/// Whether a review ranks what caused delays: a schedule per component that
/// slipped, which the delivery metrics, reading only the buffers, surprises
/// and shipping day, do without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delays {
    Ranked,
    Skipped,
}

/// The review from its parts (the history newest first).
pub fn review_of(
    calendar: &Calendar,
    current: &Release,
    history: &[Change],
    runs: Vec<RunReview>,
    today: Date,
    baseline: Option<Date>,
    ranking: Delays,
) -> Result<Review> {
    let (baseline, baseline_source) = match (baseline, current.feature_freeze) {
        (Some(d), _) => (d, "chosen"),
        (None, Some(f)) => (f, "feature freeze"),
        (None, None) => (current.start, "release start"),
    };
    let cut = after_day(baseline);
    let newer: Vec<Change> = history
        .iter()
        .filter(|c| c.at.as_str() >= cut.as_str())
        .cloned()
        .collect();
    let base = release_as_of(current, &newer)?;
    let cal = WorkCalendar::new(calendar)?;
    let planned = analyze(calendar, &base.release, baseline)?;
    let actual = analyze(calendar, current, today)?;
    let wd = |a: Date, b: Date| cal.working_days_between(a, b);

    let components: Vec<ComponentReview> = actual
        .components
        .iter()
        .map(|a| {
            let c = current
                .component(a.key)
                .expect("scheduled from the release");
            let pc = planned.component(a.key);
            let p = pc.map(|p| p.ef);
            ComponentReview {
                key: a.key.to_string(),
                title: c.title.clone(),
                team: c.team.clone(),
                planned_start: pc.map(|p| p.es),
                planned: p,
                actual_start: a.es,
                actual: a.ef,
                done: a.done,
                slip_days: p.map(|p| wd(p, a.ef)),
                critical: a.critical,
            }
        })
        .collect();

    let milestones = current
        .milestones
        .iter()
        .zip(&actual.milestones)
        .map(|(m, a)| {
            let p = planned
                .milestones
                .iter()
                .find(|p| p.key == m.key)
                .and_then(|p| p.finish);
            MilestoneReview {
                key: m.key.clone(),
                name: m.name.clone(),
                due: m.due,
                planned: p,
                actual: a.finish,
                slip_days: p.zip(a.finish).map(|(p, f)| wd(p, f)),
                met: a.finish.map(|f| f <= m.due),
                scenarios_done: a.scenarios_done,
                scenarios_total: a.scenarios_total,
            }
        })
        .collect();

    let mut freezes = Vec::new();
    for (kind, date) in [
        ("feature_freeze", current.feature_freeze),
        ("code_freeze", current.code_freeze),
    ] {
        let Some(date) = date else { continue };
        let keys = |a: &crate::schedule::Analysis| -> Vec<String> {
            a.freeze
                .iter()
                .filter(|f| f.kind.as_str() == kind)
                .map(|f| f.component.to_string())
                .collect()
        };
        freezes.push(FreezeReview {
            kind: kind.to_string(),
            date,
            planned_breaches: keys(&planned),
            actual_breaches: keys(&actual),
        });
    }

    let delays = match ranking {
        Delays::Ranked => delays(
            calendar,
            &cal,
            current,
            &base.release,
            &actual,
            &planned,
            &newer,
        )?,
        Delays::Skipped => Vec::new(),
    };

    let buffers = actual
        .dependencies
        .iter()
        .filter_map(|d| {
            let needed_by = d.needed_by?;
            let planned_slack = planned
                .dependencies
                .iter()
                .find(|p| p.from == d.from && p.to == d.to)
                .and_then(|p| p.slack_days);
            let slack = d.slack_days;
            let b = i64::from(d.buffer_days);
            let s = slack.unwrap_or(0);
            Some(BufferUse {
                from: d.from.to_string(),
                to: d.to.to_string(),
                needed_by,
                buffer_days: d.buffer_days,
                planned_slack,
                actual_slack: slack,
                used_days: (b - s).clamp(0, b),
                overrun_days: (-s).max(0),
                too_small: s < 0,
            })
        })
        .collect();

    let surprise_cut = after_day(current.feature_freeze.unwrap_or(baseline));
    let mut surprises: Vec<Surprise> = history
        .iter()
        .filter(|c| {
            c.at.as_str() >= surprise_cut.as_str()
                && c.field.is_none()
                && c.old.is_none()
                && c.new.is_some()
                && (c.entity == "dependency" || c.entity == "component")
                && present(current, &c.entity, &c.key)
        })
        .map(|c| Surprise {
            entity: c.entity.clone(),
            key: c.key.clone(),
            actor: c.actor.clone(),
            at: c.at.clone(),
        })
        .collect();
    surprises.reverse();

    let release_day_cut = after_day(current.release_date);
    let on_the_day: Vec<Change> = history
        .iter()
        .filter(|c| c.at.as_str() >= release_day_cut.as_str())
        .cloned()
        .collect();
    let then = release_as_of(current, &on_the_day)?.release;
    let checklist = current
        .checklist
        .iter()
        .map(|i| ChecklistReview {
            text: i.text.clone(),
            owner: i.owner.clone(),
            gate: i.gate,
            done_on_release_day: then.checklist.iter().any(|t| t.text == i.text && t.done),
            done_now: i.done,
        })
        .collect();

    let slips = slip_series(current, &base.release, baseline, history);

    let answer = |q: &str| -> Option<String> {
        current
            .retrospective
            .iter()
            .find(|a: &&Answer| a.question.trim() == q)
            .map(|a| a.answer.clone())
            .filter(|a| !a.trim().is_empty())
    };
    let mut questions: Vec<QuestionGroup> = QUESTIONS
        .iter()
        .map(|(h, qs)| QuestionGroup {
            heading: h.to_string(),
            questions: qs
                .iter()
                .map(|q| Answered {
                    question: q.to_string(),
                    answer: answer(q),
                })
                .collect(),
        })
        .collect();
    // Questions the team added of its own.
    let own: Vec<Answered> = current
        .retrospective
        .iter()
        .filter(|a| {
            !QUESTIONS
                .iter()
                .any(|(_, qs)| qs.contains(&a.question.trim()))
        })
        .map(|a| Answered {
            question: a.question.clone(),
            answer: Some(a.answer.clone()).filter(|a| !a.trim().is_empty()),
        })
        .collect();
    if !own.is_empty() {
        questions.push(QuestionGroup {
            heading: "Our own questions".into(),
            questions: own,
        });
    }

    let shipped_on = runs
        .iter()
        .filter(|r| r.state == RunState::Succeeded)
        .filter_map(|r| r.finished_at.as_deref().and_then(day_of))
        .min();

    Ok(Review {
        release: current.key.clone(),
        name: current.name.clone(),
        today,
        baseline,
        baseline_source: baseline_source.to_string(),
        baseline_is_first_state: base.created_after,
        release_date: current.release_date,
        planned_finish: planned.plan_finish,
        actual_finish: actual.plan_finish,
        finish_slip_days: planned
            .plan_finish
            .zip(actual.plan_finish)
            .map(|(p, a)| wd(p, a)),
        shipped_on,
        components,
        milestones,
        freezes,
        delays,
        buffers,
        surprises,
        checklist,
        runs,
        slips,
        questions,
    })
}

fn present(r: &Release, entity: &str, key: &str) -> bool {
    match entity {
        "component" => r.component(key).is_some(),
        _ => r
            .dependencies
            .iter()
            .any(|d| format!("{}->{}", d.from, d.to) == key),
    }
}

/// What each component cost the release's finish (see the module doc).
fn delays(
    calendar: &Calendar,
    cal: &WorkCalendar,
    current: &Release,
    base: &Release,
    actual: &crate::schedule::Analysis,
    planned: &crate::schedule::Analysis,
    newer: &[Change],
) -> Result<Vec<Delay>> {
    let took = |a: &crate::schedule::Analysis, key: &str| -> Option<u32> {
        a.component(key)
            .map(|c| (cal.working_days_between(c.es, c.ef) + 1).max(1) as u32)
    };
    // Every component as long as it actually took, nothing pinned.
    let mut model = current.clone();
    for c in &mut model.components {
        c.duration_days = took(actual, &c.key).unwrap_or(c.duration_days);
        c.eta = None;
        c.done_on = None;
    }
    let today = actual.today;
    let Some(finish) = analyze(calendar, &model, today)?.plan_finish else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for c in &current.components {
        let added = base.component(&c.key).is_none();
        let mut what_if = model.clone();
        if added {
            what_if.components.retain(|x| x.key != c.key);
            what_if
                .dependencies
                .retain(|d| d.from != c.key && d.to != c.key);
            for m in &mut what_if.milestones {
                m.components.retain(|k| *k != c.key);
            }
        } else {
            let (Some(plan), Some(real)) = (took(planned, &c.key), took(actual, &c.key)) else {
                continue;
            };
            if plan >= real {
                continue;
            }
            let i = what_if
                .components
                .iter()
                .position(|x| x.key == c.key)
                .expect("the model has every component");
            what_if.components[i].duration_days = plan;
        }
        let Some(sooner) = analyze(calendar, &what_if, today)?.plan_finish else {
            continue;
        };
        let lost = cal.working_days_between(sooner, finish);
        if lost <= 0 {
            continue;
        }
        let eta_changes = newer
            .iter()
            .rev()
            .filter(|h| {
                h.entity == "component" && h.key == c.key && h.field.as_deref() == Some("eta")
            })
            .map(|h| {
                let (old, new) = (super::history_date(&h.old), super::history_date(&h.new));
                EtaMove {
                    component: c.key.clone(),
                    team: Some(c.team.clone()),
                    by_days: old.zip(new).map(|(o, n)| (n.0 - o.0).num_days()),
                    old,
                    new,
                    actor: h.actor.clone(),
                    at: h.at.clone(),
                }
            })
            .collect();
        out.push(Delay {
            component: c.key.clone(),
            team: c.team.clone(),
            days_lost: lost,
            added_after_baseline: added,
            eta_changes,
        });
    }
    out.sort_by_key(|d| std::cmp::Reverse(d.days_lost));
    Ok(out)
}

/// Each component's ETA from the baseline day on: its baseline ETA, then
/// each change of it (the last of a day counts).
fn slip_series(
    current: &Release,
    base: &Release,
    baseline: Date,
    history: &[Change],
) -> Vec<SlipSeries> {
    let cut = after_day(baseline);
    current
        .components
        .iter()
        .map(|c| {
            let mut points = vec![SlipPoint {
                on: baseline,
                eta: base.component(&c.key).and_then(|b| b.eta),
            }];
            for h in history.iter().rev().filter(|h| {
                h.at.as_str() >= cut.as_str()
                    && h.entity == "component"
                    && h.key == c.key
                    && h.field.as_deref() == Some("eta")
            }) {
                let Some(on) = day_of(&h.at) else { continue };
                let eta = super::history_date(&h.new);
                match points.last_mut() {
                    Some(last) if last.on == on => last.eta = eta,
                    _ => points.push(SlipPoint { on, eta }),
                }
            }
            SlipSeries {
                component: c.key.clone(),
                needed_by: current
                    .dependencies
                    .iter()
                    .filter(|d| d.from == c.key)
                    .filter_map(|d| d.needed_by)
                    .min(),
                points,
            }
        })
        .collect()
}

/// A run's steps as the journal has them, and the run as the review tells
/// it (with the expected minutes of the runbook it ran).
pub(super) fn run_journal(
    store: &Store,
    run: &crate::store::RunRecord,
) -> Result<(Vec<crate::store::StepRecord>, RunReview)> {
    let steps = store.run_steps(&run.id)?;
    let runbook = parse_runbook(&store.run_runbook(&run.id)?).ok();
    let review = run_review(run, &steps, runbook.as_ref());
    Ok((steps, review))
}

/// One run as the review tells it.
pub fn run_review(
    r: &crate::store::RunRecord,
    steps: &[crate::store::StepRecord],
    runbook: Option<&crate::runbook::Runbook>,
) -> RunReview {
    use chrono::DateTime;
    let time = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
    };
    let mut numbers: Vec<u32> = steps.iter().map(|s| s.wave).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let waves = numbers
        .into_iter()
        .map(|n| {
            let in_wave: Vec<_> = steps.iter().filter(|s| s.wave == n).collect();
            let first = in_wave.iter().filter_map(|s| time(&s.started_at)).min();
            let last = in_wave.iter().filter_map(|s| time(&s.finished_at)).max();
            let expected = runbook.and_then(|rb| {
                let w = rb.waves.iter().find(|w| w.number == n)?;
                let (m, unknown) = rb.expected_minutes(|s| w.steps.iter().any(|x| x.id == s.id));
                (m > 0 || unknown == 0).then_some(m).filter(|m| *m > 0)
            });
            WaveReview {
                number: n,
                expected_minutes: expected,
                actual_minutes: first
                    .zip(last)
                    .map(|(a, b)| ((b - a).num_milliseconds() as f64 / 60_000.0).max(0.0)),
            }
        })
        .collect();
    RunReview {
        id: r.id.clone(),
        state: r.state,
        actor: r.actor.clone(),
        started_at: r.started_at.clone(),
        finished_at: r.finished_at.clone(),
        forced: r.forced,
        reason: r.reason.clone(),
        waves,
        failed_steps: steps
            .iter()
            .filter(|s| step_failed(s))
            .map(|s| s.step_id.clone())
            .collect(),
        rolled_back_steps: steps
            .iter()
            .filter(|s| s.state == StepState::RolledBack && !step_failed(s))
            .map(|s| s.step_id.clone())
            .collect(),
    }
}

/// Did the step fail? Failed, or rolled back afterwards: a failed step is
/// rolled back too and keeps its failure's message, which a step rolled back
/// after it succeeded does not have.
pub fn step_failed(s: &crate::store::StepRecord) -> bool {
    match s.state {
        StepState::Failed => true,
        StepState::RolledBack | StepState::RollbackFailed | StepState::RollbackManual => s
            .message
            .as_deref()
            .is_some_and(|m| !m.starts_with("rollback failed")),
        _ => false,
    }
}
