//! The semantic three-way merge: plans as JSON trees of their canonical form,
//! objects merged field by field, keyed lists entity by entity.
//!
//! At every value: the same on both sides, or changed on one side only, is taken
//! as is; changed differently on both sides is merged deeper when both are
//! objects or both are keyed lists, and is a conflict otherwise (ours is kept).

use super::conflicts::{Conflict, Resolutions, Side};
use super::matching::{keyed, list_identity, Path};
use crate::error::{Error, Problem, Result};
use crate::plan::{parse_plan, Plan, Release};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The outcome of a merge that could be computed.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The merged plan, when it validates. With no conflicts it always does (an
    /// invalid clean merge is an error instead).
    pub plan: Option<Plan>,
    /// The merged tree, ours at every conflict.
    pub value: Value,
    /// Every conflict, in document order.
    pub conflicts: Vec<Conflict>,
    /// Why the merged tree (ours at the conflicts) is not a valid plan: only
    /// when there are conflicts as well.
    pub problems: Vec<Problem>,
}

impl Merged {
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty() && self.plan.is_some()
    }
}

/// Merges `ours` and `theirs`, both descended from `base` (`None`: no common
/// version, as when two files were created apart). Conflicts listed in
/// `resolutions` take the chosen side. A clean merge that is not a valid plan
/// (a dependency cycle that neither side had alone, a reference to an entity
/// the other side deleted) is refused with `Error::Invalid`.
pub fn merge_plans(
    base: Option<&Plan>,
    ours: &Plan,
    theirs: &Plan,
    resolutions: &Resolutions,
) -> Result<Merged> {
    let tree = |p: &Plan| serde_json::to_value(p).expect("a plan always serializes");
    let base = base.map(tree);
    let (ours, theirs) = (tree(ours), tree(theirs));
    let mut m = Merger {
        resolutions,
        conflicts: Vec::new(),
    };
    let value = m
        .value(&Path::root(), base.as_ref(), Some(&ours), Some(&theirs))
        .unwrap_or(ours);
    let text = serde_json::to_string(&value).expect("a tree serializes");
    let (plan, problems) = match parse_plan(&text) {
        Ok(p) => (Some(p), Vec::new()),
        Err(Error::Invalid(problems)) => (None, problems),
        Err(e) => return Err(e),
    };
    let problems: Vec<Problem> = problems
        .into_iter()
        .map(|p| Problem {
            message: format!("in the merged plan: {}", p.message),
            ..p
        })
        .collect();
    if m.conflicts.is_empty() && !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(Merged {
        plan,
        value,
        conflicts: m.conflicts,
        problems,
    })
}

/// Merges three plan files' texts (`base` empty or absent: no common version).
/// Each side must be a valid plan; faults are reported with the side's label.
pub fn merge_texts(
    base: Option<&str>,
    ours: &str,
    theirs: &str,
    resolutions: &Resolutions,
) -> Result<Merged> {
    let base = match base.map(str::trim) {
        None | Some("") => None,
        Some(b) => Some(read_side("base", b)?),
    };
    let ours = read_side("ours", ours)?;
    let theirs = read_side("theirs", theirs)?;
    merge_plans(base.as_ref(), &ours, &theirs, resolutions)
}

fn read_side(label: &str, text: &str) -> Result<Plan> {
    parse_plan(text.strip_prefix('\u{feff}').unwrap_or(text)).map_err(|e| match e {
        Error::Invalid(problems) => Error::Invalid(
            problems
                .into_iter()
                .map(|p| Problem {
                    message: format!("in {label}: {}", p.message),
                    ..p
                })
                .collect(),
        ),
        other => other,
    })
}

struct Merger<'r> {
    resolutions: &'r Resolutions,
    conflicts: Vec<Conflict>,
}

