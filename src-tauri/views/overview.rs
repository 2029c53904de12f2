//! Every release with what is going wrong in it as of a day: the rows of
//! `flotilla releases` (text and `--json`) and of the app's Releases page.

use crate::error::Result;
use crate::plan::{Date, Release};
use crate::schedule::{analyze, Counts};
use crate::store::{ReleaseSummary, Store};
use schemars::JsonSchema;
use serde::Serialize;

/// One release, its plan finish and its schedule's counts.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReleaseOverview {
    #[serde(flatten)]
    pub summary: ReleaseSummary,
    pub plan_finish: Option<Date>,
    /// The schedule's counts (all zero when it could not be scheduled).
    pub counts: Counts,
    /// Gate items of the pre-release checklist not yet done.
    pub open_gates: usize,
    /// Why the release could not be scheduled, when it could not (the other
    /// releases are still given); left out when it could.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule_error: Option<String>,
}

/// Every release in workspace order, scheduled as of `today` with the
/// workspace's calendar.
pub fn release_overview(store: &Store, today: Date) -> Result<Vec<ReleaseOverview>> {
    let calendar = store.calendar()?;
    let mut rows = Vec::new();
    for summary in store.releases()? {
        let release = store.load_release(&summary.key)?;
        let (plan_finish, counts, schedule_error) = match analyze(&calendar, &release, today) {
            Ok(a) => (a.plan_finish, a.counts, None),
            Err(e) => (None, Counts::default(), Some(e.to_string())),
        };
        rows.push(ReleaseOverview {
            open_gates: open_gates(&release),
            summary,
            plan_finish,
            counts,
            schedule_error,
        });
    }
    Ok(rows)
}

fn open_gates(release: &Release) -> usize {
    release
        .checklist
        .iter()
        .filter(|c| c.gate && !c.done)
        .count()
}
