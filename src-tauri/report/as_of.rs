//! A release as it stood at an earlier moment, rebuilt from the history.
//!
//! How it works: the history records every edit as rows (entity, key, field,
//! old and new value as the plan file writes them), and an import that
//! replaces a release records its components' and dependencies' changes the
//! same way. Walking the rows newer than the moment from the newest back and
//! putting each `old` value back gives the release as it stood then: a field
//! set back, an added entity taken out, a removed one put back, a renamed
//! component named as before. Entities are found by their identity in the
//! plan (components and milestones by key, dependencies by `from->to`,
//! checklist items by text). A release created (or first imported) after the
//! moment is returned as it was created, and says so.

use crate::error::{Code, Error, Result};
use crate::plan::Release;
use crate::store::Change;
use serde_json::{Map, Value};

/// A release rebuilt as of a moment.
pub struct AsOf {
    pub release: Release,
    /// The release was created after the moment: this is its first state.
    pub created_after: bool,
}

/// `current` as it stood before every change in `newer` (the rows of its
/// history after the moment, newest first).
pub fn release_as_of(current: &Release, newer: &[Change]) -> Result<AsOf> {
    let mut rel = serde_json::to_value(current).expect("a release serializes");
    let mut created_after = false;
    for c in newer {
        if c.entity == "release" && c.field.is_none() {
            if c.old.is_none() {
                // Created here: nothing older to go back to.
                created_after = true;
                break;
            }
            continue;
        }
        revert(&mut rel, c);
    }
    let release = serde_json::from_value(rel).map_err(|e| {
        Error::invalid(
            Code::BadValue,
            "history",
            format!(
                "the history of release \"{}\" does not rebuild into a plan: {e}",
                current.key
            ),
        )
    })?;
    Ok(AsOf {
        release,
        created_after,
    })
}

fn parse(v: &Option<String>) -> Option<Value> {
    v.as_deref()
        .map(|s| serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_string())))
}

/// How an item of a list is named in the history.
type Identity = fn(&Map<String, Value>) -> String;

fn field(m: &Map<String, Value>, f: &str) -> String {
    m.get(f).and_then(Value::as_str).unwrap_or("").to_string()
}

/// The list of `entity` in a release and how an item of it is named.
fn list_of(entity: &str) -> Option<(&'static str, Identity)> {
    let by_key: Identity = |m| field(m, "key");
    let by_text: Identity = |m| field(m, "text");
    let by_ends: Identity = |m| format!("{}->{}", field(m, "from"), field(m, "to"));
    Some(match entity {
        "component" => ("components", by_key),
        "milestone" => ("milestones", by_key),
        "checklist" => ("checklist", by_text),
        "dependency" => ("dependencies", by_ends),
        _ => return None,
    })
}

/// Puts one change's `old` back.
fn revert(rel: &mut Value, c: &Change) {
    let Some(obj) = rel.as_object_mut() else {
        return;
    };
    if c.entity == "release" {
        if let Some(f) = &c.field {
            set(obj, f, parse(&c.old));
        }
        return;
    }
    let Some((list, id)) = list_of(&c.entity) else {
        return;
    };
    if c.entity == "component" && c.field.as_deref() == Some("key") {
        // A rename: `old` and `new` are the keys themselves.
        let (Some(from), Some(to)) = (&c.old, &c.new) else {
            return;
        };
        rename(obj, to, from);
        return;
    }
    let items = obj
        .entry(list)
        .or_insert_with(|| Value::Array(Vec::new()))
        .as_array_mut()
        .expect("plan lists are arrays");
    let at = items
        .iter()
        .position(|i| i.as_object().is_some_and(|m| id(m) == c.key));
    match (&c.field, at) {
        (Some(f), Some(i)) => {
            let item = items[i].as_object_mut().expect("an entity is an object");
            // A checklist item's text is its identity: the row names the new text.
            set(item, f, parse(&c.old));
        }
        (Some(_), None) => {}
        (None, at) => match (parse(&c.old), at) {
            // Added after the moment: not there then.
            (None, Some(i)) => {
                items.remove(i);
                if c.entity == "component" {
                    if let Some(deps) = obj.get_mut("dependencies").and_then(Value::as_array_mut) {
                        deps.retain(|x| !touches(x, &c.key));
                    }
                }
            }
            (None, None) => {}
            (Some(old), Some(i)) => items[i] = old,
            (Some(old), None) => items.push(old),
        },
    }
}

fn set(obj: &mut Map<String, Value>, field: &str, v: Option<Value>) {
    match v {
        None | Some(Value::Null) => {
            obj.remove(field);
        }
        Some(v) => {
            obj.insert(field.to_string(), v);
        }
    }
}

fn touches(dep: &Value, key: &str) -> bool {
    dep.get("from").and_then(Value::as_str) == Some(key)
        || dep.get("to").and_then(Value::as_str) == Some(key)
}

/// Renames component `from` to `to` with every reference to it.
fn rename(obj: &mut Map<String, Value>, from: &str, to: &str) {
    let swap = |v: &mut Value| {
        if v.as_str() == Some(from) {
            *v = Value::String(to.to_string());
        }
    };
    if let Some(cs) = obj.get_mut("components").and_then(Value::as_array_mut) {
        for c in cs {
            if let Some(k) = c.get_mut("key") {
                swap(k);
            }
        }
    }
    if let Some(ds) = obj.get_mut("dependencies").and_then(Value::as_array_mut) {
        for d in ds {
            for f in ["from", "to"] {
                if let Some(k) = d.get_mut(f) {
                    swap(k);
                }
            }
        }
    }
    if let Some(ms) = obj.get_mut("milestones").and_then(Value::as_array_mut) {
        for m in ms {
            if let Some(cs) = m.get_mut("components").and_then(Value::as_array_mut) {
                cs.iter_mut().for_each(swap);
            }
        }
    }
}
