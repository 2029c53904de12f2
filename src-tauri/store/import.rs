//! Loading a plan into the workspace, all or nothing.

use super::{now, Store};
use crate::error::{Error, Result};
use crate::plan::{validate, Plan, Release};
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::{HashMap, HashSet};

/// What an import did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    pub releases_added: Vec<String>,
    pub releases_replaced: Vec<String>,
    pub teams: usize,
    pub endpoints: usize,
    pub components: usize,
    pub dependencies: usize,
}

impl Store {
    /// Validates `plan` and loads it in one transaction: teams and endpoints are
    /// added or updated, each release is added. A release whose key exists is
    /// replaced only when `replace` is set; otherwise nothing is written.
    pub fn import(&mut self, plan: &Plan, replace: bool) -> Result<ImportReport> {
        let problems = validate(plan);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let mut report = ImportReport::default();
        for r in &plan.releases {
            let exists: bool = self
                .conn
                .query_row("SELECT 1 FROM releases WHERE key = ?1", [&r.key], |_| {
                    Ok(true)
                })
                .optional()?
                .unwrap_or(false);
            if exists && !replace {
                return Err(Error::Exists {
                    what: "release",
                    key: r.key.clone(),
                    hint: " in the workspace (use --replace to replace it)",
                });
            }
            if exists {
                report.releases_replaced.push(r.key.clone());
            } else {
                report.releases_added.push(r.key.clone());
            }
        }
        let actor = self.actor.clone();
        let tx = self.conn.transaction()?;
        let batch = next_batch(&tx)?;
        let at = now();
        let log = |entity: &str, key: &str, release: Option<&str>, old: Option<&str>, new: &str| {
            tx.execute(
                "INSERT INTO changes (batch, at, actor, kind, release_key, entity, entity_key, field, old_value, new_value)
                 VALUES (?1, ?2, ?3, 'import', ?4, ?5, ?6, NULL, ?7, ?8)",
                params![batch, at, actor, release, entity, key, old, new],
            )
        };
        if let Some(cal) = &plan.calendar {
            let new = serde_json::to_string(cal).expect("calendar serializes");
            let old: Option<String> = tx
                .query_row(
                    "SELECT value FROM settings WHERE key = 'calendar'",
                    [],
                    |r| r.get(0),
                )
                .optional()?;
            if old.as_deref() != Some(new.as_str()) {
                tx.execute(
                    "INSERT INTO settings (key, value) VALUES ('calendar', ?1)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [&new],
                )?;
                log("calendar", "calendar", None, old.as_deref(), &new)?;
            }
        }
        for t in &plan.teams {
            let contacts = t
                .contacts
                .as_ref()
                .map(|c| serde_json::to_string(c).expect("serializes"));
            let new = serde_json::to_string(t).expect("team serializes");
            let old: Option<(String, Option<String>)> = tx
                .query_row(
                    "SELECT name, contacts FROM teams WHERE key = ?1",
                    [&t.key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if old.as_ref() != Some(&(t.name.clone(), contacts.clone())) {
                tx.execute(
                    "INSERT INTO teams (key, name, contacts, position)
                     VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(position), -1) + 1 FROM teams))
                     ON CONFLICT(key) DO UPDATE SET name = excluded.name, contacts = excluded.contacts",
                    params![t.key, t.name, contacts],
                )?;
                let old_json = old.map(|_| "updated");
                log("team", &t.key, None, old_json, &new)?;
            }
            report.teams += 1;
        }
        for (name, e) in &plan.endpoints {
            let spec = serde_json::to_string(e).expect("endpoint serializes");
            let old: Option<String> = tx
                .query_row("SELECT spec FROM endpoints WHERE name = ?1", [name], |r| {
                    r.get(0)
                })
                .optional()?;
            if old.as_deref() != Some(spec.as_str()) {
                tx.execute(
                    "INSERT INTO endpoints (name, spec, position)
                     VALUES (?1, ?2, (SELECT COALESCE(MAX(position), -1) + 1 FROM endpoints))
                     ON CONFLICT(name) DO UPDATE SET spec = excluded.spec",
                    params![name, spec],
                )?;
                log("endpoint", name, None, old.as_deref(), &spec)?;
            }
            report.endpoints += 1;
        }
        for r in &plan.releases {
            let before = match tx
                .query_row(
                    "SELECT 1 FROM releases WHERE key = ?1",
                    [&r.key],
                    |_| Ok(()),
                )
                .optional()?
            {
                Some(()) => Some(super::read::release_in(&tx, &r.key)?),
                None => None,
            };
            let replaced = insert_release(&tx, r)?;
            if let Some(before) = &before {
                for row in release_changes(before, r) {
                    tx.execute(
                        "INSERT INTO changes (batch, at, actor, kind, release_key, entity, entity_key, field, old_value, new_value)
                         VALUES (?1, ?2, ?3, 'import', ?4, ?5, ?6, ?7, ?8, ?9)",
                        params![batch, at, actor, r.key, row.entity, row.key, row.field, row.old, row.new],
                    )?;
                }
            }
            report.components += r.components.len();
            report.dependencies += r.dependencies.len();
            log(
                "release",
                &r.key,
                Some(&r.key),
                replaced.then_some("replaced"),
                "imported",
            )?;
        }
        tx.commit()?;
        tracing::debug!(
            added = report.releases_added.len(),
            replaced = report.releases_replaced.len(),
            components = report.components,
            "import committed"
        );
        Ok(report)
    }
}

