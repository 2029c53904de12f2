//! A plan file opened from outside the window: from the file manager, from
//! `flotilla PLAN_FILE`, or handed over by a second start of the app on the
//! same workspace. The person first sees what the file holds and, for each
//! release already in the workspace, what importing it would change (the
//! merge preview); then chooses to import it or to link the release to it.
//!
//! Owns: the preview and the two choices. Reads and writes only through
//! `store` and `merge`; a file that is not a valid plan is refused before
//! anything changes.

use crate::error::{Code, Error, Problem, Result};
use crate::merge::{self, differences, Difference, LinkReport};
use crate::plan::{read_plan_file, Plan};
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What an opened plan file holds, against the workspace.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OpenedFile {
    /// The file's full path.
    pub path: String,
    pub releases: Vec<OpenedRelease>,
    /// Why the file cannot be linked (linking needs a file of one release),
    /// or null when it can.
    pub link_refused: Option<String>,
}

/// One release of an opened file.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OpenedRelease {
    pub key: String,
    pub name: String,
    pub release_date: String,
    pub components: usize,
    /// A release with this key is in the workspace already: importing
    /// replaces it.
    pub in_workspace: bool,
    /// What importing would change in the workspace's release (empty for a
    /// new release, or when both are the same).
    pub changes: Vec<Difference>,
    /// The file the workspace's release is linked to now, if any.
    pub linked_to: Option<String>,
}

/// What the person chose for an opened file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OpenChoice {
    /// Load every release of the file, replacing those with the same key.
    Import,
    /// Keep the release in step with the file (`flotilla link`): a release
    /// not yet in the workspace is imported first.
    Link,
}

/// What opening did.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OpenOutcome {
    pub choice: OpenChoice,
    /// The releases imported or linked, in the file's order.
    pub releases: Vec<String>,
    /// With `link`: what linking found.
    pub link: Option<LinkReport>,
}

/// Reads the plan file at `path` (validated as `flotilla import` does) and
/// compares each of its releases with the workspace's.
pub fn preview(store: &Store, path: &Path) -> Result<OpenedFile> {
    let plan = read(path)?;
    preview_plan(store, path, &plan)
}

/// The plan file, its problems prefixed with its path (a window may be asked
/// about several files).
fn read(path: &Path) -> Result<Plan> {
    read_plan_file(path).map_err(|e| match e {
        Error::Invalid(problems) => Error::Invalid(
            problems
                .into_iter()
                .map(|p| {
                    let shown = path.display().to_string();
                    if p.message.starts_with(&shown) {
                        return p;
                    }
                    Problem {
                        message: format!("{shown}: {}", p.message),
                        ..p
                    }
                })
                .collect(),
        ),
        other => other,
    })
}

fn preview_plan(store: &Store, path: &Path, plan: &Plan) -> Result<OpenedFile> {
    let links = store.links()?;
    let known: Vec<String> = store.releases()?.into_iter().map(|r| r.key).collect();
    let mut releases = Vec::with_capacity(plan.releases.len());
    for r in &plan.releases {
        let in_workspace = known.contains(&r.key);
        let changes = if in_workspace {
            let ours = store.load_plan(Some(&r.key))?;
            let mut theirs = plan.clone();
            theirs.releases.retain(|x| x.key == r.key);
            // The workspace has one calendar: a file without one keeps it.
            theirs.calendar = theirs.calendar.or_else(|| ours.calendar.clone());
            differences(&ours, &theirs)
        } else {
            Vec::new()
        };
        releases.push(OpenedRelease {
            key: r.key.clone(),
            name: r.name.clone(),
            release_date: r.release_date.to_string(),
            components: r.components.len(),
            in_workspace,
            changes,
            linked_to: links
                .iter()
                .find(|l| l.release == r.key)
                .map(|l| l.path.display().to_string()),
        });
    }
    let link_refused = match plan.releases.len() {
        1 => None,
        0 => Some("the file holds no release".to_string()),
        n => Some(format!(
            "the file holds {n} releases; a release can be linked only to a file of its own (import this one, or save each release to its own file)"
        )),
    };
    Ok(OpenedFile {
        path: path.display().to_string(),
        releases,
        link_refused,
    })
}

