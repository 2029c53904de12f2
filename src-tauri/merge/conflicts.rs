//! Conflicts of a three-way merge, and the choices a person makes to resolve them.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;

/// One field (or entity) changed differently on both sides, or deleted on one
/// side and edited on the other. `None` (JSON `null`) means absent on that side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Conflict {
    /// Where: `releases["q1"].components["api"].eta` (see docs/merge.md).
    pub path: String,
    pub base: Option<Value>,
    pub ours: Option<Value>,
    pub theirs: Option<Value>,
}

impl Conflict {
    /// One line for people: `path: base X, ours Y, theirs Z`.
    pub fn line(&self) -> String {
        let show = |v: &Option<Value>| match v {
            None => "(absent)".to_string(),
            Some(v) => v.to_string(),
        };
        format!(
            "{}: base {}, ours {}, theirs {}",
            self.path,
            show(&self.base),
            show(&self.ours),
            show(&self.theirs)
        )
    }
}

/// Which version a person keeps for a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Base,
    Ours,
    Theirs,
}

/// Chosen sides, by conflict path. A merge given these takes the chosen side at
/// each listed path instead of reporting a conflict there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolutions(pub HashMap<String, Side>);

impl Resolutions {
    pub fn new() -> Resolutions {
        Resolutions::default()
    }

    pub fn choose(mut self, path: impl Into<String>, side: Side) -> Resolutions {
        self.0.insert(path.into(), side);
        self
    }

    pub fn get(&self, path: &str) -> Option<Side> {
        self.0.get(path).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The conflict list as printed by `flotilla merge` and `flotilla sync`:
/// one line per conflict, then a count.
pub fn conflicts_text(conflicts: &[Conflict]) -> String {
    let mut out = String::new();
    for c in conflicts {
        out.push_str("conflict: ");
        out.push_str(&c.line());
        out.push('\n');
    }
    out.push_str(&format!(
        "{} conflict{}; ours kept for each\n",
        conflicts.len(),
        if conflicts.len() == 1 { "" } else { "s" }
    ));
    out
}
