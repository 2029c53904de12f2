//! The next release from the last: a stored release copied under a new key
//! and release date, with every date moved by the distance between the two
//! release dates in working days of the workspace's calendar.
//!
//! What is copied: components (status back to planning; ETAs, done dates and
//! status updates dropped; starts moved), dependencies (needed-by dates
//! moved), milestones (due dates moved, scenarios unticked), the checklist
//! (unticked, due dates moved), deploy sections, rollback triggers and the
//! deploy schedule (its day moved). What is not: archived state, history,
//! runs.

use crate::error::{Code, Error, Result};
use crate::plan::{Calendar, Date, Release, Status};
use crate::schedule::WorkCalendar;
use crate::store::{Edit, Store};

/// Copies `from` into a new release `key` due on `release_date`, stores it as
/// one undoable edit, and returns it.
pub fn copy_release(
    store: &mut Store,
    from: &str,
    key: &str,
    release_date: Date,
    name: Option<&str>,
) -> Result<Release> {
    let old = store.load_release(from)?;
    let new = next_release(&store.calendar()?, &old, key, release_date, name)?;
    store.apply(&Edit::CreateRelease {
        release: Box::new(new.clone()),
        archived: false,
    })?;
    tracing::info!(from, key, %release_date, components = new.components.len(), "release copied");
    Ok(new)
}

/// The copy of `old` under `key`, due on `release_date` (nothing stored).
pub fn next_release(
    calendar: &Calendar,
    old: &Release,
    key: &str,
    release_date: Date,
    name: Option<&str>,
) -> Result<Release> {
    let cal = WorkCalendar::new(calendar)?;
    let distance = cal.working_days_between(old.release_date, release_date);
    // A date on the old release day stays on the release day; any other
    // moves by the distance in working days (one on a weekend or holiday
    // moves as the next working day does).
    let shift = |d: Date, path: &str| -> Result<Date> {
        if d == old.release_date {
            return Ok(release_date);
        }
        cal.add_working_days(d, distance).ok_or_else(|| {
            Error::invalid(
                Code::BadDate,
                path.to_string(),
                format!("{d} moved by {distance} working days is past the last date there is"),
            )
        })
    };
    let opt = |d: Option<Date>, path: &str| d.map(|d| shift(d, path)).transpose();
    let mut r = old.clone();
    r.key = key.to_string();
    r.name = name.map(str::to_string).unwrap_or_else(|| key.to_string());
    r.status = Status::Planning;
    r.release_date = release_date;
    r.start = shift(old.start, "start")?;
    r.feature_freeze = opt(old.feature_freeze, "feature_freeze")?;
    r.code_freeze = opt(old.code_freeze, "code_freeze")?;
    for c in &mut r.components {
        c.status = Status::Planning;
        c.eta = None;
        c.done_on = None;
        c.updates.clear();
        c.start = opt(c.start, &format!("components.{}.start", c.key))?;
    }
    for (i, d) in r.dependencies.iter_mut().enumerate() {
        d.needed_by = opt(d.needed_by, &format!("dependencies[{i}].needed_by"))?;
    }
    for m in &mut r.milestones {
        m.due = shift(m.due, &format!("milestones.{}.due", m.key))?;
        for s in &mut m.scenarios {
            s.done = false;
        }
    }
    for (i, c) in r.checklist.iter_mut().enumerate() {
        c.done = false;
        c.due = opt(c.due, &format!("checklist[{i}].due"))?;
    }
    if let Some(ds) = &mut r.deploy_schedule {
        ds.date = opt(ds.date, "deploy_schedule.date")?;
    }
    Ok(r)
}
