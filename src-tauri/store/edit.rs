//! Edits to a stored release: each one validated against the whole release,
//! written in one transaction, recorded in the change history, and undoable.

use super::edit_apply::{apply_to, Applied};
use super::import::{insert_release, next_batch};
use super::{now, Store};
use crate::error::{Error, Problem, Result};
use crate::plan::{
    validate, ChecklistItem, Component, Date, Dependency, Plan, Release, StatusUpdate,
};
use rusqlite::types::Value as Sql;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::Value;

macro_rules! field_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// The field's name in the plan file.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

field_enum!(
    /// A component field that can be set.
    ComponentField {
        Title => "title",
        Team => "team",
        Status => "status",
        DurationDays => "duration_days",
        Start => "start",
        Eta => "eta",
        DoneOn => "done_on",
        Labels => "labels",
    }
);

field_enum!(
    /// A release field that can be set.
    ReleaseField {
        Name => "name",
        Status => "status",
        Start => "start",
        FeatureFreeze => "feature_freeze",
        CodeFreeze => "code_freeze",
        ReleaseDate => "release_date",
        Strategy => "strategy",
    }
);

field_enum!(
    /// A dependency field that can be set.
    DependencyField {
        NeededBy => "needed_by",
        BufferDays => "buffer_days",
        LagDays => "lag_days",
    }
);

field_enum!(
    /// A checklist item field that can be set.
    ChecklistField {
        Text => "text",
        Owner => "owner",
        Due => "due",
        Done => "done",
        Gate => "gate",
    }
);