impl Merger<'_> {
    /// The merged value at `path`; `None` when it is absent (deleted).
    fn value(
        &mut self,
        path: &Path,
        base: Option<&Value>,
        ours: Option<&Value>,
        theirs: Option<&Value>,
    ) -> Option<Value> {
        if ours == theirs || base == theirs {
            return ours.cloned();
        }
        if base == ours {
            return theirs.cloned();
        }
        match (ours, theirs) {
            (Some(Value::Object(o)), Some(Value::Object(t))) => {
                let b = base.and_then(Value::as_object);
                return Some(Value::Object(self.object(path, b, o, t)));
            }
            (Some(Value::Array(o)), Some(Value::Array(t))) if list_identity(path).is_some() => {
                let b = base.and_then(Value::as_array).map(Vec::as_slice);
                return Some(Value::Array(self.list(path, b, o, t)));
            }
            _ => {}
        }
        let rendered = path.render();
        match self.resolutions.get(&rendered) {
            Some(Side::Base) => base.cloned(),
            Some(Side::Ours) => ours.cloned(),
            Some(Side::Theirs) => theirs.cloned(),
            None => {
                self.conflicts.push(Conflict {
                    path: rendered,
                    base: base.cloned(),
                    ours: ours.cloned(),
                    theirs: theirs.cloned(),
                });
                ours.cloned()
            }
        }
    }

    /// Field by field: ours' fields in order, then fields only theirs has.
    fn object(
        &mut self,
        path: &Path,
        base: Option<&Map<String, Value>>,
        ours: &Map<String, Value>,
        theirs: &Map<String, Value>,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        let names = ours
            .keys()
            .chain(theirs.keys().filter(|k| !ours.contains_key(*k)));
        let names: Vec<&String> = names
            .chain(
                base.into_iter()
                    .flat_map(|b| b.keys())
                    .filter(|k| !ours.contains_key(*k) && !theirs.contains_key(*k)),
            )
            .collect();
        for name in names {
            let b = base.and_then(|b| b.get(name));
            let merged = self.value(&path.field(name), b, ours.get(name), theirs.get(name));
            if let Some(v) = merged {
                out.insert(name.clone(), v);
            }
        }
        out
    }

    /// Entity by entity: ours' entities in order, then theirs' additions.
    fn list(
        &mut self,
        path: &Path,
        base: Option<&[Value]>,
        ours: &[Value],
        theirs: &[Value],
    ) -> Vec<Value> {
        let identity = list_identity(path).expect("called on keyed lists only");
        let base_items = keyed(identity, base.unwrap_or(&[]));
        let base = by_identity(&base_items);
        let ours_items = keyed(identity, ours);
        let ours = by_identity(&ours_items);
        let theirs_items = keyed(identity, theirs);
        let theirs = by_identity(&theirs_items);
        let mut out = Vec::new();
        for (id, o) in &ours_items {
            let (b, t) = (base.get(id.as_str()), theirs.get(id.as_str()));
            if let Some(v) = self.value(&path.item(id), b.copied(), Some(o), t.copied()) {
                out.push(v);
            }
        }
        for (id, t) in &theirs_items {
            if ours.contains_key(id.as_str()) {
                continue;
            }
            let b = base.get(id.as_str()).copied();
            if let Some(v) = self.value(&path.item(id), b, None, Some(t)) {
                out.push(v);
            }
        }
        out
    }
}

fn by_identity<'a>(items: &'a [(String, &'a Value)]) -> HashMap<&'a str, &'a Value> {
    items.iter().map(|(k, v)| (k.as_str(), *v)).collect()
}

/// One difference between two versions of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Difference {
    pub path: String,
    /// `None`: added.
    pub old: Option<Value>,
    /// `None`: removed.
    pub new: Option<Value>,
}

/// What changed from `old` to `new`, at the finest level the merge matches at
/// (a field of a component, a whole dependency, a status update), with the
/// paths of conflicts.
pub fn differences(old: &Plan, new: &Plan) -> Vec<Difference> {
    diff_at(&Path::root(), old, new)
}

/// What changed in one release, with paths from the plan's root
/// (`releases["q1"].components["api"].eta`).
pub fn release_differences(old: &Release, new: &Release) -> Vec<Difference> {
    diff_at(&Path::root().field("releases").item(&old.key), old, new)
}

fn diff_at<T: Serialize>(path: &Path, old: &T, new: &T) -> Vec<Difference> {
    let old = serde_json::to_value(old).expect("serializes");
    let new = serde_json::to_value(new).expect("serializes");
    let mut out = Vec::new();
    diff(path, Some(&old), Some(&new), &mut out);
    out
}

fn diff(path: &Path, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Difference>) {
    if old == new {
        return;
    }
    match (old, new) {
        (Some(Value::Object(o)), Some(Value::Object(n))) => {
            for name in o.keys().chain(n.keys().filter(|k| !o.contains_key(*k))) {
                diff(&path.field(name), o.get(name), n.get(name), out);
            }
        }
        (Some(Value::Array(o)), Some(Value::Array(n))) if list_identity(path).is_some() => {
            let identity = list_identity(path).expect("checked");
            let (o, n) = (keyed(identity, o), keyed(identity, n));
            let (old_ids, new_ids) = (by_identity(&o), by_identity(&n));
            for (id, v) in &o {
                diff(
                    &path.item(id),
                    Some(v),
                    new_ids.get(id.as_str()).copied(),
                    out,
                );
            }
            for (id, v) in &n {
                if !old_ids.contains_key(id.as_str()) {
                    diff(&path.item(id), None, Some(v), out);
                }
            }
        }
        _ => out.push(Difference {
            path: path.render(),
            old: old.cloned(),
            new: new.cloned(),
        }),
    }
}
