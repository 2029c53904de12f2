//! Delivery metrics over every release in the workspace: the four that the
//! seeds and DORA name (deployment frequency, lead time for changes, change
//! failure rate, time to restore) from the run journal, and what only a plan
//! can say (schedule accuracy, buffer use, dependencies that surfaced late)
//! from each release's post-release review. Each figure carries the sentence
//! that says how it is computed ([`DEFINITIONS`]); trends are per calendar
//! quarter.
//!
//! The workspace has one environment per runbook: every run counts as a
//! production deployment. A run that rolled back (or could not finish its
//! rollback) or stopped failed is a failed change.

use super::review::{day_of, review_of, run_journal, Delays, Review};
use crate::error::Result;
use crate::plan::Date;
use crate::store::{RunRecord, RunState, StepState, Store};
use serde::Serialize;
use std::collections::BTreeMap;

/// How each figure is computed, in the order they are shown.
pub const DEFINITIONS: &[(&str, &str)] = &[
    (
        "deployments",
        "Runs of a runbook that succeeded, by the day they started.",
    ),
    (
        "deployments_per_week",
        "Deployments divided by the weeks from the first day counted (--since, else the first run) to today, at least one week.",
    ),
    (
        "lead_time_days",
        "For each component: calendar days from its done_on to the finish of the first successful run of its release that deployed it; the median.",
    ),
    (
        "change_failure_rate",
        "Finished runs that rolled back, could not finish rolling back, or failed, over all finished runs.",
    ),
    (
        "time_to_restore_minutes",
        "For each failed run: minutes from its first failed step to the run's end (rolled back or stopped); the median.",
    ),
    (
        "schedule_error_days",
        "For each shipped release: working days from its release date to the day it shipped (negative: early); the mean.",
    ),
    (
        "buffer_use",
        "Over dependencies with a needed-by date: buffer days used over buffer days planned; and how many buffers were too small (the blocker finished after needed-by).",
    ),
    (
        "late_dependencies",
        "Dependencies added after the feature freeze of their release.",
    ),
];

/// The figures of one span of time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Figures {
    pub deployments: usize,
    pub deployments_per_week: Option<f64>,
    pub lead_time_days: Option<f64>,
    pub lead_time_samples: usize,
    pub runs_finished: usize,
    pub runs_failed: usize,
    pub change_failure_rate: Option<f64>,
    pub time_to_restore_minutes: Option<f64>,
    pub releases_shipped: usize,
    pub releases_on_time: usize,
    pub schedule_error_days: Option<f64>,
    pub buffers: usize,
    pub buffers_too_small: usize,
    pub buffer_days_planned: i64,
    pub buffer_days_used: i64,
    pub late_dependencies: usize,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Quarter {
    /// `2025-Q1`.
    pub quarter: String,
    pub figures: Figures,
}

/// One release's part in the figures.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ReleaseFacts {
    pub release: String,
    pub release_date: Date,
    pub shipped_on: Option<Date>,
    pub schedule_error_days: Option<i64>,
    pub runs: usize,
    pub runs_failed: usize,
    pub buffers: usize,
    pub buffers_too_small: usize,
    pub late_dependencies: usize,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Definition {
    pub figure: String,
    pub how: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Metrics {
    pub today: Date,
    pub since: Option<Date>,
    pub team: Option<String>,
    pub overall: Figures,
    pub quarters: Vec<Quarter>,
    pub releases: Vec<ReleaseFacts>,
    pub definitions: Vec<Definition>,
}

fn quarter_of(d: Date) -> String {
    use chrono::Datelike;
    format!("{}-Q{}", d.0.year(), d.0.month0() / 3 + 1)
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    })
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// The raw samples of one span, before they are summed up.
#[derive(Default)]
struct Samples {
    deployments: usize,
    lead: Vec<f64>,
    finished: usize,
    failed: usize,
    restore: Vec<f64>,
    shipped: usize,
    on_time: usize,
    error: Vec<f64>,
    buffers: usize,
    too_small: usize,
    planned: i64,
    used: i64,
    late: usize,
}

impl Samples {
    fn figures(self, weeks: Option<f64>) -> Figures {
        Figures {
            deployments: self.deployments,
            deployments_per_week: weeks
                .filter(|w| *w > 0.0)
                .map(|w| self.deployments as f64 / w),
            lead_time_samples: self.lead.len(),
            lead_time_days: median(self.lead),
            runs_finished: self.finished,
            runs_failed: self.failed,
            change_failure_rate: (self.finished > 0)
                .then(|| self.failed as f64 / self.finished as f64),
            time_to_restore_minutes: median(self.restore),
            releases_shipped: self.shipped,
            releases_on_time: self.on_time,
            schedule_error_days: mean(&self.error),
            buffers: self.buffers,
            buffers_too_small: self.too_small,
            buffer_days_planned: self.planned,
            buffer_days_used: self.used,
            late_dependencies: self.late,
        }
    }
}

fn is_failure(s: RunState) -> bool {
    matches!(
        s,
        RunState::RolledBack | RunState::RollbackIncomplete | RunState::Failed
    )
}