pub(super) fn next_batch(tx: &Transaction) -> rusqlite::Result<i64> {
    tx.query_row("SELECT COALESCE(MAX(batch), 0) + 1 FROM changes", [], |r| {
        r.get(0)
    })
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plan values serialize")
}

/// Writes one release (deleting a release of the same key first, keeping its
/// place in the list). Returns whether one was replaced.
pub(super) fn insert_release(tx: &Transaction, r: &Release) -> Result<bool> {
    let old: Option<(i64, bool)> = tx
        .query_row(
            "SELECT position, archived FROM releases WHERE key = ?1",
            [&r.key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    if old.is_some() {
        tx.execute("DELETE FROM releases WHERE key = ?1", [&r.key])?;
    }
    let (position, archived): (i64, bool) = match old {
        Some(o) => o,
        None => (
            tx.query_row(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM releases",
                [],
                |row| row.get(0),
            )?,
            false,
        ),
    };
    tx.execute(
        "INSERT INTO releases (key, name, status, start, feature_freeze, code_freeze, release_date,
                               strategy, rollback_triggers, deploy_schedule, position, archived, comms,
                               notes, retrospective)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            r.key,
            r.name,
            r.status.as_str(),
            r.start.to_string(),
            r.feature_freeze.map(|d| d.to_string()),
            r.code_freeze.map(|d| d.to_string()),
            r.release_date.to_string(),
            r.strategy.map(|s| s.as_str()),
            json(&r.rollback_triggers),
            r.deploy_schedule.as_ref().map(json),
            position,
            archived,
            r.comms.as_ref().map(json),
            json(&r.notes),
            json(&r.retrospective),
        ],
    )?;
    let release_id = tx.last_insert_rowid();
    let mut ids: HashMap<&str, i64> = HashMap::with_capacity(r.components.len());
    {
        let mut comp = tx.prepare_cached(
            "INSERT INTO components (release_id, key, title, team, status, duration_days, start, eta,
                                     done_on, labels, deploy, notes, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        let mut upd = tx.prepare_cached(
            "INSERT INTO status_updates (component_id, date, text, position) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, c) in r.components.iter().enumerate() {
            comp.execute(params![
                release_id,
                c.key,
                c.title,
                c.team,
                c.status.as_str(),
                c.duration_days,
                c.start.map(|d| d.to_string()),
                c.eta.map(|d| d.to_string()),
                c.done_on.map(|d| d.to_string()),
                json(&c.labels),
                c.deploy.as_ref().map(json),
                json(&c.notes),
                i as i64,
            ])?;
            let id = tx.last_insert_rowid();
            ids.insert(c.key.as_str(), id);
            for (j, u) in c.updates.iter().enumerate() {
                upd.execute(params![id, u.date.to_string(), u.text, j as i64])?;
            }
        }
    }
    {
        let mut dep = tx.prepare_cached(
            "INSERT INTO dependencies (release_id, from_id, to_id, needed_by, buffer_days, lag_days, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for (i, d) in r.dependencies.iter().enumerate() {
            dep.execute(params![
                release_id,
                ids[d.from.as_str()],
                ids[d.to.as_str()],
                d.needed_by.map(|x| x.to_string()),
                d.buffer_days,
                d.lag_days,
                i as i64,
            ])?;
        }
    }
    for (i, m) in r.milestones.iter().enumerate() {
        tx.execute(
            "INSERT INTO milestones (release_id, key, name, phase, components, due, environment, owners, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                release_id,
                m.key,
                m.name,
                m.phase.map(|p| p.as_str()),
                json(&m.components),
                m.due.to_string(),
                m.environment,
                json(&m.owners),
                i as i64,
            ],
        )?;
        let mid = tx.last_insert_rowid();
        for (j, s) in m.scenarios.iter().enumerate() {
            tx.execute(
                "INSERT INTO scenarios (milestone_id, text, done, position) VALUES (?1, ?2, ?3, ?4)",
                params![mid, s.text, s.done, j as i64],
            )?;
        }
    }
    for (i, c) in r.checklist.iter().enumerate() {
        tx.execute(
            "INSERT INTO checklist_items (release_id, text, owner, due, done, gate, position)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                release_id,
                c.text,
                c.owner,
                c.due.map(|d| d.to_string()),
                c.done,
                c.gate,
                i as i64,
            ],
        )?;
    }
    Ok(old.is_some())
}

