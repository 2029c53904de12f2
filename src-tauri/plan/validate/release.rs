//! The checks of one release: its dates, components, dependencies (with the
//! cycle search), milestones, checklist, rollback triggers and deploy schedule.

use super::{cycle_among, is_hh_mm, Checker, Item};
use crate::error::{Code, Detail, Problem};
use crate::plan::key_hash::KeyHash;
use crate::plan::key_index::KeyIndex;
use crate::plan::{EndpointKind, Note, Plan, Release, RollbackTrigger};
use std::collections::HashSet;

impl Checker {
    pub(super) fn release(
        &mut self,
        p: &str,
        r: &Release,
        plan: &Plan,
        teams: &HashSet<&str, KeyHash>,
    ) {
        self.key(|| format!("{p}.key"), &r.key);
        if r.name.trim().is_empty() {
            self.err(Code::BadValue, format!("{p}.name"), "name is empty");
        }
        if r.release_date < r.start {
            self.err(
                Code::BadDate,
                format!("{p}.release_date"),
                format!(
                    "release date {} is before the start {}",
                    r.release_date, r.start
                ),
            );
        }
        let comps = self.components(p, r, plan, teams);
        self.dependencies(p, r, &comps);
        self.milestones(p, r, &comps, teams);
        self.checklist(p, r, teams);
        self.rollback_triggers(p, r, plan);
        self.deploy_schedule(p, r, teams);
        if let Some(c) = &r.comms {
            self.comms(&format!("{p}.comms"), c, teams);
        }
        self.notes(&format!("{p}.notes"), &r.notes);
        let mut asked: HashSet<&str> = HashSet::new();
        for (i, a) in r.retrospective.iter().enumerate() {
            let q = a.question.trim();
            let ap = format!("{p}.retrospective[{i}].question");
            if q.is_empty() {
                self.err(Code::BadValue, ap, "question is empty");
            } else if !asked.insert(q) {
                self.err(
                    Code::DuplicateKey,
                    ap,
                    format!("the question \"{q}\" is answered twice"),
                );
            }
        }
        for (i, c) in r.components.iter().enumerate() {
            self.notes(&format!("{p}.components[{i}].notes"), &c.notes);
        }
    }

    /// Release notes: each has text, and a text appears once in its list
    /// (it is the note's identity when plans are merged).
    fn notes(&mut self, p: &str, notes: &[Note]) {
        let mut seen: HashSet<&str> = HashSet::with_capacity(notes.len());
        for (i, n) in notes.iter().enumerate() {
            let text = n.text.trim();
            if text.is_empty() {
                self.err(Code::BadValue, format!("{p}[{i}].text"), "text is empty");
            } else if !seen.insert(text) {
                self.err(
                    Code::DuplicateKey,
                    format!("{p}[{i}].text"),
                    format!("the note \"{text}\" is listed twice"),
                );
            }
        }
    }

