//! A release's components and dependencies as flat index arrays: keys resolved
//! once, predecessors and successors in compressed rows, and a topological
//! order from petgraph (`topo.rs`). The passes are plain loops over these arrays.

use super::topo::topological_order;
use crate::error::{Code, Detail, Error, Problem, Result};
use crate::plan::{find_cycle, Date, KeyIndex, Release};

/// The dependency graph of one release, by component index (plan order).
pub(crate) struct Network<'r> {
    /// Per component (plan order): its key and its team.
    pub keys: Vec<&'r str>,
    pub teams: Vec<&'r str>,
    pub index: KeyIndex<'r>,
    /// Every component once, each after all of its predecessors.
    pub order: Vec<u32>,
    /// Per dependency (plan order): its endpoints, lag and buffer in working
    /// days, and its `needed_by` as given.
    pub from: Vec<u32>,
    pub to: Vec<u32>,
    pub lag: Vec<i64>,
    pub buffer: Vec<i64>,
    pub needed_by: Vec<Option<Date>>,
    /// `preds[pred_start[c]..pred_start[c + 1]]`: the dependencies into `c`.
    pred_start: Vec<u32>,
    preds: Vec<u32>,
    /// `succs[succ_start[c]..succ_start[c + 1]]`: the dependencies out of `c`.
    succ_start: Vec<u32>,
    succs: Vec<u32>,
    /// `members[member_start[m]..member_start[m + 1]]`: milestone `m`'s components.
    member_start: Vec<u32>,
    members: Vec<u32>,
}

impl<'r> Network<'r> {
    /// Resolves every key of `release`. Fails with every unknown or duplicate
    /// key and zero duration, or with the first cycle found (`code` "cycle").
    pub fn new(release: &'r Release) -> Result<Network<'r>> {
        let n = release.components.len();
        let m = release.dependencies.len();
        if n >= u32::MAX as usize || m >= u32::MAX as usize {
            return Err(Error::invalid(
                Code::OutOfRange,
                "components",
                "too many components",
            ));
        }
        let mut problems = Vec::new();
        let mut index = KeyIndex::with_capacity(n);
        let mut keys = Vec::with_capacity(n);
        let mut teams = Vec::with_capacity(n);
        for (i, c) in release.components.iter().enumerate() {
            if !index.insert(c.key.as_str()) {
                problems.push(Problem::new(
                    Code::DuplicateKey,
                    format!("components[{i}].key"),
                    format!("duplicate component \"{}\"", c.key),
                ));
            }
            if c.duration_days == 0 {
                problems.push(Problem::new(
                    Code::OutOfRange,
                    format!("components[{i}].duration_days"),
                    "a duration is at least 1 working day",
                ));
            }
            keys.push(c.key.as_str());
            teams.push(c.team.as_str());
        }
        let mut resolve = |key: &str, path: &dyn Fn() -> String| {
            let found = index.get(key);
            if found.is_none() {
                problems.push(Problem::new(
                    Code::UnknownReference,
                    path(),
                    format!("unknown component \"{key}\""),
                ));
            }
            found
        };
        let mut from = Vec::with_capacity(m);
        let mut to = Vec::with_capacity(m);
        let mut lag = Vec::with_capacity(m);
        let mut buffer = Vec::with_capacity(m);
        let mut needed_by = Vec::with_capacity(m);
        // Plans list dependencies grouped by their blocker: the `from` found
        // last is often the next one too.
        let mut last_from: Option<(&str, u32)> = None;
        for (i, d) in release.dependencies.iter().enumerate() {
            let f = match last_from {
                Some((k, f)) if same(k, &d.from) => f,
                _ => {
                    let found = resolve(&d.from, &|| format!("dependencies[{i}].from"));
                    last_from = found.map(|f| (d.from.as_str(), f));
                    found.unwrap_or(0)
                }
            };
            from.push(f);
            to.push(resolve(&d.to, &|| format!("dependencies[{i}].to")).unwrap_or(0));
            lag.push(i64::from(d.lag_days.unwrap_or(0)));
            buffer.push(i64::from(d.buffer_days.unwrap_or(0)));
            needed_by.push(d.needed_by);
        }
        let mut member_start = Vec::with_capacity(release.milestones.len() + 1);
        let mut members = Vec::new();
        member_start.push(0);
        for (i, ms) in release.milestones.iter().enumerate() {
            for (j, k) in ms.components.iter().enumerate() {
                members
                    .push(resolve(k, &|| format!("milestones[{i}].components[{j}]")).unwrap_or(0));
            }
            member_start.push(members.len() as u32);
        }
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }

        let (pred_start, preds) = rows(n, &to);
        let (succ_start, succs) = rows(n, &from);
        let mut net = Network {
            keys,
            teams,
            index,
            order: Vec::new(),
            from,
            to,
            lag,
            buffer,
            needed_by,
            pred_start,
            preds,
            succ_start,
            succs,
            member_start,
            members,
        };
        net.order = topological_order(&net).ok_or_else(|| cycle_error(release))?;
        Ok(net)
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The dependencies into component `c`, in plan order.
    pub fn preds(&self, c: u32) -> &[u32] {
        &self.preds[self.pred_start[c as usize] as usize..self.pred_start[c as usize + 1] as usize]
    }

    /// The dependencies out of component `c`, in plan order.
    pub fn succs(&self, c: u32) -> &[u32] {
        &self.succs[self.succ_start[c as usize] as usize..self.succ_start[c as usize + 1] as usize]
    }

    /// The components of milestone `m`.
    pub fn members(&self, m: usize) -> &[u32] {
        &self.members[self.member_start[m] as usize..self.member_start[m + 1] as usize]
    }
}

/// `a == b` for short keys without a call into the C library's `memcmp`.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// Groups edge indices by `key[e]` (a counting sort): `(start, edges)`.
fn rows(n: usize, key: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n + 1];
    for &k in key {
        start[k as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut edges = vec![0u32; key.len()];
    for (e, &k) in key.iter().enumerate() {
        edges[fill[k as usize] as usize] = e as u32;
        fill[k as usize] += 1;
    }
    (start, edges)
}

fn cycle_error(release: &Release) -> Error {
    let nodes: Vec<&str> = release.components.iter().map(|c| c.key.as_str()).collect();
    let edges: Vec<(&str, &str)> = release
        .dependencies
        .iter()
        .map(|d| (d.from.as_str(), d.to.as_str()))
        .collect();
    let cycle = find_cycle(&nodes, &edges).unwrap_or_default();
    Error::Invalid(vec![Problem::new(
        Code::Cycle,
        "dependencies",
        format!("dependency cycle: {}", cycle.join(" -> ")),
    )
    .with_detail(Detail::Cycle {
        keys: cycle.iter().map(|k| k.to_string()).collect(),
    })])
}
