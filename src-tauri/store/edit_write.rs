//! Writing one edit inside a transaction: applied to the stored release,
//! validated through the plan's own rules, written (a one-column update when
//! it can be), and recorded in the change history.

use super::edit::{ComponentField, Edit, ReleaseField};
use super::edit_apply::{apply_to, json, Applied};
use super::edit_workspace::{apply_to_workspace, write_workspace};
use super::import::{insert_release, next_batch};
use super::now;
use crate::error::{Error, Problem, Result};
use crate::plan::{validate, Plan, StatusUpdate};
use rusqlite::types::Value as Sql;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::Value;

pub(super) fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("edits serialize")
}

/// Validates and writes `edit` inside `tx`, records its history rows under a
/// new batch, and returns its inverse and a one-line summary.
pub(super) fn write_edit(
    tx: &Transaction,
    actor: &str,
    edit: &Edit,
    kind: &str,
) -> Result<(Edit, String)> {
    if edit.is_workspace() {
        return write_workspace_edit(tx, actor, edit, kind);
    }
    let key = edit.release().to_string();
    let stored: Option<(i64, bool)> = tx
        .query_row(
            "SELECT id, archived FROM releases WHERE key = ?1",
            [&key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let mut context = super::Store::context_plan(tx)?;
    let batch = next_batch(tx)?;
    let at = now();
    let record = |a: &Applied| -> Result<()> {
        for row in &a.rows {
            tx.execute(
                "INSERT INTO changes (batch, at, actor, kind, release_key, entity, entity_key, field, old_value, new_value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![batch, at, actor, kind, key, row.entity, row.key, row.field, row.old, row.new],
            )?;
        }
        Ok(())
    };
    match (edit, stored) {
        (Edit::CreateRelease { release, archived }, None) => {
            context.releases.push((**release).clone());
            check(&context)?;
            insert_release(tx, release)?;
            tx.execute(
                "UPDATE releases SET archived = ?2 WHERE key = ?1",
                params![key, archived],
            )?;
            let a = Applied::one(
                Edit::DeleteRelease {
                    release: key.clone(),
                },
                "release",
                &key,
                None,
                None,
                Some(to_json(release)),
                format!("create release {key}"),
            );
            record(&a)?;
            Ok((a.inverse, a.summary))
        }
        (Edit::CreateRelease { .. }, Some(_)) => Err(Error::Exists {
            what: "release",
            key,
            hint: "",
        }),
        (_, None) => Err(Error::NotFound {
            what: "release",
            key,
        }),
        (Edit::DeleteRelease { .. }, Some((_, archived))) => {
            let snapshot = super::read::release_in(tx, &key)?;
            tx.execute("DELETE FROM releases WHERE key = ?1", [&key])?;
            let a = Applied::one(
                Edit::CreateRelease {
                    release: Box::new(snapshot.clone()),
                    archived,
                },
                "release",
                &key,
                None,
                Some(to_json(&snapshot)),
                None,
                format!("delete release {key}"),
            );
            record(&a)?;
            Ok((a.inverse, a.summary))
        }
        (Edit::ArchiveRelease { archived, .. }, Some((id, was))) => {
            tx.execute(
                "UPDATE releases SET archived = ?2 WHERE id = ?1",
                params![id, archived],
            )?;
            let verb = if *archived { "archive" } else { "unarchive" };
            let a = Applied::one(
                Edit::ArchiveRelease {
                    release: key.clone(),
                    archived: was,
                },
                "release",
                &key,
                Some("archived"),
                Some(was.to_string()),
                Some(archived.to_string()),
                format!("{verb} release {key}"),
            );
            record(&a)?;
            Ok((a.inverse, a.summary))
        }
        (_, Some((id, _))) => {
            let mut rel = super::read::release_in(tx, &key)?;
            let applied = apply_to(&mut rel, edit)?;
            context.releases.push(rel);
            check(&context)?;
            let rel = &context.releases[0];
            match fast_path(edit, &applied) {
                Some((sql, args)) => {
                    let mut all = vec![Sql::Integer(id)];
                    all.extend(args);
                    tx.execute(sql, rusqlite::params_from_iter(all))?;
                }
                None => {
                    insert_release(tx, rel)?;
                }
            }
            record(&applied)?;
            Ok((applied.inverse, applied.summary))
        }
    }
}

/// A workspace edit: applied to the whole plan (every release), validated as a
/// plan file is, and written back.
fn write_workspace_edit(
    tx: &Transaction,
    actor: &str,
    edit: &Edit,
    kind: &str,
) -> Result<(Edit, String)> {
    let mut plan = super::Store::context_plan(tx)?;
    let keys: Vec<String> = {
        let mut st = tx.prepare("SELECT key FROM releases ORDER BY position")?;
        let rows = st.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for k in &keys {
        plan.releases.push(super::read::release_in(tx, k)?);
    }
    let applied = apply_to_workspace(&mut plan, edit)?;
    let problems = validate(&plan);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    write_workspace(tx, &plan)?;
    let batch = next_batch(tx)?;
    let at = now();
    for row in &applied.rows {
        tx.execute(
            "INSERT INTO changes (batch, at, actor, kind, release_key, entity, entity_key, field, old_value, new_value)
             VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, ?7, ?8, ?9)",
            params![batch, at, actor, kind, row.entity, row.key, row.field, row.old, row.new],
        )?;
    }
    Ok((applied.inverse, applied.summary))
}

/// Refuses a plan that does not validate, with paths relative to the release.
fn check(plan: &Plan) -> Result<()> {
    let problems = validate(plan);
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::Invalid(
        problems.into_iter().map(relative_to_release).collect(),
    ))
}

fn relative_to_release(mut p: Problem) -> Problem {
    if let Some(rest) = p.path.strip_prefix("releases[0]") {
        p.path = rest.trim_start_matches('.').to_string();
    }
    p
}

/// A single-column UPDATE for the common edits (one field of a component or a
/// release), so they do not rewrite the whole release.
fn fast_path(edit: &Edit, applied: &Applied) -> Option<(&'static str, Vec<Sql>)> {
    if let Some(append) = append_path(edit) {
        return Some(append);
    }
    let stored = applied.stored.clone()?;
    match edit {
        Edit::SetComponent {
            component, field, ..
        } => {
            let value = match (field, &stored) {
                (ComponentField::Labels | ComponentField::Notes, Value::Null) => {
                    Sql::Text("[]".into())
                }
                _ => json_to_sql(&stored),
            };
            let sql = match field {
                ComponentField::Title => {
                    "UPDATE components SET title = ?3 WHERE release_id = ?1 AND key = ?2"
                }
                ComponentField::Team => {
                    "UPDATE components SET team = ?3 WHERE release_id = ?1 AND key = ?2"
                }
                ComponentField::Status => {
                    "UPDATE components SET status = ?3 WHERE release_id = ?1 AND key = ?2"
                }
                ComponentField::DurationDays => {
                    "UPDATE components SET duration_days = ?3 WHERE release_id = ?1 AND key = ?2"
                }
                ComponentField::Start => {
                    "UPDATE components SET start = ?3 WHERE release_id = ?1 AND key = ?2"
                }
                ComponentField::Eta => {
                    "UPDATE components SET eta = ?3 WHERE release_id = ?1 AND key = ?2"
                }
                ComponentField::DoneOn => {
                    "UPDATE components SET done_on = ?3 WHERE release_id = ?1 AND key = ?2"
                }
                ComponentField::Labels => {
                    "UPDATE components SET labels = ?3 WHERE release_id = ?1 AND key = ?2"
                }
                ComponentField::Deploy => {
                    "UPDATE components SET deploy = ?3 WHERE release_id = ?1 AND key = ?2"
                }
                ComponentField::Notes => {
                    "UPDATE components SET notes = ?3 WHERE release_id = ?1 AND key = ?2"
                }
            };
            Some((sql, vec![Sql::Text(component.clone()), value]))
        }
        Edit::SetRelease { field, .. } => {
            let sql = match field {
                ReleaseField::Name => "UPDATE releases SET name = ?2 WHERE id = ?1",
                ReleaseField::Status => "UPDATE releases SET status = ?2 WHERE id = ?1",
                ReleaseField::Start => "UPDATE releases SET start = ?2 WHERE id = ?1",
                ReleaseField::FeatureFreeze => {
                    "UPDATE releases SET feature_freeze = ?2 WHERE id = ?1"
                }
                ReleaseField::CodeFreeze => "UPDATE releases SET code_freeze = ?2 WHERE id = ?1",
                ReleaseField::ReleaseDate => "UPDATE releases SET release_date = ?2 WHERE id = ?1",
                ReleaseField::Strategy => "UPDATE releases SET strategy = ?2 WHERE id = ?1",
                ReleaseField::RollbackTriggers => {
                    "UPDATE releases SET rollback_triggers = ?2 WHERE id = ?1"
                }
                ReleaseField::DeploySchedule => {
                    "UPDATE releases SET deploy_schedule = ?2 WHERE id = ?1"
                }
                ReleaseField::Comms => "UPDATE releases SET comms = ?2 WHERE id = ?1",
                ReleaseField::Notes => "UPDATE releases SET notes = ?2 WHERE id = ?1",
                ReleaseField::Retrospective => {
                    "UPDATE releases SET retrospective = ?2 WHERE id = ?1"
                }
            };
            let value = match (field, &stored) {
                (
                    ReleaseField::RollbackTriggers
                    | ReleaseField::Notes
                    | ReleaseField::Retrospective,
                    Value::Null,
                ) => Sql::Text("[]".into()),
                _ => json_to_sql(&stored),
            };
            Some((sql, vec![value]))
        }
        _ => None,
    }
}

/// An add at the end of its list (a component without status updates, a
/// dependency) is one row inserted after the others, not the release
/// rewritten: the reading order (`position`) puts it last, as `apply_to` did.
/// `?1` is the release's id.
fn append_path(edit: &Edit) -> Option<(&'static str, Vec<Sql>)> {
    let opt = |d: Option<String>| d.map_or(Sql::Null, Sql::Text);
    match edit {
        Edit::AddComponent {
            component,
            index: None,
            ..
        } if component.updates.is_empty() => Some((
            "INSERT INTO components (release_id, key, title, team, status, duration_days, start, eta,
                                     done_on, labels, deploy, notes, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
                     (SELECT COALESCE(MAX(position), -1) + 1 FROM components WHERE release_id = ?1))",
            vec![
                Sql::Text(component.key.clone()),
                Sql::Text(component.title.clone()),
                Sql::Text(component.team.clone()),
                Sql::Text(component.status.as_str().to_string()),
                Sql::Integer(i64::from(component.duration_days)),
                opt(component.start.map(|d| d.to_string())),
                opt(component.eta.map(|d| d.to_string())),
                opt(component.done_on.map(|d| d.to_string())),
                Sql::Text(json(&component.labels)),
                opt(component.deploy.as_ref().map(json)),
                Sql::Text(json(&component.notes)),
            ],
        )),
        Edit::AddDependency {
            dependency: d,
            index: None,
            ..
        } => Some((
            "INSERT INTO dependencies (release_id, from_id, to_id, needed_by, buffer_days, lag_days, position)
             SELECT ?1, f.id, t.id, ?4, ?5, ?6,
                    (SELECT COALESCE(MAX(position), -1) + 1 FROM dependencies WHERE release_id = ?1)
             FROM components f, components t
             WHERE f.release_id = ?1 AND f.key = ?2 AND t.release_id = ?1 AND t.key = ?3",
            vec![
                Sql::Text(d.from.clone()),
                Sql::Text(d.to.clone()),
                opt(d.needed_by.map(|x| x.to_string())),
                d.buffer_days.map_or(Sql::Null, |b| Sql::Integer(i64::from(b))),
                d.lag_days.map_or(Sql::Null, |b| Sql::Integer(i64::from(b))),
            ],
        )),
        _ => None,
    }
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

/// A status update as recorded in the history.
pub(super) fn update_json(u: &StatusUpdate) -> String {
    to_json(u)
}
