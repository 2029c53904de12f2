//! Answers an edit with what changed in the view, not the whole view.
//!
//! A 1,000-component release view is about 900 KB of JSON, and the window
//! paid for all of it (serialising, the IPC, the page's parse) after every
//! keystroke that saved; an add changes a few rows of it. So the window keeps,
//! per workspace, the last view it sent ([`SentViews`]): each full view sent
//! gets a number (`ReleaseView::version`); an edit names the number of the
//! view the page holds (`base`), and when that is the one last sent for the
//! release the answer is a [`Patch`] from it to the new view (whose `version`
//! field is part of the patch). Any other case (another release, a view sent
//! since, a first edit after a restart) answers with the whole view, so a page
//! can always bring its view up to date from the answer alone.
//!
//! How the patch is made: the two views as JSON values, compared field by
//! field; an array is compared item by item (an add at the end of a list
//! changes one item and the length), and is sent whole when more than half
//! of its items changed (an insert near the front). The page applies it with
//! `ui/src/lib/patch.ts` `applyPatch`, keeping every unchanged object as it
//! was.
//!
//! Owns: the patch format and the record of what was sent. Must not touch:
//! Tauri (the desktop layer holds a [`SentViews`] and calls it), the store.

use super::ReleaseView;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Map, Value};

/// How a JSON value becomes the next one.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Patch {
    /// Replaced whole by `value`.
    Set { value: Value },
    /// An object: each named field changes by its patch (a new field is a
    /// `set`), and the `removed` fields go.
    Fields {
        fields: IndexMap<String, Patch>,
        removed: Vec<String>,
    },
    /// An array: cut or grown to `len`, then each listed item changes by its
    /// patch (an item past the old end is a `set`).
    Items { len: usize, items: Vec<Item> },
}

/// One changed item of an array.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Item {
    pub at: usize,
    pub patch: Patch,
}

/// The patch from `old` to `new`; `None` when they are equal.
pub fn diff(old: &Value, new: &Value) -> Option<Patch> {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => diff_fields(a, b),
        (Value::Array(a), Value::Array(b)) => diff_items(a, b),
        _ if old == new => None,
        _ => Some(Patch::Set { value: new.clone() }),
    }
}

fn diff_fields(a: &Map<String, Value>, b: &Map<String, Value>) -> Option<Patch> {
    let mut fields = IndexMap::new();
    let mut in_order = a.iter();
    for (k, v) in b {
        // Two answers of one type write their fields in one order: walk both
        // maps together, and look a field up only where they part.
        let old = match in_order.next() {
            Some((ka, va)) if ka == k => Some(va),
            _ => a.get(k),
        };
        let change = match old {
            Some(old) => diff(old, v),
            None => Some(Patch::Set { value: v.clone() }),
        };
        if let Some(p) = change {
            fields.insert(k.clone(), p);
        }
    }
    let removed: Vec<String> = a.keys().filter(|k| !b.contains_key(*k)).cloned().collect();
    (!fields.is_empty() || !removed.is_empty()).then_some(Patch::Fields { fields, removed })
}

fn diff_items(a: &[Value], b: &[Value]) -> Option<Patch> {
    let mut items = Vec::new();
    for (at, v) in b.iter().enumerate() {
        let change = match a.get(at) {
            Some(old) => diff(old, v),
            None => Some(Patch::Set { value: v.clone() }),
        };
        if let Some(patch) = change {
            items.push(Item { at, patch });
            if items.len() * 2 > b.len() {
                // Mostly new: the array itself is the smaller answer.
                return Some(Patch::Set {
                    value: Value::Array(b.to_vec()),
                });
            }
        }
    }
    (!items.is_empty() || a.len() != b.len()).then_some(Patch::Items {
        len: b.len(),
        items,
    })
}

/// `value` after `patch`, as the page's `applyPatch` does it (the tests
/// check one against the other through [`diff`]).
pub fn apply(value: &Value, patch: &Patch) -> Value {
    match (patch, value) {
        (Patch::Set { value }, _) => value.clone(),
        (Patch::Fields { fields, removed }, Value::Object(old)) => {
            let mut out = old.clone();
            for (k, p) in fields {
                let next = apply(out.get(k).unwrap_or(&Value::Null), p);
                out.insert(k.clone(), next);
            }
            for k in removed {
                out.shift_remove(k);
            }
            Value::Object(out)
        }
        (Patch::Items { len, items }, Value::Array(old)) => {
            let mut out: Vec<Value> = old.iter().take(*len).cloned().collect();
            out.resize(*len, Value::Null);
            for Item { at, patch } in items {
                out[*at] = apply(&out[*at], patch);
            }
            Value::Array(out)
        }
        // A patch for another shape: only `set` can be applied to anything.
        (_, _) => value.clone(),
    }
}

/// What an edit gets back: the change from the view the page holds, or the
/// whole view when the window does not know which one that is.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ViewAnswer {
    /// The whole view (its `version` is the one to name next time).
    View { view: Box<ReleaseView> },
    /// The change from the view numbered `base` to the new one (whose new
    /// `version` the patch sets).
    Patch { base: u64, patch: Patch },
}

/// The last view the window sent, as JSON, and the numbers it gives them.
#[derive(Debug, Default)]
pub struct SentViews {
    next: u64,
    last: Option<Sent>,
}

#[derive(Debug)]
struct Sent {
    release: String,
    version: u64,
    json: Value,
}

