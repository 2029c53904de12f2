//! How entities of a plan are matched across versions: which lists are keyed and
//! by what, and how a matched entity is named in a conflict's path.
//!
//! Identities (see docs/merge.md):
//! - teams, releases, components, milestones: `key`;
//! - endpoints: their name (an object's field, matched like any field);
//! - dependencies: `from` and `to`;
//! - status updates: `date` and `text` (an update has no other field, so an edit
//!   of its text is a removal plus an addition);
//! - checklist items and milestone scenarios: `text` (`done`, `owner`, `due` and
//!   `gate` are fields of that identity);
//! - release notes (the release's and each component's): `text` (`category`
//!   is a field of that identity); review answers: `question`;
//! - deploy-schedule slots: `team`;
//! - labels, milestone components and owners, calendar workdays and holidays:
//!   the value itself (a set).
//!
//! Every other list (rollback triggers, a deploy's verify checks, ...) is one
//! value: a change to it is a change of the whole list.

use serde_json::Value;

/// One step from a parent value to a child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// A field of an object.
    Field(String),
    /// An entity of a keyed list, by its identity.
    Item(String),
}

/// Where a value sits in a plan: the steps from the root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Path {
    steps: Vec<Step>,
}

impl Path {
    pub(crate) fn root() -> Path {
        Path::default()
    }

    pub(crate) fn field(&self, name: &str) -> Path {
        let mut p = self.clone();
        p.steps.push(Step::Field(name.to_string()));
        p
    }

    pub(crate) fn item(&self, id: &str) -> Path {
        let mut p = self.clone();
        p.steps.push(Step::Item(id.to_string()));
        p
    }

    /// The field names from the root, skipping list identities: the shape of
    /// the path that decides how a list is matched.
    fn shape(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter_map(|s| match s {
                Step::Field(f) => Some(f.as_str()),
                Step::Item(_) => None,
            })
            .collect()
    }

    /// The path as shown to people and tools:
    /// `releases["q1"].components["api"].eta`.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        for s in &self.steps {
            match s {
                Step::Field(f) if is_plain_name(f) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(f);
                }
                Step::Field(f) | Step::Item(f) => {
                    out.push('[');
                    out.push_str(&Value::String(f.clone()).to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

fn is_plain_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !s.as_bytes()[0].is_ascii_digit()
}

/// How the entities of a list are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Identity {
    /// By the string value of one field.
    Field(&'static str),
    /// Dependencies: `from -> to`.
    FromTo,
    /// Status updates: `date: text`.
    DateText,
    /// The item is its own identity (a set of strings).
    Value,
}

/// How the list at `path` is matched, or `None` when it is one value.
pub(crate) fn list_identity(path: &Path) -> Option<Identity> {
    let shape = path.shape();
    let id = match shape.as_slice() {
        ["teams"] | ["releases"] => Identity::Field("key"),
        ["releases", "components"] | ["releases", "milestones"] => Identity::Field("key"),
        ["releases", "dependencies"] => Identity::FromTo,
        ["releases", "components", "updates"] => Identity::DateText,
        ["releases", "checklist"]
        | ["releases", "milestones", "scenarios"]
        | ["releases", "notes"]
        | ["releases", "components", "notes"] => Identity::Field("text"),
        ["releases", "retrospective"] => Identity::Field("question"),
        ["releases", "deploy_schedule", "slots"] => Identity::Field("team"),
        ["releases", "components", "labels"]
        | ["releases", "milestones", "components"]
        | ["releases", "milestones", "owners"]
        | ["calendar", "workdays"]
        | ["calendar", "holidays"] => Identity::Value,
        _ => return None,
    };
    Some(id)
}

/// The identity of one item under `identity`. Items whose identity cannot be
/// read (a wrong shape) fall back to their whole JSON text.
pub(crate) fn item_identity(identity: Identity, item: &Value) -> String {
    let s = |v: Option<&Value>| match v {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let id = match identity {
        Identity::Field(f) => s(item.get(f)),
        Identity::FromTo => match (s(item.get("from")), s(item.get("to"))) {
            (Some(f), Some(t)) => Some(format!("{f} -> {t}")),
            _ => None,
        },
        Identity::DateText => match (s(item.get("date")), s(item.get("text"))) {
            (Some(d), Some(t)) => Some(format!("{d}: {t}")),
            _ => None,
        },
        Identity::Value => s(Some(item)),
    };
    id.unwrap_or_else(|| item.to_string())
}

/// The items of a list with their identities, in order. An identity given
/// twice in one list gets `#2`, `#3`, ... so that every item has its own.
pub(crate) fn keyed(identity: Identity, items: &[Value]) -> Vec<(String, &Value)> {
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    items
        .iter()
        .map(|v| {
            let id = item_identity(identity, v);
            let n = seen.entry(id.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                (id, v)
            } else {
                (format!("{id}#{n}"), v)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_render_with_identities() {
        let p = Path::root()
            .field("releases")
            .item("q1-2025")
            .field("components")
            .item("api")
            .field("eta");
        assert_eq!(p.render(), r#"releases["q1-2025"].components["api"].eta"#);
        assert_eq!(
            list_identity(
                &Path::root()
                    .field("releases")
                    .item("x")
                    .field("dependencies")
            ),
            Some(Identity::FromTo)
        );
        assert_eq!(
            list_identity(
                &Path::root()
                    .field("releases")
                    .item("x")
                    .field("rollback_triggers")
            ),
            None
        );
    }

    #[test]
    fn repeated_identities_are_numbered() {
        let items = vec![
            json!({"text": "a"}),
            json!({"text": "a"}),
            json!({"text": "b"}),
        ];
        let ids: Vec<String> = keyed(Identity::Field("text"), &items)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids, vec!["a", "a#2", "b"]);
    }
}