/// One history row of a replaced release: a component or dependency added,
/// removed, or one of its fields changed (values as in the plan file's JSON).
struct ImportRow {
    entity: &'static str,
    key: String,
    field: Option<String>,
    old: Option<String>,
    new: Option<String>,
}

/// What replacing `old` by `new` changed in its components and dependencies,
/// field by field, as the history records an edit: so an ETA moved by a sync
/// or a team packet is in the history like one moved in the app.
fn release_changes(old: &Release, new: &Release) -> Vec<ImportRow> {
    let mut rows = Vec::new();
    diff_entities(
        "component",
        &old.components,
        &new.components,
        |c| c.key.clone(),
        &mut rows,
    );
    diff_entities(
        "dependency",
        &old.dependencies,
        &new.dependencies,
        |d| format!("{}->{}", d.from, d.to),
        &mut rows,
    );
    rows
}

/// The history rows of `before` becoming `after` (entities matched by
/// `key`): removed, added, and each field of one that changed. An entity
/// that did not change costs one comparison.
fn diff_entities<T: serde::Serialize + PartialEq>(
    entity: &'static str,
    before: &[T],
    after: &[T],
    key: impl Fn(&T) -> String,
    rows: &mut Vec<ImportRow>,
) {
    let object = |t: &T| match serde_json::to_value(t).expect("plan values serialize") {
        serde_json::Value::Object(m) => m,
        _ => unreachable!("plan entities serialize as objects"),
    };
    let after_by_key: HashMap<String, &T> = after.iter().map(|a| (key(a), a)).collect();
    let mut kept: HashSet<String> = HashSet::with_capacity(before.len());
    for b in before {
        let k = key(b);
        match after_by_key.get(&k) {
            None => rows.push(ImportRow {
                entity,
                key: k.clone(),
                field: None,
                old: Some(json(b)),
                new: None,
            }),
            Some(a) if *a == b => {}
            Some(a) => {
                let (was, now) = (object(b), object(a));
                let mut fields: Vec<&String> = was.keys().chain(now.keys()).collect();
                fields.sort();
                fields.dedup();
                let null = serde_json::Value::Null;
                for f in fields {
                    let (x, y) = (was.get(f), now.get(f));
                    if x != y {
                        rows.push(ImportRow {
                            entity,
                            key: k.clone(),
                            field: Some(f.clone()),
                            old: Some(x.unwrap_or(&null).to_string()),
                            new: Some(y.unwrap_or(&null).to_string()),
                        });
                    }
                }
            }
        }
        kept.insert(k);
    }
    for a in after {
        let k = key(a);
        if !kept.contains(&k) {
            rows.push(ImportRow {
                entity,
                key: k,
                field: None,
                old: None,
                new: Some(json(a)),
            });
        }
    }
}
