//! Applying an edit to a release in memory: the new release, the edit that
//! reverts it, and the history rows that describe it.

use super::edit::Edit;
use super::edit_write::update_json;
use crate::error::{Code, Error, Result};
use crate::plan::{Release, StatusUpdate};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

/// One history row.
pub(super) struct Row {
    pub entity: &'static str,
    pub key: String,
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// What applying an edit did.
pub(super) struct Applied {
    pub inverse: Edit,
    pub rows: Vec<Row>,
    pub summary: String,
    /// For a one-field edit: the value as stored (defaults applied).
    pub stored: Option<Value>,
}

impl Applied {
    pub fn one(
        inverse: Edit,
        entity: &'static str,
        key: &str,
        field: Option<&str>,
        old: Option<String>,
        new: Option<String>,
        summary: String,
    ) -> Applied {
        Applied {
            inverse,
            rows: vec![Row {
                entity,
                key: key.to_string(),
                field: field.map(str::to_string),
                old,
                new,
            }],
            summary,
            stored: None,
        }
    }
}

pub(super) fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plan values serialize")
}

pub(super) fn not_found(what: &'static str, key: impl Into<String>) -> Error {
    Error::NotFound {
        what,
        key: key.into(),
    }
}

/// Applies `edit` to `rel` (which the caller validates afterwards).
pub(super) fn apply_to(rel: &mut Release, edit: &Edit) -> Result<Applied> {
    let release = rel.key.clone();
    let comp_index = |rel: &Release, key: &str| {
        rel.components
            .iter()
            .position(|c| c.key == key)
            .ok_or_else(|| not_found("component", key))
    };
    let dep_index = |rel: &Release, from: &str, to: &str| {
        rel.dependencies
            .iter()
            .position(|d| d.from == from && d.to == to)
            .ok_or_else(|| not_found("dependency", format!("{from} -> {to}")))
    };
    Ok(match edit {
        Edit::SetComponent {
            component,
            field,
            value,
            ..
        } => {
            let i = comp_index(rel, component)?;
            let path = format!("components.{component}");
            let (new, old, stored) = set_field(&rel.components[i], field.name(), value, &path)?;
            rel.components[i] = new;
            let mut a = Applied::one(
                Edit::SetComponent {
                    release,
                    component: component.clone(),
                    field: *field,
                    value: old.clone(),
                },
                "component",
                component,
                Some(field.name()),
                Some(old.to_string()),
                Some(stored.to_string()),
                format!("{component}: {} {old} -> {stored}", field.name()),
            );
            a.stored = Some(stored);
            a
        }
        Edit::AddComponent {
            component, index, ..
        } => {
            let at = index
                .unwrap_or(rel.components.len())
                .min(rel.components.len());
            rel.components.insert(at, (**component).clone());
            Applied::one(
                Edit::RemoveComponent {
                    release,
                    component: component.key.clone(),
                },
                "component",
                &component.key,
                None,
                None,
                Some(json(component)),
                format!("add component {}", component.key),
            )
        }
        Edit::RemoveComponent { component, .. } => {
            let i = comp_index(rel, component)?;
            let removed = rel.components.remove(i);
            let mut restore = vec![Edit::AddComponent {
                release: release.clone(),
                component: Box::new(removed.clone()),
                index: Some(i),
            }];
            let mut k = 0;
            let mut original = 0;
            while k < rel.dependencies.len() {
                let d = &rel.dependencies[k];
                if d.from == *component || d.to == *component {
                    restore.push(Edit::AddDependency {
                        release: release.clone(),
                        dependency: rel.dependencies.remove(k),
                        index: Some(original),
                    });
                } else {
                    k += 1;
                }
                original += 1;
            }
            let mut rows = vec![Row {
                entity: "component",
                key: component.clone(),
                field: None,
                old: Some(json(&removed)),
                new: None,
            }];
            for m in rel.milestones.iter_mut() {
                if m.components.contains(component) {
                    let before = m.components.clone();
                    restore.push(Edit::PutMilestone {
                        release: release.clone(),
                        milestone: Box::new(m.clone()),
                        index: None,
                    });
                    m.components.retain(|c| c != component);
                    rows.push(Row {
                        entity: "milestone",
                        key: m.key.clone(),
                        field: Some("components".into()),
                        old: Some(json(&before)),
                        new: Some(json(&m.components)),
                    });
                }
            }
            Applied {
                inverse: Edit::Batch {
                    release,
                    edits: restore,
                },
                rows,
                summary: format!("remove component {component}"),
                stored: None,
            }
        }
        Edit::RenameComponent { from, to, .. } => {
            let i = comp_index(rel, from)?;
            if from != to && rel.components.iter().any(|c| c.key == *to) {
                return Err(Error::invalid(
                    Code::DuplicateKey,
                    format!("components.{from}.key"),
                    format!("a component with key \"{to}\" is already in the release"),
                ));
            }
            rel.components[i].key = to.clone();
            for d in rel.dependencies.iter_mut() {
                if d.from == *from {
                    d.from = to.clone();
                }
                if d.to == *from {
                    d.to = to.clone();
                }
            }
            for m in rel.milestones.iter_mut() {
                for c in m.components.iter_mut() {
                    if c == from {
                        *c = to.clone();
                    }
                }
            }
            Applied::one(
                Edit::RenameComponent {
                    release,
                    from: to.clone(),
                    to: from.clone(),
                },
                "component",
                from,
                Some("key"),
                Some(from.clone()),
                Some(to.clone()),
                format!("rename component {from} -> {to}"),
            )
        }
        Edit::PutMilestone {
            milestone, index, ..
        } => match rel.milestones.iter().position(|m| m.key == milestone.key) {
            Some(i) => {
                let old = std::mem::replace(&mut rel.milestones[i], (**milestone).clone());
                Applied::one(
                    Edit::PutMilestone {
                        release,
                        milestone: Box::new(old.clone()),
                        index: None,
                    },
                    "milestone",
                    &milestone.key,
                    None,
                    Some(json(&old)),
                    Some(json(milestone)),
                    format!("change milestone {}", milestone.key),
                )
            }
            None => {
                let at = index
                    .unwrap_or(rel.milestones.len())
                    .min(rel.milestones.len());
                rel.milestones.insert(at, (**milestone).clone());
                Applied::one(
                    Edit::RemoveMilestone {
                        release,
                        milestone: milestone.key.clone(),
                    },
                    "milestone",
                    &milestone.key,
                    None,
                    None,
                    Some(json(milestone)),
                    format!("add milestone {}", milestone.key),
                )
            }
        },
        Edit::RemoveMilestone { milestone, .. } => {
            let i = rel
                .milestones
                .iter()
                .position(|m| m.key == *milestone)
                .ok_or_else(|| not_found("milestone", milestone.clone()))?;
            let old = rel.milestones.remove(i);
            Applied::one(
                Edit::PutMilestone {
                    release,
                    milestone: Box::new(old.clone()),
                    index: Some(i),
                },
                "milestone",
                milestone,
                None,
                Some(json(&old)),
                None,
                format!("remove milestone {milestone}"),
            )
        }
        Edit::SetRelease { field, value, .. } => {
            let (new, old, stored) = set_field(&*rel, field.name(), value, "")?;
            *rel = new;
            let mut a = Applied::one(
                Edit::SetRelease {
                    release: release.clone(),
                    field: *field,
                    value: old.clone(),
                },
                "release",
                &release,
                Some(field.name()),
                Some(old.to_string()),
                Some(stored.to_string()),
                format!("{release}: {} {old} -> {stored}", field.name()),
            );
            a.stored = Some(stored);
            a
        }
        Edit::AddStatusUpdate {
            component,
            date,
            text,
            index,
            ..
        } => {
            let i = comp_index(rel, component)?;
            let updates = &mut rel.components[i].updates;
            let at = index.unwrap_or(updates.len()).min(updates.len());
            let up = StatusUpdate {
                date: *date,
                text: text.clone(),
            };
            updates.insert(at, up.clone());
            Applied::one(
                Edit::RemoveStatusUpdate {
                    release,
                    component: component.clone(),
                    index: at,
                },
                "component",
                component,
                Some("updates"),
                None,
                Some(update_json(&up)),
                format!("{component}: status update {date}"),
            )
        }
        Edit::RemoveStatusUpdate {
            component, index, ..
        } => {
            let i = comp_index(rel, component)?;
            let updates = &mut rel.components[i].updates;
            if *index >= updates.len() {
                return Err(not_found(
                    "status update",
                    format!("{component} #{}", index + 1),
                ));
            }
            let up = updates.remove(*index);
            Applied::one(
                Edit::AddStatusUpdate {
                    release,
                    component: component.clone(),
                    date: up.date,
                    text: up.text.clone(),
                    index: Some(*index),
                },
                "component",
                component,
                Some("updates"),
                Some(update_json(&up)),
                None,
                format!("{component}: remove status update {}", up.date),
            )
        }
        Edit::AddDependency {
            dependency, index, ..
        } => {
            let at = index
                .unwrap_or(rel.dependencies.len())
                .min(rel.dependencies.len());
            rel.dependencies.insert(at, dependency.clone());
            let key = format!("{}->{}", dependency.from, dependency.to);
            Applied::one(
                Edit::RemoveDependency {
                    release,
                    from: dependency.from.clone(),
                    to: dependency.to.clone(),
                },
                "dependency",
                &key,
                None,
                None,
                Some(json(dependency)),
                format!("add dependency {} -> {}", dependency.from, dependency.to),
            )
        }
        Edit::RemoveDependency { from, to, .. } => {
            let i = dep_index(rel, from, to)?;
            let old = rel.dependencies.remove(i);
            Applied::one(
                Edit::AddDependency {
                    release,
                    dependency: old.clone(),
                    index: Some(i),
                },
                "dependency",
                &format!("{from}->{to}"),
                None,
                Some(json(&old)),
                None,
                format!("remove dependency {from} -> {to}"),
            )
        }
        Edit::SetDependency {
            from,
            to,
            field,
            value,
            ..
        } => {
            let i = dep_index(rel, from, to)?;
            let path = format!("dependencies[{i}]");
            let (new, old, stored) = set_field(&rel.dependencies[i], field.name(), value, &path)?;
            rel.dependencies[i] = new;
            Applied::one(
                Edit::SetDependency {
                    release,
                    from: from.clone(),
                    to: to.clone(),
                    field: *field,
                    value: old.clone(),
                },
                "dependency",
                &format!("{from}->{to}"),
                Some(field.name()),
                Some(old.to_string()),
                Some(stored.to_string()),
                format!("{from} -> {to}: {} {old} -> {stored}", field.name()),
            )
        }
        Edit::SetScenario {
            milestone,
            index,
            done,
            ..
        } => {
            let m = rel
                .milestones
                .iter_mut()
                .find(|m| m.key == *milestone)
                .ok_or_else(|| not_found("milestone", milestone.clone()))?;
            let s = m
                .scenarios
                .get_mut(*index)
                .ok_or_else(|| not_found("scenario", format!("{milestone} #{}", index + 1)))?;
            let old = s.done;
            s.done = *done;
            Applied::one(
                Edit::SetScenario {
                    release,
                    milestone: milestone.clone(),
                    index: *index,
                    done: old,
                },
                "milestone",
                milestone,
                Some(&format!("scenarios[{index}].done")),
                Some(old.to_string()),
                Some(done.to_string()),
                format!(
                    "{milestone}: scenario \"{}\" {}",
                    s.text,
                    if *done { "done" } else { "not done" }
                ),
            )
        }
        Edit::AddChecklistItem { item, index, .. } => {
            let at = index
                .unwrap_or(rel.checklist.len())
                .min(rel.checklist.len());
            rel.checklist.insert(at, item.clone());
            Applied::one(
                Edit::RemoveChecklistItem { release, index: at },
                "checklist",
                &item.text,
                None,
                None,
                Some(json(item)),
                format!("add checklist item \"{}\"", item.text),
            )
        }
        Edit::RemoveChecklistItem { index, .. } => {
            if *index >= rel.checklist.len() {
                return Err(not_found("checklist item", format!("#{}", index + 1)));
            }
            let old = rel.checklist.remove(*index);
            Applied::one(
                Edit::AddChecklistItem {
                    release,
                    item: old.clone(),
                    index: Some(*index),
                },
                "checklist",
                &old.text,
                None,
                Some(json(&old)),
                None,
                format!("remove checklist item \"{}\"", old.text),
            )
        }
        Edit::SetChecklistItem {
            index,
            field,
            value,
            ..
        } => {
            let item = rel
                .checklist
                .get(*index)
                .ok_or_else(|| not_found("checklist item", format!("#{}", index + 1)))?;
            let path = format!("checklist[{index}]");
            let (new, old, stored) = set_field(item, field.name(), value, &path)?;
            let text = new.text.clone();
            rel.checklist[*index] = new;
            Applied::one(
                Edit::SetChecklistItem {
                    release,
                    index: *index,
                    field: *field,
                    value: old.clone(),
                },
                "checklist",
                &text,
                Some(field.name()),
                Some(old.to_string()),
                Some(stored.to_string()),
                format!("checklist \"{text}\": {} {old} -> {stored}", field.name()),
            )
        }
        Edit::Batch { edits, .. } => {
            let mut inverses = Vec::with_capacity(edits.len());
            let mut rows = Vec::new();
            let mut summaries = Vec::new();
            for e in edits {
                if e.release() != release {
                    return Err(Error::invalid(
                        Code::BadEdit,
                        "edits",
                        format!(
                            "a batch changes one release; found \"{}\" in a batch for \"{release}\"",
                            e.release()
                        ),
                    ));
                }
                let a = apply_to(rel, e)?;
                inverses.push(a.inverse);
                rows.extend(a.rows);
                summaries.push(a.summary);
            }
            inverses.reverse();
            let summary = match summaries.len() {
                0 => "no change".to_string(),
                1 => summaries.remove(0),
                n => format!("{} (and {} more)", summaries[0], n - 1),
            };
            Applied {
                inverse: Edit::Batch {
                    release,
                    edits: inverses,
                },
                rows,
                summary,
                stored: None,
            }
        }
        Edit::CreateRelease { .. } | Edit::DeleteRelease { .. } | Edit::ArchiveRelease { .. } => {
            return Err(Error::invalid(
                Code::BadEdit,
                "edits",
                "creating, deleting or archiving a release cannot be part of a batch",
            ))
        }
        Edit::PutTeam { .. }
        | Edit::RemoveTeam { .. }
        | Edit::PutEndpoint { .. }
        | Edit::RemoveEndpoint { .. }
        | Edit::SetCalendar { .. } => {
            return Err(Error::invalid(
                Code::BadEdit,
                "edits",
                "a team, endpoint or calendar edit changes the workspace, not a release: send it on its own",
            ))
        }
    })
}

/// Sets `field` of `obj` through its plan-file JSON form, so the value is type
/// checked exactly as the plan file is. Returns the new object, the old value and
/// the new value as stored (defaults applied: a `null` status becomes `planning`).
pub(super) fn set_field<T: Serialize + DeserializeOwned>(
    obj: &T,
    field: &str,
    value: &Value,
    at: &str,
) -> Result<(T, Value, Value)> {
    let mut json = serde_json::to_value(obj).expect("plan types serialize");
    let map = json.as_object_mut().expect("an object");
    let old = map.get(field).cloned().unwrap_or(Value::Null);
    if value.is_null() {
        map.remove(field);
    } else {
        map.insert(field.to_string(), value.clone());
    }
    let path = if at.is_empty() {
        field.to_string()
    } else {
        format!("{at}.{field}")
    };
    let new: T = serde_json::from_value(json)
        .map_err(|e| Error::invalid(Code::BadValue, path, e.to_string()))?;
    let stored = serde_json::to_value(&new)
        .expect("plan types serialize")
        .get(field)
        .cloned()
        .unwrap_or(Value::Null);
    Ok((new, old, stored))
}
