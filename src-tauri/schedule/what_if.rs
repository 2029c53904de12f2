//! What-if: slip components by some working days, recompute, and report what
//! moves and by how much.
//!
//! A slip of `n` moves the component's finish `n` working days later, by the
//! rule that fixes it: `n` more working days of duration; an eta `n` working
//! days later (an eta found before ES stays ignored, and the duration grows);
//! for a done component, reopened work that ends `n` working days after its
//! done date. Its start never moves, so its finish always moves by exactly `n`.

use super::analysis::out_of_range;
use super::passes::{self, Passes};
use super::risk::{self, FreezeKind, RiskState};
use super::{critical::critical_path, Prepared};
use crate::error::Result;
use crate::plan::{Calendar, Date, Release};
use serde::Serialize;

/// What slipping some components does to a release.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct WhatIf<'r> {
    pub release: &'r str,
    pub today: Date,
    /// The slips applied, one per component (a key named twice is summed).
    pub slips: Vec<Slip<'r>>,
    pub plan_finish: PlanFinishMove,
    pub critical_path_before: Vec<&'r str>,
    pub critical_path_after: Vec<&'r str>,
    /// Components whose ES or EF moved, or that became or stopped being
    /// critical, in plan order.
    pub components: Vec<ComponentMove<'r>>,
    /// Dependencies whose state or needed-by slack changed.
    pub dependencies: Vec<DependencyChange<'r>>,
    /// Milestones whose state or finish changed.
    pub milestones: Vec<MilestoneChange<'r>>,
    /// Freeze breaches that appeared, went away or changed size.
    pub freeze: Vec<FreezeChange<'r>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Slip<'r> {
    pub component: &'r str,
    /// Working days.
    pub days: u32,
}

/// The plan finish and its position against the release date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct PlanFinishMove {
    pub before: Option<Date>,
    pub after: Option<Date>,
    /// Working days the plan finish moved (positive: later).
    pub by_days: i64,
    pub release_date: Date,
    /// Working days from the plan finish to the release date (negative: the
    /// plan finishes after it), before and after the slip.
    pub release_slack_before: Option<i64>,
    pub release_slack_after: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct ComponentMove<'r> {
    pub key: &'r str,
    pub team: &'r str,
    pub es_before: Date,
    pub es_after: Date,
    pub ef_before: Date,
    pub ef_after: Date,
    /// Working days ES and EF moved (positive: later).
    pub start_moved_by: i64,
    pub finish_moved_by: i64,
    pub float_before: i64,
    pub float_after: i64,
    pub critical_before: bool,
    pub critical_after: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DependencyChange<'r> {
    pub from: &'r str,
    pub to: &'r str,
    pub state_before: RiskState,
    pub state_after: RiskState,
    /// Working days from EF(from) to `needed_by`.
    pub slack_before: Option<i64>,
    pub slack_after: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct MilestoneChange<'r> {
    pub key: &'r str,
    pub state_before: RiskState,
    pub state_after: RiskState,
    pub finish_before: Option<Date>,
    pub finish_after: Option<Date>,
    /// Working days the milestone's finish moved.
    pub moved_by: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FreezeChange<'r> {
    pub component: &'r str,
    pub kind: FreezeKind,
    /// Working days past the freeze; `null` when not past it.
    pub by_days_before: Option<i64>,
    pub by_days_after: Option<i64>,
}

/// Slips each `(component key, n)` by `n` working days and reports what moves.
/// An unknown key is `Error::NotFound`; the release fails as in
/// [`super::analyze`].
pub fn what_if<'r>(
    calendar: &Calendar,
    release: &'r Release,
    today: Date,
    slips: &[(String, u32)],
) -> Result<WhatIf<'r>> {
    let prepared = Prepared::new(calendar, release)?;
    let slip = prepared.slip_days(slips)?;
    let before = passes::run(&prepared.net, &prepared.inputs, None);
    let after = passes::run(&prepared.net, &prepared.inputs, Some(&slip));
    prepared.what_if(&before, &after, &slip, slips, today)
}

