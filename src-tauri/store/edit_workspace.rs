//! The workspace's own edits: teams with their contacts, endpoints, the
//! working calendar. Applied to the whole plan in memory (every release, so a
//! removal that would leave a reference dangling is refused by name), then
//! written back table by table.

use super::edit::Edit;
use super::edit_apply::{json, not_found, Applied, Row};
use crate::error::{Code, Error, Result};
use crate::plan::{Plan, RollbackTrigger};
use rusqlite::{params, Transaction};

/// Applies a workspace edit (or a batch of them) to `plan`.
pub(super) fn apply_to_workspace(plan: &mut Plan, edit: &Edit) -> Result<Applied> {
    Ok(match edit {
        Edit::PutTeam { team, index } => match plan.teams.iter().position(|t| t.key == team.key) {
            Some(i) => {
                let old = std::mem::replace(&mut plan.teams[i], team.clone());
                Applied::one(
                    Edit::PutTeam {
                        team: old.clone(),
                        index: None,
                    },
                    "team",
                    &team.key,
                    None,
                    Some(json(&old)),
                    Some(json(team)),
                    format!("change team {}", team.key),
                )
            }
            None => {
                let at = index.unwrap_or(plan.teams.len()).min(plan.teams.len());
                plan.teams.insert(at, team.clone());
                Applied::one(
                    Edit::RemoveTeam {
                        team: team.key.clone(),
                    },
                    "team",
                    &team.key,
                    None,
                    None,
                    Some(json(team)),
                    format!("add team {}", team.key),
                )
            }
        },
        Edit::RemoveTeam { team } => {
            let i = plan
                .teams
                .iter()
                .position(|t| t.key == *team)
                .ok_or_else(|| not_found("team", team.clone()))?;
            let users = team_users(plan, team);
            if !users.is_empty() {
                return Err(Error::invalid(
                    Code::InUse,
                    format!("teams[{i}]"),
                    format!(
                        "team \"{team}\" is still used by {}: move or remove them first",
                        list(&users)
                    ),
                ));
            }
            let old = plan.teams.remove(i);
            Applied::one(
                Edit::PutTeam {
                    team: old.clone(),
                    index: Some(i),
                },
                "team",
                team,
                None,
                Some(json(&old)),
                None,
                format!("remove team {team}"),
            )
        }
        Edit::PutEndpoint {
            name,
            endpoint,
            index,
        } => match plan.endpoints.get_index_of(name) {
            Some(i) => {
                let old = std::mem::replace(&mut plan.endpoints[i], (**endpoint).clone());
                Applied::one(
                    Edit::PutEndpoint {
                        name: name.clone(),
                        endpoint: Box::new(old.clone()),
                        index: None,
                    },
                    "endpoint",
                    name,
                    None,
                    Some(json(&old)),
                    Some(json(endpoint)),
                    format!("change endpoint {name}"),
                )
            }
            None => {
                let at = index
                    .unwrap_or(plan.endpoints.len())
                    .min(plan.endpoints.len());
                plan.endpoints
                    .shift_insert(at, name.clone(), (**endpoint).clone());
                Applied::one(
                    Edit::RemoveEndpoint { name: name.clone() },
                    "endpoint",
                    name,
                    None,
                    None,
                    Some(json(endpoint)),
                    format!("add endpoint {name}"),
                )
            }
        },
        Edit::RemoveEndpoint { name } => {
            let i = plan
                .endpoints
                .get_index_of(name)
                .ok_or_else(|| not_found("endpoint", name.clone()))?;
            let users = endpoint_users(plan, name);
            if !users.is_empty() {
                return Err(Error::invalid(
                    Code::InUse,
                    format!("endpoints.{name}"),
                    format!(
                        "endpoint \"{name}\" is still used by {}: change them first",
                        list(&users)
                    ),
                ));
            }
            let old = plan
                .endpoints
                .shift_remove_index(i)
                .expect("the index was found")
                .1;
            Applied::one(
                Edit::PutEndpoint {
                    name: name.clone(),
                    endpoint: Box::new(old.clone()),
                    index: Some(i),
                },
                "endpoint",
                name,
                None,
                Some(json(&old)),
                None,
                format!("remove endpoint {name}"),
            )
        }
        Edit::SetCalendar { calendar } => {
            let old = std::mem::replace(&mut plan.calendar, calendar.clone());
            Applied::one(
                Edit::SetCalendar {
                    calendar: old.clone(),
                },
                "calendar",
                "calendar",
                None,
                old.as_ref().map(json),
                calendar.as_ref().map(json),
                "change the working calendar".to_string(),
            )
        }
        Edit::Batch { edits, .. } => {
            let mut inverses = Vec::with_capacity(edits.len());
            let mut rows: Vec<Row> = Vec::new();
            let mut summaries = Vec::new();
            for e in edits {
                let a = apply_to_workspace(plan, e)?;
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
                    release: String::new(),
                    edits: inverses,
                },
                rows,
                summary,
                stored: None,
            }
        }
        other => {
            return Err(Error::invalid(
                Code::BadEdit,
                "edits",
                format!(
                    "a workspace batch holds only team, endpoint and calendar edits; found one for release \"{}\"",
                    other.release()
                ),
            ))
        }
    })
}

