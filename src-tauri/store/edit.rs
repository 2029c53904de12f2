//! Edits to a stored release: each one validated against the whole release,
//! written in one transaction, and recorded in the change history.

use super::import::next_batch;
use super::{now, Store};
use crate::error::{Error, Problem, Result};
use crate::plan::{validate, Date, Dependency, Plan, StatusUpdate};
use rusqlite::params;
use rusqlite::types::Value as Sql;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::Value;

/// A component field that can be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentField {
    Title,
    Team,
    Status,
    DurationDays,
    Start,
    Eta,
    DoneOn,
    Labels,
}

impl ComponentField {
    pub fn name(self) -> &'static str {
        match self {
            ComponentField::Title => "title",
            ComponentField::Team => "team",
            ComponentField::Status => "status",
            ComponentField::DurationDays => "duration_days",
            ComponentField::Start => "start",
            ComponentField::Eta => "eta",
            ComponentField::DoneOn => "done_on",
            ComponentField::Labels => "labels",
        }
    }

    pub fn parse(s: &str) -> Option<ComponentField> {
        serde_json::from_value(Value::String(s.to_string())).ok()
    }
}

/// A release field that can be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseField {
    Name,
    Status,
    Start,
    FeatureFreeze,
    CodeFreeze,
    ReleaseDate,
    Strategy,
}

impl ReleaseField {
    pub fn name(self) -> &'static str {
        match self {
            ReleaseField::Name => "name",
            ReleaseField::Status => "status",
            ReleaseField::Start => "start",
            ReleaseField::FeatureFreeze => "feature_freeze",
            ReleaseField::CodeFreeze => "code_freeze",
            ReleaseField::ReleaseDate => "release_date",
            ReleaseField::Strategy => "strategy",
        }
    }

    pub fn parse(s: &str) -> Option<ReleaseField> {
        serde_json::from_value(Value::String(s.to_string())).ok()
    }
}

/// One edit, as the UI and the CLI send it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    /// Set one field of a component; `value` as in the plan file (`null` clears).
    SetComponent {
        release: String,
        component: String,
        field: ComponentField,
        value: Value,
    },
    /// Set one field of a release.
    SetRelease {
        release: String,
        field: ReleaseField,
        value: Value,
    },
    /// Append a dated line to a component's status log.
    AddStatusUpdate {
        release: String,
        component: String,
        date: Date,
        text: String,
    },
    /// Add `from` blocks `to`; refused when it would close a cycle.
    AddDependency {
        release: String,
        dependency: Dependency,
    },
    RemoveDependency {
        release: String,
        from: String,
        to: String,
    },
}

/// One row of the change history.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub id: i64,
    pub batch: i64,
    pub at: String,
    pub actor: String,
    pub release: Option<String>,
    pub entity: String,
    pub key: String,
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// What an edit writes: SQL to run and history rows, computed before the transaction.
struct Write {
    sql: &'static str,
    args: Vec<Sql>,
    entity: &'static str,
    key: String,
    field: Option<&'static str>,
    old: Option<String>,
    new: Option<String>,
}

