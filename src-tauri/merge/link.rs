//! Linked plan files: a workspace release kept in step with a plan file on disk
//! (a git checkout, a shared folder).
//!
//! "Save" writes the release's canonical file. "Sync" reads the file and merges
//! it three ways, against the version last synced (kept in the workspace) and
//! the workspace's release: what merges cleanly is applied in one transaction,
//! and conflicts are returned for a person. `resolve` is the same sync with the
//! person's choices. The last synced version moves on only when nothing is left
//! in conflict, so a conflict keeps showing until it is resolved.

use super::conflicts::{Conflict, Resolutions};
use super::three_way::{differences, merge_plans, Difference};
use crate::error::{Code, Error, Problem, Result};
use crate::export::write_file_atomic;
use crate::plan::{parse_plan, write_plan, Plan};
use crate::store::{Link, Store};
use serde::Serialize;
use std::path::Path;

/// What a sync did.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SyncReport {
    pub release: String,
    pub path: String,
    /// What changed in the workspace's release (applied).
    pub applied: Vec<Difference>,
    /// What a person must decide; ours (the workspace) is kept meanwhile.
    pub conflicts: Vec<Conflict>,
    /// Why the merge could not be applied at all (with conflicts, ours kept at
    /// them, the result would not be a valid plan): nothing was applied.
    pub problems: Vec<Problem>,
}

impl SyncReport {
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty() && self.problems.is_empty()
    }
}

/// What `link` did.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct LinkReport {
    pub release: String,
    pub path: String,
    /// The file did not exist and was written from the workspace.
    pub written: bool,
    /// The file holds exactly the workspace's release: it is the base of the
    /// next sync. When false, the first sync has no base (every difference in
    /// a field both have is a conflict; entities only one side has are kept).
    pub same_as_workspace: bool,
}

/// Links `release` to the plan file at `path`. A missing file is written from
/// the workspace; an existing one must be a valid plan holding the release.
pub fn link(store: &mut Store, release: &str, path: &Path) -> Result<LinkReport> {
    let ours = write_plan(&store.load_plan(Some(release))?);
    let abs = absolute(path)?;
    let shown = abs.display().to_string();
    let (written, same) = if abs.exists() {
        let theirs = read_release_file(&abs, release)?;
        (false, write_plan(&theirs) == ours)
    } else {
        write_file_atomic(&abs, &ours)?;
        (true, true)
    };
    store.set_link(release, &shown, same.then_some(ours.as_str()))?;
    Ok(LinkReport {
        release: release.to_string(),
        path: shown,
        written,
        same_as_workspace: same,
    })
}

/// Writes the release's canonical plan file to its linked path. Refused when
/// the file changed since the last sync (its changes would be lost) unless
/// `force`.
pub fn save(store: &mut Store, release: &str, force: bool) -> Result<String> {
    let link = linked(store, release)?;
    let text = write_plan(&store.load_plan(Some(release))?);
    if !force && link.path.exists() {
        let on_disk =
            std::fs::read_to_string(&link.path).map_err(|e| Error::io(&link.path, e, true))?;
        let unchanged = match &link.base {
            Some(base) => on_disk == *base || on_disk == text,
            None => on_disk == text,
        };
        if !unchanged {
            return Err(Error::invalid(
                Code::NotSynced,
                link.path.display().to_string(),
                format!(
                    "the file changed since release \"{release}\" was last synced: run `flotilla sync --release {release}` first (or save with --force to overwrite it)"
                ),
            ));
        }
    }
    write_file_atomic(&link.path, &text)?;
    store.set_link_base(release, &text)?;
    Ok(link.path.display().to_string())
}

/// Reads the linked file and merges it into the workspace's release.
pub fn sync(store: &mut Store, release: &str) -> Result<SyncReport> {
    resolve(store, release, &Resolutions::new())
}

/// A sync in which the listed conflicts take the chosen side. What merges is
/// applied to the workspace in one transaction (the release is replaced by the
/// merged one); the last synced version becomes the file's when no conflict
/// is left.
pub fn resolve(store: &mut Store, release: &str, choices: &Resolutions) -> Result<SyncReport> {
    let link = linked(store, release)?;
    let theirs = read_release_file(&link.path, release)?;
    let ours = store.load_plan(Some(release))?;
    let base = match &link.base {
        Some(text) => Some(only_release(parse_plan(text)?, release)?),
        None => None,
    };
    let merged = merge_plans(base.as_ref(), &ours, &theirs, choices)?;
    let mut report = SyncReport {
        release: release.to_string(),
        path: link.path.display().to_string(),
        applied: Vec::new(),
        conflicts: merged.conflicts,
        problems: merged.problems,
    };
    let Some(mut plan) = merged.plan else {
        return Ok(report);
    };
    // The workspace has one calendar: a file without one leaves it as it is.
    plan.calendar = plan.calendar.or_else(|| ours.calendar.clone());
    report.applied = differences(&ours, &plan);
    if !report.applied.is_empty() {
        // The merged release replaces the workspace's; teams and endpoints are
        // added or updated. Import writes it in one transaction.
        store.import(&plan, true)?;
    }
    if report.conflicts.is_empty() {
        // Recorded after the release is written: if this step is lost, the
        // next sync merges against the older base, which gives the same result.
        store.set_link_base(release, &write_plan(&theirs))?;
    }
    Ok(report)
}

fn linked(store: &Store, release: &str) -> Result<Link> {
    store.link(release)?.ok_or_else(|| {
        Error::invalid(
            Code::NotLinked,
            "release",
            format!(
                "release \"{release}\" is not linked to a file: run `flotilla link --release {release} FILE`"
            ),
        )
    })
}

/// The linked file, as a plan holding `release` only.
fn read_release_file(path: &Path, release: &str) -> Result<Plan> {
    let plan = crate::plan::read_plan_file(path)?;
    only_release(plan, release).map_err(|e| match e {
        Error::Invalid(ps) => Error::Invalid(
            ps.into_iter()
                .map(|p| Problem {
                    message: format!("{}: {}", path.display(), p.message),
                    ..p
                })
                .collect(),
        ),
        other => other,
    })
}

fn only_release(mut plan: Plan, release: &str) -> Result<Plan> {
    if plan.release(release).is_none() {
        return Err(Error::invalid(
            Code::NotFound,
            "releases",
            format!("the file has no release \"{release}\""),
        ));
    }
    plan.releases.retain(|r| r.key == release);
    Ok(plan)
}

fn absolute(path: &Path) -> Result<std::path::PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    let cwd = std::env::current_dir().map_err(|e| Error::io(Path::new("."), e, false))?;
    Ok(cwd.join(path))
}
