//! Every release with what is going wrong in it as of a day: the rows of
//! `flotilla releases` and of the app's Releases page, computed once here.

use super::{ReleaseSummary, Store};
use crate::error::{Error, Result};
use crate::plan::{Date, Release};
use crate::schedule::{analyze, Counts};

/// One release and its schedule's findings.
#[derive(Debug)]
pub struct ReleaseRow {
    pub summary: ReleaseSummary,
    /// The plan finish and the counts, or why the release could not be
    /// scheduled (the other rows are still given).
    pub schedule: std::result::Result<(Option<Date>, Counts), Error>,
    /// Gate items of the pre-release checklist not yet done.
    pub open_gates: usize,
}

impl Store {
    /// Every release in workspace order, scheduled as of `today` with the
    /// workspace's calendar.
    pub fn release_rows(&self, today: Date) -> Result<Vec<ReleaseRow>> {
        let calendar = Store::context_plan(&self.conn)?.effective_calendar();
        let mut rows = Vec::new();
        for summary in self.releases()? {
            let release = self.load_release(&summary.key)?;
            let schedule = analyze(&calendar, &release, today).map(|a| (a.plan_finish, a.counts));
            rows.push(ReleaseRow {
                summary,
                schedule,
                open_gates: open_gates(&release),
            });
        }
        Ok(rows)
    }
}

fn open_gates(release: &Release) -> usize {
    release
        .checklist
        .iter()
        .filter(|c| c.gate && !c.done)
        .count()
}
