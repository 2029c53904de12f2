//! Team update packets: what one team owns in a release, written as a file for
//! teams that do not use git, and merged back into the release touching
//! nothing else.
//!
//! A team owns its components (with their status updates), the dependencies
//! into and out of them, and the checklist items whose `owner` is the team.

use super::three_way::{release_differences, Difference};
use crate::error::{Code, Error, Problem, Result};
use crate::plan::{validate, ChecklistItem, Component, Dependency, Release};
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The value of `format` in every packet.
pub const PACKET_FORMAT: &str = "flotilla.packet";
/// The only packet version this build reads and writes.
pub const PACKET_VERSION: u32 = 1;

/// One team's part of one release. Field order is the file's key order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Packet {
    pub format: String,
    pub version: u32,
    /// The release's key.
    pub release: String,
    /// The team's key.
    pub team: String,
    #[serde(default)]
    pub components: Vec<Component>,
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
    #[serde(default)]
    pub checklist: Vec<ChecklistItem>,
}

/// What importing a packet changed, by path within the release.
#[derive(Debug, Clone, Serialize)]
pub struct PacketReport {
    pub release: String,
    pub team: String,
    pub changes: Vec<Difference>,
}

/// Does this text claim to be a packet (`"format": "flotilla.packet"`)?
pub fn is_packet(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text.strip_prefix('\u{feff}').unwrap_or(text))
        .ok()
        .and_then(|v| v.get("format").and_then(|f| f.as_str()).map(str::to_string))
        .is_some_and(|f| f == PACKET_FORMAT)
}

/// The canonical text of a packet: 2-space indent, a trailing newline.
pub fn write_packet(p: &Packet) -> String {
    let mut s = serde_json::to_string_pretty(p).expect("a packet serializes");
    s.push('\n');
    s
}

/// Parses a packet's text, with the JSON path of any fault.
pub fn parse_packet(text: &str) -> Result<Packet> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut de = serde_json::Deserializer::from_str(text);
    let p: Packet = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        Error::invalid(Code::BadPacket, path, e.inner().to_string())
    })?;
    de.end()
        .map_err(|e| Error::invalid(Code::Syntax, "", format!("trailing characters: {e}")))?;
    if p.format != PACKET_FORMAT {
        return Err(Error::invalid(
            Code::BadFormat,
            "format",
            format!("expected \"{PACKET_FORMAT}\", found \"{}\"", p.format),
        ));
    }
    if p.version != PACKET_VERSION {
        return Err(Error::invalid(
            Code::BadVersion,
            "version",
            format!(
                "this build reads packet version {PACKET_VERSION}, not {}",
                p.version
            ),
        ));
    }
    Ok(p)
}

/// The packet of `team` in `release`: its components, the dependencies that
/// touch them, its checklist items.
pub fn packet_of(release: &Release, team: &str) -> Packet {
    let owned: HashSet<&str> = release
        .components
        .iter()
        .filter(|c| c.team == team)
        .map(|c| c.key.as_str())
        .collect();
    Packet {
        format: PACKET_FORMAT.to_string(),
        version: PACKET_VERSION,
        release: release.key.clone(),
        team: team.to_string(),
        components: release
            .components
            .iter()
            .filter(|c| c.team == team)
            .cloned()
            .collect(),
        dependencies: release
            .dependencies
            .iter()
            .filter(|d| owned.contains(d.from.as_str()) || owned.contains(d.to.as_str()))
            .cloned()
            .collect(),
        checklist: release
            .checklist
            .iter()
            .filter(|c| c.owner.as_deref() == Some(team))
            .cloned()
            .collect(),
    }
}

/// Writes the packet of `team` in the workspace's release `release`.
pub fn export_packet(store: &Store, release: &str, team: &str) -> Result<Packet> {
    let plan = store.load_plan(Some(release))?;
    let all = store.load_plan(None)?;
    if all.team(team).is_none() {
        return Err(Error::NotFound {
            what: "team",
            key: team.to_string(),
        });
    }
    Ok(packet_of(&plan.releases[0], team))
}

