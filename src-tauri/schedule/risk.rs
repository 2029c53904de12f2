//! The risk rules of spec/schedule.md on working-day ordinals: dependency
//! states, freeze breaches, milestone states, deadline slack.

use super::calendar::WorkDay;
use serde::Serialize;

/// The state of a dependency or a milestone.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RiskState {
    Ok,
    AtRisk,
    Late,
}

impl RiskState {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskState::Ok => "ok",
            RiskState::AtRisk => "at_risk",
            RiskState::Late => "late",
        }
    }
}

/// Which freeze a component finishes after.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FreezeKind {
    FeatureFreeze,
    CodeFreeze,
}

impl FreezeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FreezeKind::FeatureFreeze => "feature_freeze",
            FreezeKind::CodeFreeze => "code_freeze",
        }
    }
}

/// A dependency whose `from` finishes at `ef`: its state and its slack (working
/// days from `ef` to `needed_by`, negative when late). `needed_by` is the last
/// working day on or before the given date. Late after it; at risk after it
/// moved back by `buffer` working days (never with a buffer of 0); else ok.
pub(crate) fn dependency(
    ef: WorkDay,
    needed_by: Option<WorkDay>,
    buffer: i64,
) -> (RiskState, Option<i64>) {
    let Some(due) = needed_by else {
        return (RiskState::Ok, None);
    };
    let state = if ef > due {
        RiskState::Late
    } else if ef > due - buffer {
        RiskState::AtRisk
    } else {
        RiskState::Ok
    };
    (state, Some(due - ef))
}

/// A milestone whose components finish by `finish` (the largest EF): late
/// when its due date is past and a scenario is open, else at risk when a
/// component finishes after `due`, else ok.
pub(crate) fn milestone(
    finish: Option<WorkDay>,
    due: WorkDay,
    past_due: bool,
    scenarios_done: bool,
) -> RiskState {
    if past_due && !scenarios_done {
        RiskState::Late
    } else if finish.is_some_and(|f| f > due) {
        RiskState::AtRisk
    } else {
        RiskState::Ok
    }
}

/// By how many working days `ef` is after a freeze, when it is.
pub(crate) fn breach(ef: WorkDay, freeze: Option<WorkDay>) -> Option<i64> {
    freeze.filter(|&f| ef > f).map(|f| ef - f)
}
