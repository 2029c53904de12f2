//! The releases list: every release with its dates and what is going wrong in
//! it, and creating a release.

use super::workspace::{today, with_store, Workspace};
use crate::error::{Error, ErrorPayload, Result};
use crate::plan::{Date, Release, Status};
use crate::schedule::analyze;
use crate::store::Store;
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
    pub key: String,
    pub name: String,
    pub status: Status,
    pub start: Date,
    pub feature_freeze: Option<Date>,
    pub code_freeze: Option<Date>,
    pub release_date: Date,
    pub archived: bool,
    pub components: usize,
    pub dependencies: usize,
    pub plan_finish: Option<Date>,
    pub risk: RiskCounts,
    /// Why the release could not be scheduled, when it could not.
    pub schedule_error: Option<String>,
}

/// Every release with its risk counts, scheduled as of today.
pub fn overview(store: &Store) -> Result<Vec<ReleaseOverview>> {
    let calendar = calendar_of(store)?;
    let day = today();
    let mut out = Vec::new();
    for summary in store.releases()? {
        let release = store.load_release(&summary.key)?;
        let (plan_finish, risk, schedule_error) = match analyze(&calendar, &release, day) {
            Ok(a) => (
                a.plan_finish,
                RiskCounts {
                    dependencies_late: a.counts.dependencies_late,
                    dependencies_at_risk: a.counts.dependencies_at_risk,
                    freeze_breaches: a.counts.code_freeze_breaches,
                    past_feature_freeze: a.counts.past_feature_freeze,
                    milestones_late: a.counts.milestones_late,
                    milestones_at_risk: a.counts.milestones_at_risk,
                    open_gate_items: open_gates(&release),
                },
                None,
            ),
            Err(e) => (None, RiskCounts::default(), Some(e.to_string())),
        };
        out.push(ReleaseOverview {
            key: summary.key,
            name: summary.name,
            status: summary.status,
            start: summary.start,
            feature_freeze: summary.feature_freeze,
            code_freeze: summary.code_freeze,
            release_date: summary.release_date,
            archived: summary.archived,
            components: summary.components,
            dependencies: summary.dependencies,
            plan_finish,
            risk,
            schedule_error,
        });
    }
    Ok(out)
}

/// The workspace calendar (the default one when none is set).
fn calendar_of(store: &Store) -> Result<crate::plan::Calendar> {
    Ok(store
        .setting("calendar")?
        .map(|s| serde_json::from_str(&s))
        .transpose()
        .map_err(|e| Error::Workspace(format!("the stored calendar is unreadable: {e}")))?
        .unwrap_or_default())
}

fn open_gates(release: &Release) -> usize {
    release
        .checklist
        .iter()
        .filter(|c| c.gate && !c.done)
        .count()
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
            super::view::forget_teams();
        }
        overview(s)
    })
    .await
}