impl SentViews {
    /// Numbers a whole view about to be sent and remembers it.
    pub fn send(&mut self, mut view: ReleaseView) -> ReleaseView {
        self.next += 1;
        view.version = self.next;
        let json = serde_json::to_value(&view).expect("a release view serializes");
        self.remember(view.release.key.clone(), view.version, json);
        view
    }

    /// The answer to an edit whose page holds view number `base`: a patch
    /// when that is the view last sent for this release, else the whole view.
    pub fn answer(&mut self, mut view: ReleaseView, base: Option<u64>) -> ViewAnswer {
        let prior = match self.last.take() {
            Some(s) if Some(s.version) == base && s.release == view.release.key => s,
            other => {
                free(other);
                return ViewAnswer::View {
                    view: Box::new(self.send(view)),
                };
            }
        };
        self.next += 1;
        view.version = self.next;
        let (release, version) = (view.release.key.clone(), view.version);
        let json = into_json(view);
        let patch = diff(&prior.json, &json).unwrap_or(Patch::Fields {
            fields: IndexMap::new(),
            removed: Vec::new(),
        });
        self.remember(release, version, json);
        let base = prior.version;
        free(Some(prior));
        ViewAnswer::Patch { base, patch }
    }

    fn remember(&mut self, release: String, version: u64, json: Value) {
        free(self.last.replace(Sent {
            release,
            version,
            json,
        }));
    }
}

/// Frees a sent view off the calling thread: freeing a large JSON tree takes
/// as long as comparing it (5–8 ms for 1,000 components), and the window
/// waits for the answer.
fn free(sent: Option<Sent>) {
    if let Some(sent) = sent {
        std::thread::spawn(move || drop(sent));
    }
}

/// The view as JSON, as serde writes it, without copying its analysis (the
/// largest part, a JSON value already).
fn into_json(view: ReleaseView) -> Value {
    let ReleaseView {
        release,
        teams,
        endpoints,
        calendar,
        analysis,
        can_undo,
        can_redo,
        version,
    } = view;
    let json = |v: Result<Value, serde_json::Error>| v.expect("a release view serializes");
    let mut out = Map::new();
    out.insert("release".into(), json(serde_json::to_value(&release)));
    out.insert("teams".into(), json(serde_json::to_value(&teams)));
    out.insert("endpoints".into(), json(serde_json::to_value(&endpoints)));
    out.insert("calendar".into(), json(serde_json::to_value(&calendar)));
    out.insert("analysis".into(), analysis);
    out.insert("can_undo".into(), Value::Bool(can_undo));
    out.insert("can_redo".into(), Value::Bool(can_redo));
    out.insert("version".into(), Value::from(version));
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(old: Value, new: Value) -> Option<Patch> {
        let p = diff(&old, &new);
        let after = match &p {
            Some(p) => apply(&old, p),
            None => old.clone(),
        };
        assert_eq!(after, new, "patch {p:?}");
        p
    }

    #[test]
    fn equal_values_have_no_patch() {
        let v = json!({"a": [1, {"b": null}], "c": "x"});
        assert_eq!(round_trip(v.clone(), v), None);
    }

    #[test]
    fn an_item_added_at_the_end_is_one_item() {
        let old = json!({"rows": [{"k": 1}, {"k": 2}, {"k": 3}], "n": 3});
        let new = json!({"rows": [{"k": 1}, {"k": 2}, {"k": 3}, {"k": 4}], "n": 4});
        let p = round_trip(old, new).unwrap();
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            json!({"op": "fields", "removed": [], "fields": {
                "rows": {"op": "items", "len": 4, "items": [{"at": 3, "patch": {"op": "set", "value": {"k": 4}}}]},
                "n": {"op": "set", "value": 4},
            }})
        );
    }

    #[test]
    fn fields_added_removed_and_nested() {
        round_trip(
            json!({"a": {"x": 1, "y": [1, 2]}, "gone": true}),
            json!({"a": {"x": 2, "y": [1], "z": null}, "new": {"q": 1}}),
        );
    }

    #[test]
    fn a_mostly_changed_array_is_sent_whole() {
        let p = round_trip(json!([1, 2, 3, 4]), json!([0, 1, 2, 3, 4])).unwrap();
        assert!(matches!(p, Patch::Set { .. }), "{p:?}");
        round_trip(json!([1, 2, 3]), json!([]));
        round_trip(json!([]), json!([1]));
    }

    #[test]
    fn a_changed_type_is_set() {
        round_trip(json!({"a": [1]}), json!({"a": {"0": 1}}));
        round_trip(json!({"a": null}), json!({"a": "x"}));
        round_trip(json!([1, 2]), json!("x"));
    }

    #[test]
    fn the_view_as_json_is_what_serde_writes() {
        let plan = crate::schedule::generate_plan(20, 30, 3, 5);
        let key = plan.releases[0].key.clone();
        let mut s = crate::store::Store::open_in_memory().unwrap();
        s.import(&plan, false).unwrap();
        let view =
            super::super::release_view(&s, &key, crate::plan::Date::ymd(2025, 3, 1)).unwrap();
        let by_serde = serde_json::to_value(&view).unwrap();
        assert_eq!(
            serde_json::to_string(&into_json(view)).unwrap(),
            serde_json::to_string(&by_serde).unwrap()
        );
    }
}