    /// Components: keys, titles, teams, durations, updates, deploy sections.
    /// Returns the index of their keys (the first one, when a key repeats).
    fn components<'r>(
        &mut self,
        p: &str,
        r: &'r Release,
        plan: &Plan,
        teams: &HashSet<&str, KeyHash>,
    ) -> KeyIndex<'r> {
        let mut comps = KeyIndex::with_capacity(r.components.len());
        for (i, c) in r.components.iter().enumerate() {
            let cp = Item {
                parent: p,
                list: "components",
                index: i,
            };
            self.key(|| format!("{cp}.key"), &c.key);
            if !comps.insert(c.key.as_str()) {
                self.err(
                    Code::DuplicateKey,
                    format!("{cp}.key"),
                    format!("duplicate component \"{}\"", c.key),
                );
            }
            if c.title.trim().is_empty() {
                self.err(Code::BadValue, format!("{cp}.title"), "title is empty");
            }
            if !teams.contains(c.team.as_str()) {
                self.err(
                    Code::UnknownReference,
                    format!("{cp}.team"),
                    format!("unknown team \"{}\"", c.team),
                );
            }
            self.range(|| format!("{cp}.duration_days"), c.duration_days, 1, 3650);
            for (j, u) in c.updates.iter().enumerate() {
                if u.text.trim().is_empty() {
                    self.err(
                        Code::BadValue,
                        format!("{cp}.updates[{j}].text"),
                        "text is empty",
                    );
                }
            }
            if let Some(d) = &c.deploy {
                self.deploy(&format!("{cp}.deploy"), d, plan);
            }
        }
        comps
    }

    /// Dependencies: known ends, no duplicates, ranges, no cycle.
    fn dependencies(&mut self, p: &str, r: &Release, comps: &KeyIndex) {
        // Dependencies by component index, for duplicates and the cycle check;
        // pairs naming an unknown component are compared by key.
        let mut edges: Vec<(usize, usize)> = Vec::with_capacity(r.dependencies.len());
        let mut pairs: HashSet<(usize, usize), KeyHash> =
            HashSet::with_capacity_and_hasher(r.dependencies.len(), KeyHash::default());
        let mut unknown_pairs: HashSet<(&str, &str), KeyHash> = HashSet::default();
        for (i, d) in r.dependencies.iter().enumerate() {
            let dp = Item {
                parent: p,
                list: "dependencies",
                index: i,
            };
            let mut ends = [None, None];
            for (end, (field, key)) in ends.iter_mut().zip([("from", &d.from), ("to", &d.to)]) {
                *end = comps.get(key).map(|c| c as usize);
                if end.is_none() {
                    self.err(
                        Code::UnknownReference,
                        format!("{dp}.{field}"),
                        format!("unknown component \"{key}\""),
                    );
                }
            }
            let new_pair = match ends {
                [Some(f), Some(t)] => {
                    edges.push((f, t));
                    pairs.insert((f, t))
                }
                _ => unknown_pairs.insert((d.from.as_str(), d.to.as_str())),
            };
            if !new_pair {
                self.err(
                    Code::DuplicateKey,
                    dp.to_string(),
                    format!("duplicate dependency \"{}\" -> \"{}\"", d.from, d.to),
                );
            }
            if let Some(b) = d.buffer_days {
                self.range(|| format!("{dp}.buffer_days"), b, 0, 365);
            }
            if let Some(l) = d.lag_days {
                self.range(|| format!("{dp}.lag_days"), l, 0, 365);
            }
        }
        if let Some(cycle) = cycle_among(r.components.len(), &edges) {
            let names: Vec<&str> = cycle
                .iter()
                .map(|&c| r.components[c].key.as_str())
                .collect();
            self.problems.push(
                Problem::new(
                    Code::Cycle,
                    format!("{p}.dependencies"),
                    format!("dependency cycle: {}", names.join(" -> ")),
                )
                .with_detail(Detail::Cycle {
                    keys: names.iter().map(|k| k.to_string()).collect(),
                }),
            );
        }
    }

    /// Integration milestones: keys, their components and owning teams.
    fn milestones(
        &mut self,
        p: &str,
        r: &Release,
        comps: &KeyIndex,
        teams: &HashSet<&str, KeyHash>,
    ) {
        let mut miles = HashSet::new();
        for (i, m) in r.milestones.iter().enumerate() {
            let mp = format!("{p}.milestones[{i}]");
            self.key(|| format!("{mp}.key"), &m.key);
            if !miles.insert(m.key.as_str()) {
                self.err(
                    Code::DuplicateKey,
                    format!("{mp}.key"),
                    format!("duplicate milestone \"{}\"", m.key),
                );
            }
            if m.components.is_empty() {
                self.err(
                    Code::BadValue,
                    format!("{mp}.components"),
                    "a milestone needs at least one component",
                );
            }
            for (j, c) in m.components.iter().enumerate() {
                if comps.get(c).is_none() {
                    self.err(
                        Code::UnknownReference,
                        format!("{mp}.components[{j}]"),
                        format!("unknown component \"{c}\""),
                    );
                }
            }
            for (j, o) in m.owners.iter().enumerate() {
                if !teams.contains(o.as_str()) {
                    self.err(
                        Code::UnknownReference,
                        format!("{mp}.owners[{j}]"),
                        format!("unknown team \"{o}\""),
                    );
                }
            }
        }
    }

    /// The pre-release checklist: text and owning team.
    fn checklist(&mut self, p: &str, r: &Release, teams: &HashSet<&str, KeyHash>) {
        for (i, c) in r.checklist.iter().enumerate() {
            let cp = format!("{p}.checklist[{i}]");
            if c.text.trim().is_empty() {
                self.err(Code::BadValue, format!("{cp}.text"), "text is empty");
            }
            if let Some(o) = &c.owner {
                if !teams.contains(o.as_str()) {
                    self.err(
                        Code::UnknownReference,
                        format!("{cp}.owner"),
                        format!("unknown team \"{o}\""),
                    );
                }
            }
        }
    }

    /// Metric rollback triggers: a Prometheus endpoint, a query, a bound.
    fn rollback_triggers(&mut self, p: &str, r: &Release, plan: &Plan) {
        for (i, t) in r.rollback_triggers.iter().enumerate() {
            let tp = format!("{p}.rollback_triggers[{i}]");
            if let RollbackTrigger::Metric {
                endpoint,
                query,
                above,
                below,
                for_s,
                ..
            } = t
            {
                match plan.endpoints.get(endpoint) {
                    None => self.err(Code::UnknownReference, format!("{tp}.endpoint"), format!("unknown endpoint \"{endpoint}\"")),
                    Some(e) if e.kind != EndpointKind::Prometheus => self.err(
                        Code::BadReference,
                        format!("{tp}.endpoint"),
                        format!("endpoint \"{endpoint}\" is {}, a metric trigger needs a prometheus endpoint", e.kind.as_str()),
                    ),
                    _ => {}
                }
                if query.trim().is_empty() {
                    self.err(Code::BadValue, format!("{tp}.query"), "query is empty");
                }
                if above.is_none() && below.is_none() {
                    self.err(
                        Code::MissingField,
                        tp.clone(),
                        "a metric trigger needs \"above\" or \"below\"",
                    );
                }
                for (f, v) in [("above", above), ("below", below)] {
                    if let Some(v) = v {
                        if !v.is_finite() {
                            self.err(
                                Code::OutOfRange,
                                format!("{tp}.{f}"),
                                "threshold must be a finite number",
                            );
                        }
                    }
                }
                if let Some(s) = for_s {
                    self.range(|| format!("{tp}.for_s"), *s, 0, 86_400);
                }
            }
        }
    }

    /// The deploy schedule: one slot per known team, at HH:MM.
    fn deploy_schedule(&mut self, p: &str, r: &Release, teams: &HashSet<&str, KeyHash>) {
        if let Some(ds) = &r.deploy_schedule {
            let mut slot_teams = HashSet::new();
            for (i, s) in ds.slots.iter().enumerate() {
                let sp = format!("{p}.deploy_schedule.slots[{i}]");
                if !teams.contains(s.team.as_str()) {
                    self.err(
                        Code::UnknownReference,
                        format!("{sp}.team"),
                        format!("unknown team \"{}\"", s.team),
                    );
                }
                if !slot_teams.insert(s.team.as_str()) {
                    self.err(
                        Code::DuplicateKey,
                        format!("{sp}.team"),
                        format!("team \"{}\" has two slots", s.team),
                    );
                }
                if !is_hh_mm(&s.at) {
                    self.err(
                        Code::BadTime,
                        format!("{sp}.at"),
                        format!("invalid time \"{}\": expected HH:MM", s.at),
                    );
                }
            }
        }
    }
}