/// Where a team is referred to, as `release/what` strings.
fn team_users(plan: &Plan, team: &str) -> Vec<String> {
    let mut out = Vec::new();
    for r in &plan.releases {
        for c in r.components.iter().filter(|c| c.team == team) {
            out.push(format!("component {}/{}", r.key, c.key));
        }
        for m in r
            .milestones
            .iter()
            .filter(|m| m.owners.iter().any(|o| o == team))
        {
            out.push(format!("milestone {}/{}", r.key, m.key));
        }
        for (i, _) in r
            .checklist
            .iter()
            .enumerate()
            .filter(|(_, c)| c.owner.as_deref() == Some(team))
        {
            out.push(format!("checklist item {}#{}", r.key, i + 1));
        }
        if let Some(ds) = &r.deploy_schedule {
            if ds.slots.iter().any(|s| s.team == team) {
                out.push(format!("the deploy schedule of {}", r.key));
            }
        }
    }
    out
}

/// Where an endpoint is referred to.
fn endpoint_users(plan: &Plan, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for r in &plan.releases {
        for c in &r.components {
            if let Some(d) = &c.deploy {
                if d.endpoint == name
                    || d.verify.iter().any(|v| v.endpoint.as_deref() == Some(name))
                {
                    out.push(format!("the deploy section of {}/{}", r.key, c.key));
                }
            }
        }
        for (i, t) in r.rollback_triggers.iter().enumerate() {
            if matches!(t, RollbackTrigger::Metric { endpoint, .. } if endpoint == name) {
                out.push(format!("rollback trigger {}#{}", r.key, i + 1));
            }
        }
    }
    out
}

/// The first few of `items`, and how many more.
fn list(items: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut s = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        s.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    s
}

/// Writes the plan's teams, endpoints and calendar over the stored ones, in
/// the plan's order. Releases are not touched.
pub(super) fn write_workspace(tx: &Transaction, plan: &Plan) -> Result<()> {
    for (i, t) in plan.teams.iter().enumerate() {
        let contacts = t
            .contacts
            .as_ref()
            .map(|c| serde_json::to_string(c).expect("contacts serialize"));
        tx.execute(
            "INSERT INTO teams (key, name, contacts, position) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(key) DO UPDATE SET name = excluded.name, contacts = excluded.contacts,
                                            position = excluded.position",
            params![t.key, t.name, contacts, i as i64],
        )?;
    }
    let keep: Vec<&str> = plan.teams.iter().map(|t| t.key.as_str()).collect();
    delete_missing(tx, "teams", "key", &keep)?;
    for (i, (name, e)) in plan.endpoints.iter().enumerate() {
        tx.execute(
            "INSERT INTO endpoints (name, spec, position) VALUES (?1, ?2, ?3)
             ON CONFLICT(name) DO UPDATE SET spec = excluded.spec, position = excluded.position",
            params![name, json(e), i as i64],
        )?;
    }
    let keep: Vec<&str> = plan.endpoints.keys().map(String::as_str).collect();
    delete_missing(tx, "endpoints", "name", &keep)?;
    match &plan.calendar {
        Some(c) => tx.execute(
            "INSERT INTO settings (key, value) VALUES ('calendar', ?1)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [json(c)],
        )?,
        None => tx.execute("DELETE FROM settings WHERE key = 'calendar'", [])?,
    };
    Ok(())
}

fn delete_missing(tx: &Transaction, table: &str, column: &str, keep: &[&str]) -> Result<()> {
    let stored: Vec<String> = {
        let mut st = tx.prepare(&format!("SELECT {column} FROM {table}"))?;
        let rows = st.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for k in stored.iter().filter(|k| !keep.contains(&k.as_str())) {
        tx.execute(&format!("DELETE FROM {table} WHERE {column} = ?1"), [k])?;
    }
    Ok(())
}