impl<'r> Prepared<'r> {
    fn what_if(
        &self,
        a: &Passes,
        b: &Passes,
        slip: &[i64],
        asked: &[(String, u32)],
        today: Date,
    ) -> Result<WhatIf<'r>> {
        let (release, net, inputs) = (self.release, &self.net, &self.inputs);
        // A slip moves nothing earlier: every date lies between the first ES
        // before it and the plan finish after it.
        let first = a.es.iter().copied().min().unwrap_or(0);
        let table = self.cal.table(
            first,
            b.finish.max(a.finish).unwrap_or(first),
            2 * net.len(),
        );
        let date = |w: i64| table.date(w).ok_or_else(out_of_range);
        let opt_date = |w: Option<i64>| w.map(date).transpose();

        let mut slips: Vec<Slip<'r>> = Vec::new();
        for c in asked.iter().filter_map(|(key, _)| net.index.get(key)) {
            let c = c as usize;
            if !slips.iter().any(|s| s.component == net.keys[c]) {
                let days = u32::try_from(slip[c]).unwrap_or(u32::MAX);
                slips.push(Slip {
                    component: net.keys[c],
                    days,
                });
            }
        }

        let mut components = Vec::new();
        let mut freeze = Vec::new();
        for c in 0..net.len() {
            let moved = a.es[c] != b.es[c] || a.ef[c] != b.ef[c];
            if moved || a.critical(c) != b.critical(c) {
                components.push(ComponentMove {
                    key: net.keys[c],
                    team: net.teams[c],
                    es_before: date(a.es[c])?,
                    es_after: date(b.es[c])?,
                    ef_before: date(a.ef[c])?,
                    ef_after: date(b.ef[c])?,
                    start_moved_by: b.es[c] - a.es[c],
                    finish_moved_by: b.ef[c] - a.ef[c],
                    float_before: a.float(c),
                    float_after: b.float(c),
                    critical_before: a.critical(c),
                    critical_after: b.critical(c),
                });
            }
            for (kind, at) in [
                (FreezeKind::FeatureFreeze, inputs.feature_freeze),
                (FreezeKind::CodeFreeze, inputs.code_freeze),
            ] {
                let (x, y) = (risk::breach(a.ef[c], at), risk::breach(b.ef[c], at));
                if x != y {
                    freeze.push(FreezeChange {
                        component: net.keys[c],
                        kind,
                        by_days_before: x,
                        by_days_after: y,
                    });
                }
            }
        }

        let mut dependencies = Vec::new();
        for e in 0..net.from.len() {
            let f = net.from[e] as usize;
            let x = risk::dependency(a.ef[f], inputs.needed_by[e], net.buffer[e]);
            let y = risk::dependency(b.ef[f], inputs.needed_by[e], net.buffer[e]);
            if x != y {
                dependencies.push(DependencyChange {
                    from: net.keys[f],
                    to: net.keys[net.to[e] as usize],
                    state_before: x.0,
                    state_after: y.0,
                    slack_before: x.1,
                    slack_after: y.1,
                });
            }
        }

        let mut milestones = Vec::new();
        for (m, ms) in release.milestones.iter().enumerate() {
            let (fa, fb) = (self.milestone_finish(a, m), self.milestone_finish(b, m));
            let state =
                |f| risk::milestone(f, inputs.due[m], ms.due < today, inputs.scenarios_done[m]);
            let (sa, sb) = (state(fa), state(fb));
            if fa != fb || sa != sb {
                milestones.push(MilestoneChange {
                    key: &ms.key,
                    state_before: sa,
                    state_after: sb,
                    finish_before: opt_date(fa)?,
                    finish_after: opt_date(fb)?,
                    moved_by: fb.zip(fa).map_or(0, |(y, x)| y - x),
                });
            }
        }

        let keys = |p: &Passes| -> Vec<&'r str> {
            critical_path(net, p)
                .into_iter()
                .map(|c| net.keys[c as usize])
                .collect()
        };
        Ok(WhatIf {
            release: &release.key,
            today,
            slips,
            plan_finish: PlanFinishMove {
                before: opt_date(a.finish)?,
                after: opt_date(b.finish)?,
                by_days: b.finish.zip(a.finish).map_or(0, |(y, x)| y - x),
                release_date: release.release_date,
                release_slack_before: a.finish.map(|f| inputs.release_date - f),
                release_slack_after: b.finish.map(|f| inputs.release_date - f),
            },
            critical_path_before: keys(a),
            critical_path_after: keys(b),
            components,
            dependencies,
            milestones,
            freeze,
        })
    }
}