/// Imports or links the plan file at `path`. The file is read again, so what
/// happens is what the file holds now.
pub fn open(store: &mut Store, path: &Path, choice: OpenChoice) -> Result<OpenOutcome> {
    let plan = read(path)?;
    let keys: Vec<String> = plan.releases.iter().map(|r| r.key.clone()).collect();
    match choice {
        OpenChoice::Import => {
            store.import(&plan, true)?;
            Ok(OpenOutcome {
                choice,
                releases: keys,
                link: None,
            })
        }
        OpenChoice::Link => {
            if let Some(why) = preview_plan(store, path, &plan)?.link_refused {
                return Err(Error::invalid(
                    Code::BadValue,
                    path.display().to_string(),
                    why,
                ));
            }
            let key = &keys[0];
            if !store.releases()?.iter().any(|r| r.key == *key) {
                store.import(&plan, false)?;
            }
            let report = merge::link(store, key, path)?;
            Ok(OpenOutcome {
                choice,
                releases: keys,
                link: Some(report),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::write_plan;

    fn sample() -> Plan {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/resources/samples/q1-2025-platform.json"
        ))
        .unwrap();
        crate::plan::parse_plan(&text).unwrap()
    }

    #[test]
    fn a_new_release_shows_no_changes_and_imports() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("q1.flotilla.json");
        std::fs::write(&file, write_plan(&sample())).unwrap();
        let mut store = Store::open(&dir.path().join("w.db")).unwrap();
        let seen = preview(&store, &file).unwrap();
        assert_eq!(seen.releases.len(), 1);
        assert!(!seen.releases[0].in_workspace);
        assert!(seen.releases[0].changes.is_empty());
        assert_eq!(seen.link_refused, None);
        let done = open(&mut store, &file, OpenChoice::Import).unwrap();
        assert_eq!(done.releases, vec!["q1-2025".to_string()]);
        assert_eq!(store.releases().unwrap().len(), 1);
    }

    #[test]
    fn an_existing_release_previews_what_importing_changes_then_replaces_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("w.db")).unwrap();
        store.import(&sample(), false).unwrap();
        let mut changed = sample();
        changed.releases[0].name = "Platform Q1, moved".to_string();
        let file = dir.path().join("q1.flotilla.json");
        std::fs::write(&file, write_plan(&changed)).unwrap();

        let seen = preview(&store, &file).unwrap();
        let r = &seen.releases[0];
        assert!(r.in_workspace);
        assert_eq!(r.changes.len(), 1, "{:?}", r.changes);
        assert!(r.changes[0].path.ends_with("name"), "{:?}", r.changes);
        // Previewing changed nothing.
        assert_ne!(
            store.load_release("q1-2025").unwrap().name,
            changed.releases[0].name
        );

        open(&mut store, &file, OpenChoice::Import).unwrap();
        assert_eq!(
            store.load_release("q1-2025").unwrap().name,
            "Platform Q1, moved"
        );
    }

    #[test]
    fn linking_imports_a_new_release_and_links_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("q1.flotilla.json");
        std::fs::write(&file, write_plan(&sample())).unwrap();
        let mut store = Store::open(&dir.path().join("w.db")).unwrap();
        let done = open(&mut store, &file, OpenChoice::Link).unwrap();
        let link = done.link.unwrap();
        assert!(link.same_as_workspace && !link.written);
        let seen = preview(&store, &file).unwrap();
        assert_eq!(seen.releases[0].linked_to, Some(file.display().to_string()));
    }

    #[test]
    fn a_file_of_two_releases_cannot_be_linked_and_nothing_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut two = sample();
        let mut other = two.releases[0].clone();
        other.key = "q2-2025".to_string();
        two.releases.push(other);
        let file = dir.path().join("two.flotilla.json");
        std::fs::write(&file, write_plan(&two)).unwrap();
        let mut store = Store::open(&dir.path().join("w.db")).unwrap();
        assert!(preview(&store, &file).unwrap().link_refused.is_some());
        let e = open(&mut store, &file, OpenChoice::Link).unwrap_err();
        assert!(e.to_string().contains("2 releases"), "{e}");
        assert!(store.releases().unwrap().is_empty());
    }

    #[test]
    fn a_file_that_is_not_a_plan_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("bad.flotilla.json");
        std::fs::write(&file, "{ not json").unwrap();
        let store = Store::open(&dir.path().join("w.db")).unwrap();
        let e = preview(&store, &file).unwrap_err();
        assert!(e.is_bad_input());
        assert!(e.to_string().contains("bad.flotilla.json"), "{e}");
    }
}
