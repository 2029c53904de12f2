//! The schedule of a release as the CLI, the UI and the exports read it
//! (`analyze --json`, spec/cli.md), and how it is assembled from the passes.
//!
//! Every list is in plan order unless it says otherwise; component `i` of
//! [`Analysis::components`] is component `i` of the release. Keys borrow from
//! the release, so an analysis costs no string copies. Working-day counts are
//! signed: negative slack means late.

use super::calendar::{DateTable, WorkDay};
use super::critical::critical_path;
use super::passes::{Finish, Passes};
use super::risk::{self, FreezeKind, RiskState};
use super::waves::waves;
use super::Prepared;
use crate::error::{Code, Error, Result};
use crate::plan::Date;
use serde::Serialize;

/// The schedule of one release.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Analysis<'r> {
    /// The release's key.
    pub release: &'r str,
    /// The day "in the past" was judged by (milestones).
    pub today: Date,
    /// The release's own dates, as given.
    pub start: Date,
    pub feature_freeze: Option<Date>,
    pub code_freeze: Option<Date>,
    pub release_date: Date,
    /// PF: the largest earliest finish; `null` for a release without components.
    pub plan_finish: Option<Date>,
    /// Working days from `plan_finish` to `release_date` (negative: the plan
    /// finishes after the release date).
    pub release_slack: Option<i64>,
    /// How many of each finding, for lists and badges.
    pub counts: Counts,
    /// One critical path, first component first (see docs/scheduling.md).
    pub critical_path: Vec<&'r str>,
    pub components: Vec<ComponentSchedule<'r>>,
    pub dependencies: Vec<DependencySchedule<'r>>,
    pub milestones: Vec<MilestoneRisk<'r>>,
    /// Freeze breaches, by component (plan order), feature freeze first.
    pub freeze: Vec<FreezeBreach<'r>>,
    /// Deployment waves in order; each in deployment order (slot, then key).
    pub waves: Vec<Vec<&'r str>>,
}

/// Totals over an [`Analysis`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, schemars::JsonSchema)]
pub struct Counts {
    pub components: usize,
    pub critical: usize,
    /// Late dependencies plus late milestones.
    pub late: usize,
    /// At-risk dependencies plus at-risk milestones.
    pub at_risk: usize,
    pub dependencies_late: usize,
    pub dependencies_at_risk: usize,
    pub milestones_late: usize,
    pub milestones_at_risk: usize,
    /// Components finishing after the code freeze.
    pub code_freeze_breaches: usize,
    /// Components finishing after the feature freeze.
    pub past_feature_freeze: usize,
    /// Components whose eta is before their earliest start.
    pub eta_inconsistent: usize,
}

/// One component's dates (all working days) and float.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ComponentSchedule<'r> {
    pub key: &'r str,
    pub team: &'r str,
    /// Earliest start and finish (forward pass), latest start and finish
    /// (backward pass); finishes are inclusive.
    pub es: Date,
    pub ef: Date,
    pub ls: Date,
    pub lf: Date,
    /// Working days from ES to LS; 0 on the critical path.
    pub total_float: i64,
    pub critical: bool,
    /// Working days from EF to the code freeze (or the release date without
    /// one); negative when the component finishes after it.
    pub deadline_slack: i64,
    /// Working days from ES to EF, both included.
    pub duration: i64,
    /// The planned `duration_days`.
    pub duration_days: u32,
    /// Finished: EF is its `done_on`.
    pub done: bool,
    /// The eta is before ES: EF comes from the duration instead.
    pub eta_inconsistent: bool,
    /// The deployment wave, from 1.
    pub wave: u32,
}

/// One dependency, `from` blocks `to`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DependencySchedule<'r> {
    pub from: &'r str,
    pub to: &'r str,
    pub state: RiskState,
    pub needed_by: Option<Date>,
    pub buffer_days: u32,
    pub lag_days: u32,
    /// Working days from EF(from) to `needed_by` (negative: late by that many).
    pub slack_days: Option<i64>,
    /// Both ends critical and this dependency fixes `to`'s start.
    pub critical: bool,
}

/// One integration milestone.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MilestoneRisk<'r> {
    pub key: &'r str,
    pub state: RiskState,
    pub due: Date,
    /// The largest EF of its components.
    pub finish: Option<Date>,
    /// Working days from `finish` to `due` (negative: finishes after it).
    pub slack_days: Option<i64>,
    pub scenarios_done: usize,
    pub scenarios_total: usize,
}

/// A component finishing after a freeze.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FreezeBreach<'r> {
    pub component: &'r str,
    pub kind: FreezeKind,
    /// The freeze date, as given.
    pub date: Date,
    /// Working days EF is after the freeze.
    pub by_days: i64,
}

pub(crate) fn out_of_range() -> Error {
    Error::invalid(
        Code::OutOfRange,
        "",
        "the schedule runs past the last representable date",
    )
}