/// The delivery metrics of the workspace as of `today`: runs started and
/// releases due on or after `since`; with `team`, only the releases the team
/// has components in, and only its components' lead times.
pub fn metrics(
    store: &Store,
    today: Date,
    since: Option<Date>,
    team: Option<&str>,
) -> Result<Metrics> {
    let ws = store.workspace()?;
    if let Some(t) = team {
        if !ws.teams.iter().any(|x| x.key == t) {
            return Err(crate::error::Error::NotFound {
                what: "team",
                key: t.to_string(),
            });
        }
    }
    let calendar = ws.calendar.clone().unwrap_or_default();
    let cal = crate::schedule::WorkCalendar::new(&calendar)?;
    let all_runs = store.runs()?;
    let mut overall = Samples::default();
    let mut by_quarter: BTreeMap<String, Samples> = BTreeMap::new();
    let mut releases = Vec::new();
    let mut first_run: Option<Date> = None;

    for summary in store.releases()? {
        let current = store.load_release(&summary.key)?;
        if let Some(t) = team {
            if !current.components.iter().any(|c| c.team == t) {
                continue;
            }
        }
        let runs: Vec<&RunRecord> = all_runs
            .iter()
            .filter(|r| r.release_key == current.key)
            .filter(|r| since.is_none_or(|s| day_of(&r.started_at).is_some_and(|d| d >= s)))
            .collect();
        let (steps_of, reviews): (Vec<_>, Vec<_>) = runs
            .iter()
            .map(|r| run_journal(store, r))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .unzip();
        let history = store.history(Some(&current.key), None, super::HISTORY_ROWS)?;
        let review: Review = review_of(
            &calendar,
            &current,
            &history,
            reviews,
            today,
            None,
            Delays::Skipped,
        )?;

        // Runs: deployments, failures, time to restore.
        let (mut n_runs, mut n_failed) = (0, 0);
        for (r, steps) in runs.iter().zip(&steps_of) {
            let Some(started) = day_of(&r.started_at) else {
                continue;
            };
            first_run = Some(first_run.map_or(started, |f| f.min(started)));
            let q = by_quarter.entry(quarter_of(started)).or_default();
            if r.state == RunState::Succeeded {
                overall.deployments += 1;
                q.deployments += 1;
            }
            if r.finished_at.is_none() {
                continue;
            }
            n_runs += 1;
            overall.finished += 1;
            q.finished += 1;
            if is_failure(r.state) {
                n_failed += 1;
                overall.failed += 1;
                q.failed += 1;
                let failed_at = steps
                    .iter()
                    .filter(|s| super::review::step_failed(s))
                    .filter_map(|s| s.finished_at.as_deref())
                    .filter_map(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .min();
                let end = r
                    .finished_at
                    .as_deref()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
                if let (Some(a), Some(b)) = (failed_at, end) {
                    let minutes = (b - a).num_milliseconds() as f64 / 60_000.0;
                    overall.restore.push(minutes.max(0.0));
                    q.restore.push(minutes.max(0.0));
                }
            }
        }

        // Lead time: done to deployed by the first successful run.
        let deployed = runs
            .iter()
            .zip(&steps_of)
            .filter(|(r, _)| r.state == RunState::Succeeded)
            .filter_map(|(r, steps)| Some((day_of(r.finished_at.as_deref()?)?, steps)))
            .min_by_key(|(d, _)| *d);
        if let Some((on, steps)) = deployed {
            for c in &current.components {
                if team.is_some_and(|t| c.team != t) {
                    continue;
                }
                let Some(done) = c.done_on else { continue };
                let was_deployed = steps
                    .iter()
                    .any(|s| s.step_id == c.key && s.state == StepState::Succeeded);
                if !was_deployed {
                    continue;
                }
                let days = (on.0 - done.0).num_days().max(0) as f64;
                overall.lead.push(days);
                by_quarter
                    .entry(quarter_of(on))
                    .or_default()
                    .lead
                    .push(days);
            }
        }

        // What only the plan knows, by the quarter of the release date.
        let q = by_quarter
            .entry(quarter_of(current.release_date))
            .or_default();
        let error = review
            .shipped_on
            .map(|s| cal.working_days_between(current.release_date, s));
        if since.is_none_or(|s| current.release_date >= s) {
            if let Some(e) = error {
                for x in [&mut overall, &mut *q] {
                    x.shipped += 1;
                    x.on_time += usize::from(e <= 0);
                    x.error.push(e as f64);
                }
            }
            let small = review.buffers.iter().filter(|b| b.too_small).count();
            let planned: i64 = review
                .buffers
                .iter()
                .map(|b| i64::from(b.buffer_days))
                .sum();
            let used: i64 = review.buffers.iter().map(|b| b.used_days).sum();
            let late = review
                .surprises
                .iter()
                .filter(|s| s.entity == "dependency")
                .count();
            for x in [&mut overall, &mut *q] {
                x.buffers += review.buffers.len();
                x.too_small += small;
                x.planned += planned;
                x.used += used;
                x.late += late;
            }
            releases.push(ReleaseFacts {
                release: current.key.clone(),
                release_date: current.release_date,
                shipped_on: review.shipped_on,
                schedule_error_days: error,
                runs: n_runs,
                runs_failed: n_failed,
                buffers: review.buffers.len(),
                buffers_too_small: small,
                late_dependencies: late,
            });
        }
    }

    let from = since.or(first_run);
    let weeks = from.map(|f| ((today.0 - f.0).num_days().max(7)) as f64 / 7.0);
    Ok(Metrics {
        today,
        since,
        team: team.map(str::to_string),
        overall: overall.figures(weeks),
        quarters: by_quarter
            .into_iter()
            .map(|(quarter, s)| Quarter {
                quarter,
                figures: s.figures(Some(13.0)),
            })
            .collect(),
        releases,
        definitions: DEFINITIONS
            .iter()
            .map(|(f, h)| Definition {
                figure: f.to_string(),
                how: h.to_string(),
            })
            .collect(),
    })
}
