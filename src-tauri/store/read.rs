//! Reading the workspace back into plan types.

use super::Store;
use crate::error::{Error, Result};
use crate::plan::*;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ValueRef};
use rusqlite::{Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use std::collections::{HashMap, HashSet};

impl FromSql for Date {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Date> {
        let s = v.as_str()?;
        Date::parse(s).map_err(|e| FromSqlError::Other(e.into()))
    }
}

/// A JSON column, or an enum stored as its plan-file name.
fn from_json<T: DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn from_name<T: DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    from_json(&format!("\"{s}\""))
}

/// One line of `flotilla releases`: a release's status and dates.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct ReleaseSummary {
    pub key: String,
    pub name: String,
    pub status: Status,
    pub start: Date,
    pub feature_freeze: Option<Date>,
    pub code_freeze: Option<Date>,
    pub release_date: Date,
    pub archived: bool,
    pub components: usize,
    pub dependencies: usize,
}

impl Store {
    /// Every release, in workspace order.
    pub fn releases(&self) -> Result<Vec<ReleaseSummary>> {
        let mut st = self.conn.prepare(
            "SELECT r.key, r.name, r.status, r.start, r.feature_freeze, r.code_freeze, r.release_date, r.archived,
                    (SELECT COUNT(*) FROM components c WHERE c.release_id = r.id),
                    (SELECT COUNT(*) FROM dependencies d WHERE d.release_id = r.id)
             FROM releases r ORDER BY r.position",
        )?;
        let rows = st.query_map([], |r| {
            Ok(ReleaseSummary {
                key: r.get(0)?,
                name: r.get(1)?,
                status: from_name(&r.get::<_, String>(2)?)?,
                start: r.get(3)?,
                feature_freeze: r.get(4)?,
                code_freeze: r.get(5)?,
                release_date: r.get(6)?,
                archived: r.get(7)?,
                components: r.get::<_, i64>(8)? as usize,
                dependencies: r.get::<_, i64>(9)? as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The whole workspace as a plan, or (with `release`) one release with the
    /// teams and endpoints it refers to: a plan file that stands on its own.
    pub fn load_plan(&self, release: Option<&str>) -> Result<Plan> {
        let mut plan = Store::context_plan(&self.conn)?;
        let keys: Vec<String> = match release {
            Some(k) => {
                let found: Option<String> = self
                    .conn
                    .query_row("SELECT key FROM releases WHERE key = ?1", [k], |r| r.get(0))
                    .optional()?;
                vec![found.ok_or_else(|| Error::NotFound {
                    what: "release",
                    key: k.to_string(),
                })?]
            }
            None => {
                let mut st = self
                    .conn
                    .prepare("SELECT key FROM releases ORDER BY position")?;
                let rows = st.query_map([], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            }
        };
        for k in &keys {
            plan.releases.push(self.load_release(k)?);
        }
        if release.is_some() {
            let (teams, endpoints) = references(&plan.releases);
            let (teams, endpoints): (HashSet<String>, HashSet<String>) = (
                teams.into_iter().map(str::to_string).collect(),
                endpoints.into_iter().map(str::to_string).collect(),
            );
            plan.teams.retain(|t| teams.contains(&t.key));
            plan.endpoints.retain(|n, _| endpoints.contains(n));
        }
        Ok(plan)
    }

    /// One release, with everything under it, in stored order.
    pub fn load_release(&self, key: &str) -> Result<Release> {
        release_in(&self.conn, key)
    }

    /// The workspace's working calendar (the default one when none is set),
    /// shared by all its releases.
    pub fn calendar(&self) -> Result<Calendar> {
        Ok(calendar_in(&self.conn)?.unwrap_or_default())
    }

    /// The workspace without its releases: calendar, teams and endpoints.
    pub fn workspace(&self) -> Result<Plan> {
        Store::context_plan(&self.conn)
    }

    /// How many components each team has, over every release.
    pub fn components_per_team(&self) -> Result<Vec<(String, usize)>> {
        let mut st = self
            .conn
            .prepare("SELECT team, COUNT(*) FROM components GROUP BY team")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every team of the workspace, in workspace order.
    pub fn teams(&self) -> Result<Vec<Team>> {
        teams_in(&self.conn)
    }

    /// A plan with the workspace's calendar, every team and every endpoint,
    /// and no release: what an edited release is validated against.
    pub(super) fn context_plan(conn: &Connection) -> Result<Plan> {
        let mut plan = Plan::empty();
        plan.calendar = calendar_in(conn)?;
        plan.teams = teams_in(conn)?;
        let mut st = conn.prepare_cached("SELECT name, spec FROM endpoints ORDER BY position")?;
        let eps = st.query_map([], |r| {
            let spec: String = r.get(1)?;
            Ok((r.get::<_, String>(0)?, from_json::<Endpoint>(&spec)?))
        })?;
        for e in eps {
            let (name, ep) = e?;
            plan.endpoints.insert(name, ep);
        }
        Ok(plan)
    }
}

/// The workspace's calendar setting, if one is set.
fn calendar_in(conn: &Connection) -> Result<Option<Calendar>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'calendar'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(text.map(|s| from_json(&s)).transpose()?)
}

/// One release read through any connection (or an open transaction).
pub(super) fn release_in(conn: &Connection, key: &str) -> Result<Release> {
    let row = conn
            .query_row(
                "SELECT id, key, name, status, start, feature_freeze, code_freeze, release_date, strategy,
                        rollback_triggers, deploy_schedule, comms, notes,
                        retrospective
                 FROM releases WHERE key = ?1",
                [key],
                |r| {
                    let strategy: Option<String> = r.get(8)?;
                    let ds: Option<String> = r.get(10)?;
                    let comms: Option<String> = r.get(11)?;
                    Ok((
                        r.get::<_, i64>(0)?,
                        Release {
                            key: r.get(1)?,
                            name: r.get(2)?,
                            status: from_name(&r.get::<_, String>(3)?)?,
                            start: r.get(4)?,
                            feature_freeze: r.get(5)?,
                            code_freeze: r.get(6)?,
                            release_date: r.get(7)?,
                            strategy: strategy.map(|s| from_name(&s)).transpose()?,
                            components: Vec::new(),
                            dependencies: Vec::new(),
                            milestones: Vec::new(),
                            checklist: Vec::new(),
                            rollback_triggers: from_json(&r.get::<_, String>(9)?)?,
                            deploy_schedule: ds.map(|s| from_json(&s)).transpose()?,
                            comms: comms.map(|s| from_json(&s)).transpose()?,
                            notes: from_json(&r.get::<_, String>(12)?)?,
                            retrospective: from_json(&r.get::<_, String>(13)?)?,
                        },
                    ))
                },
            )
            .optional()?;
    let (id, mut rel) = row.ok_or_else(|| Error::NotFound {
        what: "release",
        key: key.to_string(),
    })?;

    let mut st = conn.prepare_cached(
        "SELECT id, key, title, team, status, duration_days, start, eta, done_on, labels, deploy,
                    notes
             FROM components WHERE release_id = ?1 ORDER BY position",
    )?;
    let mut index: HashMap<i64, usize> = HashMap::new();
    let comps = st.query_map([id], |r| {
        let deploy: Option<String> = r.get(10)?;
        Ok((
            r.get::<_, i64>(0)?,
            Component {
                key: r.get(1)?,
                title: r.get(2)?,
                team: r.get(3)?,
                status: from_name(&r.get::<_, String>(4)?)?,
                duration_days: r.get(5)?,
                start: r.get(6)?,
                eta: r.get(7)?,
                done_on: r.get(8)?,
                labels: from_json(&r.get::<_, String>(9)?)?,
                updates: Vec::new(),
                deploy: deploy.map(|d| from_json(&d)).transpose()?,
                notes: from_json(&r.get::<_, String>(11)?)?,
            },
        ))
    })?;
    for c in comps {
        let (cid, comp) = c?;
        index.insert(cid, rel.components.len());
        rel.components.push(comp);
    }
    let mut st = conn.prepare_cached(
        "SELECT u.component_id, u.date, u.text FROM status_updates u
             JOIN components c ON c.id = u.component_id
             WHERE c.release_id = ?1 ORDER BY u.component_id, u.position",
    )?;
    let ups = st.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            StatusUpdate {
                date: r.get(1)?,
                text: r.get(2)?,
            },
        ))
    })?;
    for u in ups {
        let (cid, up) = u?;
        if let Some(&i) = index.get(&cid) {
            rel.components[i].updates.push(up);
        }
    }
    let mut st = conn.prepare_cached(
        "SELECT f.key, t.key, d.needed_by, d.buffer_days, d.lag_days FROM dependencies d
             JOIN components f ON f.id = d.from_id JOIN components t ON t.id = d.to_id
             WHERE d.release_id = ?1 ORDER BY d.position",
    )?;
    let deps = st.query_map([id], |r| {
        Ok(Dependency {
            from: r.get(0)?,
            to: r.get(1)?,
            needed_by: r.get(2)?,
            buffer_days: r.get(3)?,
            lag_days: r.get(4)?,
        })
    })?;
    rel.dependencies = deps.collect::<rusqlite::Result<_>>()?;

    let mut st = conn.prepare_cached(
        "SELECT id, key, name, phase, components, due, environment, owners
             FROM milestones WHERE release_id = ?1 ORDER BY position",
    )?;
    let ms = st.query_map([id], |r| {
        let phase: Option<String> = r.get(3)?;
        Ok((
            r.get::<_, i64>(0)?,
            Milestone {
                key: r.get(1)?,
                name: r.get(2)?,
                phase: phase.map(|p| from_name(&p)).transpose()?,
                components: from_json(&r.get::<_, String>(4)?)?,
                due: r.get(5)?,
                environment: r.get(6)?,
                owners: from_json(&r.get::<_, String>(7)?)?,
                scenarios: Vec::new(),
            },
        ))
    })?;
    let ms: Vec<(i64, Milestone)> = ms.collect::<rusqlite::Result<_>>()?;
    let mut sc = conn.prepare_cached(
        "SELECT text, done FROM scenarios WHERE milestone_id = ?1 ORDER BY position",
    )?;
    for (mid, mut m) in ms {
        let rows = sc.query_map([mid], |r| {
            Ok(Scenario {
                text: r.get(0)?,
                done: r.get(1)?,
            })
        })?;
        m.scenarios = rows.collect::<rusqlite::Result<_>>()?;
        rel.milestones.push(m);
    }
    let mut st = conn.prepare_cached(
            "SELECT text, owner, due, done, gate FROM checklist_items WHERE release_id = ?1 ORDER BY position",
        )?;
    let items = st.query_map([id], |r| {
        Ok(ChecklistItem {
            text: r.get(0)?,
            owner: r.get(1)?,
            due: r.get(2)?,
            done: r.get(3)?,
            gate: r.get(4)?,
        })
    })?;
    rel.checklist = items.collect::<rusqlite::Result<_>>()?;
    Ok(rel)
}

/// The teams and endpoints these releases refer to.
fn references(releases: &[Release]) -> (HashSet<&str>, HashSet<&str>) {
    let mut teams = HashSet::new();
    let mut endpoints = HashSet::new();
    for r in releases {
        for c in &r.components {
            teams.insert(c.team.as_str());
            if let Some(d) = &c.deploy {
                endpoints.insert(d.endpoint.as_str());
                for v in &d.verify {
                    if let Some(e) = &v.endpoint {
                        endpoints.insert(e.as_str());
                    }
                }
            }
        }
        for m in &r.milestones {
            teams.extend(m.owners.iter().map(String::as_str));
        }
        teams.extend(r.checklist.iter().filter_map(|c| c.owner.as_deref()));
        if let Some(ds) = &r.deploy_schedule {
            teams.extend(ds.slots.iter().map(|s| s.team.as_str()));
        }
        for t in &r.rollback_triggers {
            if let RollbackTrigger::Metric { endpoint, .. } = t {
                endpoints.insert(endpoint.as_str());
            }
        }
    }
    (teams, endpoints)
}

/// The workspace's teams, in workspace order.
fn teams_in(conn: &Connection) -> Result<Vec<Team>> {
    let mut st = conn.prepare_cached("SELECT key, name, contacts FROM teams ORDER BY position")?;
    let teams = st.query_map([], |r| {
        let contacts: Option<String> = r.get(2)?;
        Ok(Team {
            key: r.get(0)?,
            name: r.get(1)?,
            contacts: contacts.map(|c| from_json(&c)).transpose()?,
        })
    })?;
    Ok(teams.collect::<rusqlite::Result<_>>()?)
}