impl<'r> Prepared<'r> {
    /// Converts the working days of a schedule (from its first ES to PF) to
    /// dates, for about `uses` conversions.
    pub(crate) fn dates(&self, p: &Passes, uses: usize) -> DateTable<'_> {
        let first = p.es.iter().copied().min().unwrap_or(0);
        self.cal.table(first, p.finish.unwrap_or(first), uses)
    }

    /// Assembles the public schedule from both passes.
    pub(crate) fn analysis(&self, p: &Passes, today: Date) -> Result<Analysis<'r>> {
        let (release, net, inputs) = (self.release, &self.net, &self.inputs);
        let table = self.dates(p, 4 * net.len());
        let date = |w: WorkDay| table.date(w).ok_or_else(out_of_range);
        let plan_finish = p.finish.map(date).transpose()?;
        let deadline = inputs.code_freeze.unwrap_or(inputs.release_date);
        let (wave, wave_keys) = waves(net, release);
        let mut counts = Counts {
            components: net.len(),
            ..Counts::default()
        };

        let mut components = Vec::with_capacity(net.len());
        let mut freeze = Vec::new();
        // The flat arrays only: a `Component` is large, and reading its fields
        // for 10,000 components costs more than the passes.
        for (c, (&key, &team)) in net.keys.iter().zip(&net.teams).enumerate() {
            let critical = p.critical(c);
            counts.critical += usize::from(critical);
            counts.eta_inconsistent += usize::from(p.eta_inconsistent[c]);
            components.push(ComponentSchedule {
                key,
                team,
                es: date(p.es[c])?,
                ef: date(p.ef[c])?,
                ls: date(p.ls[c])?,
                lf: date(p.lf[c])?,
                total_float: p.float(c),
                critical,
                deadline_slack: deadline - p.ef[c],
                duration: p.duration(c),
                duration_days: inputs.duration[c] as u32,
                done: matches!(inputs.finish[c], Finish::Done(_)),
                eta_inconsistent: p.eta_inconsistent[c],
                wave: wave[c],
            });
            let freezes = [
                (
                    FreezeKind::FeatureFreeze,
                    inputs.feature_freeze,
                    release.feature_freeze,
                ),
                (
                    FreezeKind::CodeFreeze,
                    inputs.code_freeze,
                    release.code_freeze,
                ),
            ];
            for (kind, at, date) in freezes {
                if let (Some(by_days), Some(date)) = (risk::breach(p.ef[c], at), date) {
                    match kind {
                        FreezeKind::FeatureFreeze => counts.past_feature_freeze += 1,
                        FreezeKind::CodeFreeze => counts.code_freeze_breaches += 1,
                    }
                    freeze.push(FreezeBreach {
                        component: key,
                        kind,
                        date,
                        by_days,
                    });
                }
            }
        }

        let mut dependencies = Vec::with_capacity(net.from.len());
        for e in 0..net.from.len() {
            let (f, t) = (net.from[e] as usize, net.to[e] as usize);
            let (state, slack_days) = risk::dependency(p.ef[f], inputs.needed_by[e], net.buffer[e]);
            counts.dependencies_late += usize::from(state == RiskState::Late);
            counts.dependencies_at_risk += usize::from(state == RiskState::AtRisk);
            dependencies.push(DependencySchedule {
                from: net.keys[f],
                to: net.keys[t],
                state,
                needed_by: net.needed_by[e],
                buffer_days: net.buffer[e] as u32,
                lag_days: net.lag[e] as u32,
                slack_days,
                critical: p.critical(f) && p.critical(t) && p.gap(net, e) == 0,
            });
        }

        let mut milestones = Vec::with_capacity(release.milestones.len());
        for (m, ms) in release.milestones.iter().enumerate() {
            let finish = self.milestone_finish(p, m);
            let state = risk::milestone(
                finish,
                inputs.due[m],
                ms.due < today,
                inputs.scenarios_done[m],
            );
            counts.milestones_late += usize::from(state == RiskState::Late);
            counts.milestones_at_risk += usize::from(state == RiskState::AtRisk);
            milestones.push(MilestoneRisk {
                key: &ms.key,
                state,
                due: ms.due,
                finish: finish.map(date).transpose()?,
                slack_days: finish.map(|f| inputs.due[m] - f),
                scenarios_done: ms.scenarios.iter().filter(|s| s.done).count(),
                scenarios_total: ms.scenarios.len(),
            });
        }
        counts.late = counts.dependencies_late + counts.milestones_late;
        counts.at_risk = counts.dependencies_at_risk + counts.milestones_at_risk;

        Ok(Analysis {
            release: &release.key,
            today,
            start: release.start,
            feature_freeze: release.feature_freeze,
            code_freeze: release.code_freeze,
            release_date: release.release_date,
            plan_finish,
            release_slack: p.finish.map(|f| inputs.release_date - f),
            counts,
            critical_path: critical_path(net, p)
                .into_iter()
                .map(|c| net.keys[c as usize])
                .collect(),
            components,
            dependencies,
            milestones,
            freeze,
            waves: wave_keys,
        })
    }

    /// The largest EF among milestone `m`'s components.
    pub(crate) fn milestone_finish(&self, p: &Passes, m: usize) -> Option<WorkDay> {
        self.net.members(m).iter().map(|&c| p.ef[c as usize]).max()
    }
}

impl<'r> Analysis<'r> {
    /// The schedule of the component with this key.
    pub fn component(&self, key: &str) -> Option<&ComponentSchedule<'r>> {
        self.components.iter().find(|c| c.key == key)
    }
}