/// The release with the packet merged in: the team's components take the
/// packet's fields (a component of the team that the packet lacks is removed,
/// one it adds is appended), the dependencies that touch the team's components
/// and the team's checklist items are replaced by the packet's, in place where
/// they match. Everything else is left as it is. Refuses, with paths, parts
/// that are not the team's to send.
pub fn apply_packet(release: &Release, packet: &Packet) -> Result<Release> {
    let team = packet.team.as_str();
    let mut problems = Vec::new();
    if packet.release != release.key {
        problems.push(Problem::new(
            Code::WrongRelease,
            "release",
            format!(
                "the packet is for release \"{}\", not \"{}\"",
                packet.release, release.key
            ),
        ));
    }
    let old_owned: HashSet<&str> = release
        .components
        .iter()
        .filter(|c| c.team == team)
        .map(|c| c.key.as_str())
        .collect();
    let mut sent: HashMap<&str, &Component> = HashMap::new();
    for (i, c) in packet.components.iter().enumerate() {
        if c.team != team {
            problems.push(Problem::new(
                Code::NotOwned,
                format!("components[{i}].team"),
                format!(
                    "component \"{}\" is team \"{}\"'s, and this is team \"{team}\"'s packet",
                    c.key, c.team
                ),
            ));
        }
        if let Some(existing) = release.component(&c.key) {
            if existing.team != team {
                problems.push(Problem::new(
                    Code::NotOwned,
                    format!("components[{i}].key"),
                    format!(
                        "component \"{}\" belongs to team \"{}\" in release \"{}\"",
                        c.key, existing.team, release.key
                    ),
                ));
            }
        }
        if sent.insert(c.key.as_str(), c).is_some() {
            problems.push(Problem::new(
                Code::DuplicateKey,
                format!("components[{i}].key"),
                format!("component \"{}\" given twice", c.key),
            ));
        }
    }
    let owned = |k: &str| old_owned.contains(k) || sent.contains_key(k);
    for (i, d) in packet.dependencies.iter().enumerate() {
        if !owned(&d.from) && !owned(&d.to) {
            problems.push(Problem::new(
                Code::NotOwned,
                format!("dependencies[{i}]"),
                format!(
                    "dependency \"{}\" -> \"{}\" touches none of team \"{team}\"'s components",
                    d.from, d.to
                ),
            ));
        }
    }
    for (i, c) in packet.checklist.iter().enumerate() {
        if c.owner.as_deref() != Some(team) {
            problems.push(Problem::new(
                Code::NotOwned,
                format!("checklist[{i}].owner"),
                format!(
                    "checklist item \"{}\" is not owned by team \"{team}\"",
                    c.text
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }

    let mut out = release.clone();
    // Components: in place, removed, then the new ones.
    out.components = release
        .components
        .iter()
        .filter_map(|c| {
            if c.team != team {
                Some(c.clone())
            } else {
                sent.get(c.key.as_str()).map(|p| (*p).clone())
            }
        })
        .collect();
    out.components.extend(
        packet
            .components
            .iter()
            .filter(|c| release.component(&c.key).is_none())
            .cloned(),
    );
    // Dependencies touching the team's components: the packet's.
    let touches = |d: &Dependency| owned(&d.from) || owned(&d.to);
    let sent_deps: HashMap<(&str, &str), &Dependency> = packet
        .dependencies
        .iter()
        .map(|d| ((d.from.as_str(), d.to.as_str()), d))
        .collect();
    out.dependencies = release
        .dependencies
        .iter()
        .filter_map(|d| {
            if !touches(d) {
                Some(d.clone())
            } else {
                sent_deps
                    .get(&(d.from.as_str(), d.to.as_str()))
                    .map(|p| (*p).clone())
            }
        })
        .collect();
    let kept: HashSet<(String, String)> = out
        .dependencies
        .iter()
        .map(|d| (d.from.clone(), d.to.clone()))
        .collect();
    out.dependencies.extend(
        packet
            .dependencies
            .iter()
            .filter(|d| !kept.contains(&(d.from.clone(), d.to.clone())))
            .cloned(),
    );
    // Checklist items the team owns: the packet's, matched by text.
    let mut sent_items: Vec<&ChecklistItem> = packet.checklist.iter().collect();
    let mut checklist = Vec::new();
    for c in &release.checklist {
        if c.owner.as_deref() != Some(team) {
            checklist.push(c.clone());
        } else if let Some(i) = sent_items.iter().position(|p| p.text == c.text) {
            checklist.push(sent_items.remove(i).clone());
        }
    }
    checklist.extend(sent_items.into_iter().cloned());
    out.checklist = checklist;
    Ok(out)
}

/// Merges a packet into its release in the workspace, in one transaction, and
/// reports what changed. The release must exist; the result must validate
/// against the whole workspace (references, cycles); nothing else is touched.
pub fn import_packet(store: &mut Store, packet: &Packet) -> Result<PacketReport> {
    let mut plan = match store.load_plan(Some(&packet.release)) {
        Ok(p) => p,
        Err(Error::NotFound { .. }) => {
            return Err(Error::invalid(
                Code::NotFound,
                "release",
                format!("release \"{}\" is not in the workspace", packet.release),
            ))
        }
        Err(e) => return Err(e),
    };
    let all = store.load_plan(None)?;
    if all.team(&packet.team).is_none() {
        return Err(Error::invalid(
            Code::NotFound,
            "team",
            format!("team \"{}\" is not in the workspace", packet.team),
        ));
    }
    let old = plan.releases[0].clone();
    let new = apply_packet(&old, packet)?;
    let changes = release_differences(&old, &new);
    plan.teams = all.teams;
    plan.endpoints = all.endpoints;
    plan.releases = vec![new];
    let problems = validate(&plan);
    if !problems.is_empty() {
        return Err(Error::Invalid(
            problems
                .into_iter()
                .map(|p| Problem {
                    message: format!("with the packet merged in: {}", p.message),
                    ..p
                })
                .collect(),
        ));
    }
    if !changes.is_empty() {
        // Teams and endpoints are written back unchanged (import compares, and
        // writes only what differs): the release is the only thing replaced.
        plan.calendar = None;
        store.import(&plan, true)?;
    }
    Ok(PacketReport {
        release: packet.release.clone(),
        team: packet.team.clone(),
        changes,
    })
}
