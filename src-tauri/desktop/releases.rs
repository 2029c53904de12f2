//! The releases list: every release with its dates and what is going wrong in
//! it, and creating a release.

use super::workspace::{today, with_store, Workspace};
use crate::error::{ErrorPayload, Result};
use crate::plan::Date;
use crate::store::{ReleaseSummary, Store};
use schemars::JsonSchema;
use serde::Serialize;

/// What the releases list shows of a release that is going wrong.
#[derive(Debug, Clone, Copy, Default, Serialize, JsonSchema)]
pub struct RiskCounts {
    pub dependencies_late: usize,
    pub dependencies_at_risk: usize,
    /// Components finishing after the code freeze.
    pub freeze_breaches: usize,
    pub past_feature_freeze: usize,
    pub milestones_late: usize,
    pub milestones_at_risk: usize,
    /// Gate items of the pre-release checklist not yet done.
    pub open_gate_items: usize,
}

/// One row of the releases list: the release's summary, its plan finish and
/// what is going wrong in it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReleaseOverview {
    #[serde(flatten)]
    pub summary: ReleaseSummary,
    pub plan_finish: Option<Date>,
    pub risk: RiskCounts,
    /// Why the release could not be scheduled, when it could not.
    pub schedule_error: Option<String>,
}

/// Every release with its risk counts, scheduled as of today.
pub fn overview(store: &Store) -> Result<Vec<ReleaseOverview>> {
    Ok(store
        .release_rows(today())?
        .into_iter()
        .map(|row| {
            let (plan_finish, risk, schedule_error) = match row.schedule {
                Ok((plan_finish, c)) => (
                    plan_finish,
                    RiskCounts {
                        dependencies_late: c.dependencies_late,
                        dependencies_at_risk: c.dependencies_at_risk,
                        freeze_breaches: c.code_freeze_breaches,
                        past_feature_freeze: c.past_feature_freeze,
                        milestones_late: c.milestones_late,
                        milestones_at_risk: c.milestones_at_risk,
                        open_gate_items: row.open_gates,
                    },
                    None,
                ),
                Err(e) => (None, RiskCounts::default(), Some(e.to_string())),
            };
            ReleaseOverview {
                summary: row.summary,
                plan_finish,
                risk,
                schedule_error,
            }
        })
        .collect())
}

#[tauri::command]
pub async fn list_releases(
    ws: tauri::State<'_, Workspace>,
) -> Result<Vec<ReleaseOverview>, ErrorPayload> {
    with_store(&ws, |s| overview(s)).await
}

/// Loads the sample plan into the workspace (a no-op when its release is there)
/// and returns the releases.
#[tauri::command]
pub async fn open_sample(
    ws: tauri::State<'_, Workspace>,
) -> Result<Vec<ReleaseOverview>, ErrorPayload> {
    with_store(&ws, |s| {
        let plan = crate::plan::parse_plan(crate::SAMPLE_PLAN)?;
        let present = s.releases()?.iter().any(|r| plan.release(&r.key).is_some());
        if !present {
            s.import(&plan, false)?;
        }
        overview(s)
    })
    .await
}