/// One edit, as the UI and the CLI send it. Values are written as in the plan
/// file; `null` clears an optional field. `index` places an added item (at the
/// end when absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    SetComponent {
        release: String,
        component: String,
        field: ComponentField,
        value: Value,
    },
    AddComponent {
        release: String,
        component: Box<Component>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    /// Removes a component and the dependencies into and out of it; refused
    /// while a milestone names it.
    RemoveComponent {
        release: String,
        component: String,
    },
    SetRelease {
        release: String,
        field: ReleaseField,
        value: Value,
    },
    /// Hides (or shows again) a release in the list; its data stays.
    ArchiveRelease {
        release: String,
        archived: bool,
    },
    CreateRelease {
        release: Box<Release>,
        #[serde(default)]
        archived: bool,
    },
    DeleteRelease {
        release: String,
    },
    AddStatusUpdate {
        release: String,
        component: String,
        date: Date,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    RemoveStatusUpdate {
        release: String,
        component: String,
        index: usize,
    },
    /// Adds `from` blocks `to`; refused when it would close a cycle.
    AddDependency {
        release: String,
        dependency: Dependency,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    RemoveDependency {
        release: String,
        from: String,
        to: String,
    },
    SetDependency {
        release: String,
        from: String,
        to: String,
        field: DependencyField,
        value: Value,
    },
    /// Ticks (or unticks) a milestone's test scenario.
    SetScenario {
        release: String,
        milestone: String,
        index: usize,
        done: bool,
    },
    AddChecklistItem {
        release: String,
        item: ChecklistItem,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    RemoveChecklistItem {
        release: String,
        index: usize,
    },
    SetChecklistItem {
        release: String,
        index: usize,
        field: ChecklistField,
        value: Value,
    },
    /// Several edits of one release as one step (one undo).
    Batch {
        release: String,
        edits: Vec<Edit>,
    },
}

impl Edit {
    /// The release the edit changes.
    pub fn release(&self) -> &str {
        match self {
            Edit::CreateRelease { release, .. } => &release.key,
            Edit::SetComponent { release, .. }
            | Edit::AddComponent { release, .. }
            | Edit::RemoveComponent { release, .. }
            | Edit::SetRelease { release, .. }
            | Edit::ArchiveRelease { release, .. }
            | Edit::DeleteRelease { release }
            | Edit::AddStatusUpdate { release, .. }
            | Edit::RemoveStatusUpdate { release, .. }
            | Edit::AddDependency { release, .. }
            | Edit::RemoveDependency { release, .. }
            | Edit::SetDependency { release, .. }
            | Edit::SetScenario { release, .. }
            | Edit::AddChecklistItem { release, .. }
            | Edit::RemoveChecklistItem { release, .. }
            | Edit::SetChecklistItem { release, .. }
            | Edit::Batch { release, .. } => release,
        }
    }
}

/// One row of the change history.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Change {
    pub id: i64,
    pub batch: i64,
    pub at: String,
    pub actor: String,
    /// `edit`, `undo`, `redo` or `import`.
    pub kind: String,
    pub release: Option<String>,
    pub entity: String,
    pub key: String,
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// What an undo or a redo did.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct UndoStep {
    pub release: String,
    pub summary: String,
    pub can_undo: bool,
    pub can_redo: bool,
}

impl Store {
    /// Applies one edit in one transaction and records it (it can be undone).
    /// A value of the wrong type, a dangling reference or a cycle is refused
    /// and nothing changes.
    pub fn apply(&mut self, edit: &Edit) -> Result<()> {
        let tx = self.conn.transaction()?;
        let (inverse, summary) = write_edit(&tx, &self.actor, edit, "edit")?;
        let batch: i64 = tx.query_row("SELECT MAX(batch) FROM changes", [], |r| r.get(0))?;
        tx.execute(
            "UPDATE edit_log SET state = 'dropped' WHERE release_key = ?1 AND state = 'undone'",
            [edit.release()],
        )?;
        tx.execute(
            "INSERT INTO edit_log (batch, release_key, edit, inverse, summary, state)
             VALUES (?1, ?2, ?3, ?4, ?5, 'done')",
            params![
                batch,
                edit.release(),
                to_json(edit),
                to_json(&inverse),
                summary
            ],
        )?;
        tx.commit()?;
        tracing::debug!(release = edit.release(), batch, %summary, "edit committed");
        Ok(())
    }

    /// Reverts the newest edit of `release` that is not undone yet.
    pub fn undo(&mut self, release: &str) -> Result<Option<UndoStep>> {
        self.step(release, true)
    }

    /// Re-applies the edit undone last, if nothing was edited since.
    pub fn redo(&mut self, release: &str) -> Result<Option<UndoStep>> {
        self.step(release, false)
    }

    pub fn can_undo(&self, release: &str) -> Result<bool> {
        self.log_exists(release, "done")
    }

    pub fn can_redo(&self, release: &str) -> Result<bool> {
        self.log_exists(release, "undone")
    }

    fn log_exists(&self, release: &str, state: &str) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM edit_log WHERE release_key = ?1 AND state = ?2 LIMIT 1",
                [release, state],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    fn step(&mut self, release: &str, undo: bool) -> Result<Option<UndoStep>> {
        let sql = if undo {
            "SELECT batch, edit, inverse, summary FROM edit_log
             WHERE release_key = ?1 AND state = 'done' ORDER BY batch DESC LIMIT 1"
        } else {
            "SELECT batch, edit, inverse, summary FROM edit_log
             WHERE release_key = ?1 AND state = 'undone' ORDER BY batch ASC LIMIT 1"
        };
        let row: Option<(i64, String, String, String)> = self
            .conn
            .query_row(sql, [release], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((batch, forward, inverse, summary)) = row else {
            return Ok(None);
        };
        let edit: Edit = serde_json::from_str(if undo { &inverse } else { &forward })
            .map_err(|e| Error::Workspace(format!("edit log entry {batch} is unreadable: {e}")))?;
        let tx = self.conn.transaction()?;
        write_edit(&tx, &self.actor, &edit, if undo { "undo" } else { "redo" }).map_err(
            |e| match e {
                Error::Invalid(p) => Error::Invalid(
                    p.into_iter()
                        .map(|mut p| {
                            p.message = format!(
                                "cannot {} \"{summary}\": {}",
                                if undo { "undo" } else { "redo" },
                                p.message
                            );
                            p
                        })
                        .collect(),
                ),
                other => other,
            },
        )?;
        tx.execute(
            "UPDATE edit_log SET state = ?2 WHERE batch = ?1",
            params![batch, if undo { "undone" } else { "done" }],
        )?;
        tx.commit()?;
        tracing::debug!(release, batch, undo, "undo step committed");
        Ok(Some(UndoStep {
            release: release.to_string(),
            summary,
            can_undo: self.can_undo(release)?,
            can_redo: self.can_redo(release)?,
        }))
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
            "SELECT id, batch, at, actor, kind, release_key, entity, entity_key, field, old_value, new_value
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
                kind: r.get(4)?,
                release: r.get(5)?,
                entity: r.get(6)?,
                key: r.get(7)?,
                field: r.get(8)?,
                old: r.get(9)?,
                new: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("edits serialize")
}

/// Validates and writes `edit` inside `tx`, records its history rows under a
/// new batch, and returns its inverse and a one-line summary.
fn write_edit(tx: &Transaction, actor: &str, edit: &Edit, kind: &str) -> Result<(Edit, String)> {
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
    let stored = applied.stored.clone()?;
    match edit {
        Edit::SetComponent {
            component, field, ..
        } => {
            let value = match (field, &stored) {
                (ComponentField::Labels, Value::Null) => Sql::Text("[]".into()),
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
            };
            Some((sql, vec![json_to_sql(&stored)]))
        }
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
