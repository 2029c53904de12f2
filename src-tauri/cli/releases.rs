//! `flotilla releases`: every release with its dates and what is late or at risk.

use super::commands::open_store;
use crate::error::Result;
use crate::plan::Date;
use crate::schedule::Counts;
use crate::store::ReleaseSummary;
use serde::Serialize;
use std::path::PathBuf;

/// One release with the risk counts of its schedule as of today.
#[derive(Debug, Serialize)]
pub struct ReleaseLine {
    #[serde(flatten)]
    pub summary: ReleaseSummary,
    pub plan_finish: Option<Date>,
    pub counts: Counts,
    /// Gate checklist items not done yet.
    pub open_gates: usize,
}

pub fn run(db: Option<PathBuf>, json: bool, today: Option<Date>) -> Result<()> {
    let store = open_store(db)?;
    let today = today.unwrap_or_else(|| Date(chrono::Local::now().date_naive()));
    let mut lines = Vec::new();
    for row in store.release_rows(today)? {
        let (plan_finish, counts) = row.schedule?;
        lines.push(ReleaseLine {
            plan_finish,
            counts,
            open_gates: row.open_gates,
            summary: row.summary,
        });
    }
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&lines).expect("serializes")
        );
        return Ok(());
    }
    if lines.is_empty() {
        println!("no releases in the workspace; add one with `flotilla import PLAN.json`");
        return Ok(());
    }
    let opt = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
    println!(
        "{:<20} {:<15} {:<10} {:<10} {:<10} {:<10} {:<10} {:>4} {:>7} {:>6} {:>9} {:>5}",
        "RELEASE",
        "STATUS",
        "START",
        "FEATURE",
        "CODE",
        "RELEASE",
        "FINISH",
        "LATE",
        "AT-RISK",
        "FREEZE",
        "MILESTONE",
        "GATES"
    );
    for l in lines {
        let r = &l.summary;
        let c = &l.counts;
        println!(
            "{:<20} {:<15} {:<10} {:<10} {:<10} {:<10} {:<10} {:>4} {:>7} {:>6} {:>9} {:>5}{}",
            r.key,
            r.status.as_str(),
            r.start.to_string(),
            opt(r.feature_freeze),
            opt(r.code_freeze),
            r.release_date.to_string(),
            opt(l.plan_finish),
            c.dependencies_late,
            c.dependencies_at_risk,
            c.code_freeze_breaches,
            c.milestones_late + c.milestones_at_risk,
            l.open_gates,
            if r.archived { "  (archived)" } else { "" }
        );
    }
    println!("LATE / AT-RISK: dependencies; FREEZE: components past the code freeze; MILESTONE: late or at risk; GATES: open gate items");
    Ok(())
}