impl Store {
    /// Applies one edit in one transaction and records it. A field value of the
    /// wrong type, a dangling reference or a cycle is refused and nothing changes.
    pub fn apply(&mut self, edit: &Edit) -> Result<()> {
        let release_key = match edit {
            Edit::SetComponent { release, .. }
            | Edit::SetRelease { release, .. }
            | Edit::AddStatusUpdate { release, .. }
            | Edit::AddDependency { release, .. }
            | Edit::RemoveDependency { release, .. } => release.clone(),
        };
        let mut plan = self.load_plan(Some(&release_key))?;
        // Validate against every team and endpoint, not only the ones in use.
        let all = self.load_plan(None).map(|p| (p.teams, p.endpoints));
        let (teams, endpoints) = all?;
        plan.teams = teams;
        plan.endpoints = endpoints;
        let write = plan_write(&mut plan, edit)?;
        let problems = validate(&plan);
        if !problems.is_empty() {
            return Err(Error::Invalid(
                problems.into_iter().map(relative_to_release).collect(),
            ));
        }
        let actor = self.actor.clone();
        let tx = self.conn.transaction()?;
        let batch = next_batch(&tx)?;
        let rel_id: i64 = tx.query_row(
            "SELECT id FROM releases WHERE key = ?1",
            [&release_key],
            |r| r.get(0),
        )?;
        let mut args = write.args.clone();
        args.insert(0, Sql::Integer(rel_id));
        tx.execute(write.sql, rusqlite::params_from_iter(args))?;
        tx.execute(
            "INSERT INTO changes (batch, at, actor, release_key, entity, entity_key, field, old_value, new_value)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![batch, now(), actor, release_key, write.entity, write.key, write.field, write.old, write.new],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The change history, newest first; narrowed to a release, and to one
    /// entity key (a component's key, `from->to` for a dependency) when given.
    pub fn history(
        &self,
        release: Option<&str>,
        key: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Change>> {
        let mut st = self.conn.prepare(
            "SELECT id, batch, at, actor, release_key, entity, entity_key, field, old_value, new_value
             FROM changes
             WHERE (?1 IS NULL OR release_key = ?1) AND (?2 IS NULL OR entity_key = ?2)
             ORDER BY id DESC LIMIT ?3",
        )?;
        let rows = st.query_map(params![release, key, limit as i64], |r| {
            Ok(Change {
                id: r.get(0)?,
                batch: r.get(1)?,
                at: r.get(2)?,
                actor: r.get(3)?,
                release: r.get(4)?,
                entity: r.get(5)?,
                key: r.get(6)?,
                field: r.get(7)?,
                old: r.get(8)?,
                new: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn relative_to_release(mut p: Problem) -> Problem {
    if let Some(rest) = p.path.strip_prefix("releases[0]") {
        p.path = rest.trim_start_matches('.').to_string();
    }
    p
}

/// Applies the edit to the in-memory plan and says what to write.
fn plan_write(plan: &mut Plan, edit: &Edit) -> Result<Write> {
    let rel = &mut plan.releases[0];
    match edit {
        Edit::SetComponent {
            component,
            field,
            value,
            ..
        } => {
            let c = rel
                .components
                .iter_mut()
                .find(|c| &c.key == component)
                .ok_or_else(|| Error::NotFound {
                    what: "component",
                    key: component.clone(),
                })?;
            let (new, old, value) =
                set_field(c, field.name(), value, &format!("components.{component}"))?;
            *c = new;
            let sql_value = match (field, &value) {
                (ComponentField::Labels, Value::Null) => Sql::Text("[]".into()),
                _ => json_to_sql(&value),
            };
            Ok(Write {
                sql: match field {
                    ComponentField::Title => "UPDATE components SET title = ?3 WHERE release_id = ?1 AND key = ?2",
                    ComponentField::Team => "UPDATE components SET team = ?3 WHERE release_id = ?1 AND key = ?2",
                    ComponentField::Status => "UPDATE components SET status = ?3 WHERE release_id = ?1 AND key = ?2",
                    ComponentField::DurationDays => {
                        "UPDATE components SET duration_days = ?3 WHERE release_id = ?1 AND key = ?2"
                    }
                    ComponentField::Start => "UPDATE components SET start = ?3 WHERE release_id = ?1 AND key = ?2",
                    ComponentField::Eta => "UPDATE components SET eta = ?3 WHERE release_id = ?1 AND key = ?2",
                    ComponentField::DoneOn => "UPDATE components SET done_on = ?3 WHERE release_id = ?1 AND key = ?2",
                    ComponentField::Labels => "UPDATE components SET labels = ?3 WHERE release_id = ?1 AND key = ?2",
                },
                args: vec![Sql::Text(component.clone()), sql_value],
                entity: "component",
                key: component.clone(),
                field: Some(field.name()),
                old: Some(old.to_string()),
                new: Some(value.to_string()),
            })
        }
        Edit::SetRelease {
            field,
            value,
            release,
        } => {
            let (new, old, value) = set_field(rel, field.name(), value, "")?;
            *rel = new;
            Ok(Write {
                sql: match field {
                    ReleaseField::Name => "UPDATE releases SET name = ?2 WHERE id = ?1",
                    ReleaseField::Status => "UPDATE releases SET status = ?2 WHERE id = ?1",
                    ReleaseField::Start => "UPDATE releases SET start = ?2 WHERE id = ?1",
                    ReleaseField::FeatureFreeze => {
                        "UPDATE releases SET feature_freeze = ?2 WHERE id = ?1"
                    }
                    ReleaseField::CodeFreeze => {
                        "UPDATE releases SET code_freeze = ?2 WHERE id = ?1"
                    }
                    ReleaseField::ReleaseDate => {
                        "UPDATE releases SET release_date = ?2 WHERE id = ?1"
                    }
                    ReleaseField::Strategy => "UPDATE releases SET strategy = ?2 WHERE id = ?1",
                },
                args: vec![json_to_sql(&value)],
                entity: "release",
                key: release.clone(),
                field: Some(field.name()),
                old: Some(old.to_string()),
                new: Some(value.to_string()),
            })
        }
        Edit::AddStatusUpdate {
            component,
            date,
            text,
            ..
        } => {
            let c = rel
                .components
                .iter_mut()
                .find(|c| &c.key == component)
                .ok_or_else(|| Error::NotFound {
                    what: "component",
                    key: component.clone(),
                })?;
            let up = StatusUpdate {
                date: *date,
                text: text.clone(),
            };
            c.updates.push(up.clone());
            Ok(Write {
                sql: "INSERT INTO status_updates (component_id, date, text, position)
                      SELECT c.id, ?3, ?4, (SELECT COALESCE(MAX(position), -1) + 1 FROM status_updates WHERE component_id = c.id)
                      FROM components c WHERE c.release_id = ?1 AND c.key = ?2",
                args: vec![Sql::Text(component.clone()), Sql::Text(date.to_string()), Sql::Text(text.clone())],
                entity: "component",
                key: component.clone(),
                field: Some("updates"),
                old: None,
                new: Some(serde_json::to_string(&up).expect("serializes")),
            })
        }
        Edit::AddDependency { dependency: d, .. } => {
            rel.dependencies.push(d.clone());
            let opt = |v: Option<u32>| v.map(|x| Sql::Integer(x as i64)).unwrap_or(Sql::Null);
            Ok(Write {
                sql: "INSERT INTO dependencies (release_id, from_id, to_id, needed_by, buffer_days, lag_days, position)
                      SELECT ?1, f.id, t.id, ?4, ?5, ?6,
                             (SELECT COALESCE(MAX(position), -1) + 1 FROM dependencies WHERE release_id = ?1)
                      FROM components f, components t
                      WHERE f.release_id = ?1 AND f.key = ?2 AND t.release_id = ?1 AND t.key = ?3",
                args: vec![
                    Sql::Text(d.from.clone()),
                    Sql::Text(d.to.clone()),
                    d.needed_by.map(|x| Sql::Text(x.to_string())).unwrap_or(Sql::Null),
                    opt(d.buffer_days),
                    opt(d.lag_days),
                ],
                entity: "dependency",
                key: format!("{}->{}", d.from, d.to),
                field: None,
                old: None,
                new: Some(serde_json::to_string(d).expect("serializes")),
            })
        }
        Edit::RemoveDependency { from, to, .. } => {
            let i = rel
                .dependencies
                .iter()
                .position(|d| &d.from == from && &d.to == to)
                .ok_or_else(|| Error::NotFound {
                    what: "dependency",
                    key: format!("{from} -> {to}"),
                })?;
            let old = rel.dependencies.remove(i);
            Ok(Write {
                sql: "DELETE FROM dependencies WHERE release_id = ?1
                      AND from_id = (SELECT id FROM components WHERE release_id = ?1 AND key = ?2)
                      AND to_id = (SELECT id FROM components WHERE release_id = ?1 AND key = ?3)",
                args: vec![Sql::Text(from.clone()), Sql::Text(to.clone())],
                entity: "dependency",
                key: format!("{from}->{to}"),
                field: None,
                old: Some(serde_json::to_string(&old).expect("serializes")),
                new: None,
            })
        }
    }
}

/// Sets `field` of `obj` through its plan-file JSON form, so the value is type
/// checked exactly as the plan file is. Returns the new object, the old value and
/// the new value as stored (defaults applied: `null` status becomes `planning`).
fn set_field<T: Serialize + DeserializeOwned>(
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
        .map_err(|e| Error::invalid("bad_value", path, e.to_string()))?;
    let stored = serde_json::to_value(&new)
        .expect("plan types serialize")
        .get(field)
        .cloned()
        .unwrap_or(Value::Null);
    Ok((new, old, stored))
}

fn json_to_sql(v: &Value) -> Sql {
    match v {
        Value::Null => Sql::Null,
        Value::Bool(b) => Sql::Integer(*b as i64),
        Value::Number(n) => n
            .as_i64()
            .map(Sql::Integer)
            .unwrap_or_else(|| Sql::Real(n.as_f64().unwrap_or(0.0))),
        Value::String(s) => Sql::Text(s.clone()),
        other => Sql::Text(other.to_string()),
    }
}
