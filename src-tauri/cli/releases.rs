//! `flotilla releases`: every release with its dates and what is late or at risk.

use super::commands::open_store;
use crate::error::Result;
use crate::plan::Date;
use crate::views::{release_overview, today};
use std::path::PathBuf;

pub fn run(db: Option<PathBuf>, json: bool, today_arg: Option<Date>) -> Result<()> {
    let store = open_store(db)?;
    let today = today(today_arg);
    let lines = release_overview(&store, today)?;
    // A release that cannot be scheduled fails the command, with its own
    // error and exit code (the app shows the others and the reason instead).
    if let Some(l) = lines.iter().find(|l| l.schedule_error.is_some()) {
        let release = store.load_release(&l.summary.key)?;
        crate::schedule::analyze(&store.calendar()?, &release, today)?;
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
