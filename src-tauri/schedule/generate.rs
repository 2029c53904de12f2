//! A generator of large, valid plans for benchmarks and stress tests
//! (`flotilla gen-plan`): one release whose components sit in layers, with
//! dependencies from each layer into the next three, so the plan is acyclic
//! and its critical path spans months, not centuries.

use super::passes;
use super::Prepared;
use crate::plan::*;
use std::collections::HashSet;

/// SplitMix64: a small, fast, deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..hi` (`hi > lo`).
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo) as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// One release `big` with `components` components over `teams` teams (at
/// least 1) and `dependencies` distinct dependencies (fewer when the layers
/// cannot hold that many), deterministic in `seed`. About 3% of components
/// have a start date, 10% an eta, 5% are done; a quarter of the dependencies
/// have a needed-by date near their finish, a tenth a lag; there is a
/// milestone per 100 components, freezes that some components miss, and a
/// deploy schedule that leaves two teams without a slot. The plan passes
/// [`validate`].
pub fn generate_plan(components: usize, dependencies: usize, teams: usize, seed: u64) -> Plan {
    let mut rng = Rng(seed);
    let n = components;
    let team_count = teams.max(1);
    let start = Date::ymd(2025, 1, 6);
    let mut plan = Plan::empty();
    plan.calendar = Some(Calendar {
        workdays: vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri],
        holidays: (2025..=2045)
            .flat_map(|y| [Date::ymd(y, 1, 1), Date::ymd(y, 12, 25)])
            .collect(),
    });
    let width = team_count.to_string().len().max(2);
    plan.teams = (1..=team_count)
        .map(|i| Team {
            key: format!("team-{i:0width$}"),
            name: format!("Team {i:0width$}"),
            contacts: None,
        })
        .collect();

    let width = n.to_string().len().max(5);
    let days = |rng: &mut Rng, hi: usize| start.0 + chrono::Days::new(rng.range(0, hi) as u64);
    let comps: Vec<Component> = (0..n)
        .map(|i| {
            let done = i < n / 10 && rng.chance(50);
            Component {
                key: format!("c{i:0width$}"),
                title: format!("Component {i}"),
                team: plan.teams[rng.range(0, team_count)].key.clone(),
                status: if done {
                    Status::Ready
                } else {
                    Status::Planning
                },
                duration_days: rng.range(1, 11) as u32,
                start: rng.chance(3).then(|| Date(days(&mut rng, 60))),
                eta: (!done && rng.chance(10)).then(|| Date(days(&mut rng, 240))),
                done_on: done.then(|| Date(days(&mut rng, 30))),
                labels: Vec::new(),
                updates: Vec::new(),
                deploy: None,
                notes: vec![],
            }
        })
        .collect();

    let mut release = Release {
        key: "big".into(),
        name: "Generated benchmark release".into(),
        status: Status::InDevelopment,
        start,
        feature_freeze: None,
        code_freeze: None,
        release_date: start,
        strategy: Some(Strategy::Rolling),
        components: comps,
        dependencies: edges(n, dependencies, &mut rng),
        milestones: Vec::new(),
        checklist: Vec::new(),
        rollback_triggers: Vec::new(),
        deploy_schedule: None,
        comms: None,
        notes: vec![],
        retrospective: vec![],
    };

    let calendar = plan.effective_calendar();
    if let Ok(prepared) = Prepared::new(&calendar, &release) {
        let p = passes::run(&prepared.net, &prepared.inputs, None);
        let at = |w: i64| prepared.cal.date(w).unwrap_or(start);
        let first = prepared.cal.on_or_after(start);
        let pf = p.finish.unwrap_or(first);
        let span = pf - first;
        let (ff, cf, rd) = (
            at(first + span * 8 / 10),
            at(first + span * 9 / 10),
            at(pf + 10),
        );
        let mut needed_by = Vec::with_capacity(release.dependencies.len());
        for e in 0..release.dependencies.len() {
            let f = prepared.net.from[e] as usize;
            needed_by.push(
                rng.chance(25)
                    .then(|| at(p.ef[f] + rng.range(0, 10) as i64 - 3)),
            );
        }
        let mut milestones = Vec::new();
        for m in 0..n / 100 {
            let mut members: Vec<usize> = (0..rng.range(2, 5)).map(|_| rng.range(0, n)).collect();
            members.sort_unstable();
            members.dedup();
            let finish = members.iter().map(|&c| p.ef[c]).max().unwrap_or(first);
            let keys: Vec<String> = members
                .iter()
                .map(|&c| release.components[c].key.clone())
                .collect();
            let mut owners: Vec<String> = members
                .iter()
                .map(|&c| release.components[c].team.clone())
                .collect();
            owners.sort();
            owners.dedup();
            milestones.push(Milestone {
                key: format!("m{m:04}"),
                name: format!("Integration {m}"),
                phase: Some([Phase::ComponentPair, Phase::Subsystem, Phase::FullSystem][m % 3]),
                components: keys,
                due: at(finish + rng.range(0, 11) as i64 - 5),
                environment: Some("staging".into()),
                owners,
                scenarios: (0..rng.range(0, 4))
                    .map(|s| Scenario {
                        text: format!("Scenario {s}"),
                        done: rng.chance(40),
                    })
                    .collect(),
            });
        }
        release.feature_freeze = Some(ff);
        release.code_freeze = Some(cf);
        release.release_date = rd;
        for (d, nb) in release.dependencies.iter_mut().zip(needed_by) {
            if let Some(nb) = nb {
                d.needed_by = Some(nb);
                d.buffer_days = Some(rng.range(0, 5) as u32);
            }
        }
        release.milestones = milestones;
    }

    let mut slotted: Vec<&Team> = plan.teams.iter().collect();
    for i in (1..slotted.len()).rev() {
        slotted.swap(i, rng.range(0, i + 1));
    }
    slotted.truncate(team_count.saturating_sub(2).max(1));
    release.deploy_schedule = Some(DeploySchedule {
        date: Some(release.release_date),
        slots: slotted
            .iter()
            .enumerate()
            .map(|(i, t)| Slot {
                team: t.key.clone(),
                at: format!("{:02}:{:02}", 8 + (i / 4) % 16, (i % 4) * 15),
            })
            .collect(),
    });
    plan.releases.push(release);
    plan
}

/// `m` distinct dependencies between `n` components in layers: from a
/// component into one of the next three layers. Sorted by (from, to).
fn edges(n: usize, m: usize, rng: &mut Rng) -> Vec<Dependency> {
    let layers = n.isqrt().clamp(1, 40);
    let layer_start = |l: usize| (l * n).div_ceil(layers).min(n);
    let layer_of = |i: usize| (i * layers) / n.max(1);
    // Targets of component i: from the next layer's start to the end of the third.
    let targets = |i: usize| {
        let l = layer_of(i);
        (layer_start(l + 1), layer_start((l + 4).min(layers)))
    };
    let capacity: usize = (0..n).map(|i| targets(i).1 - targets(i).0).sum();
    let m = m.min(capacity);
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(m);
    if m * 2 >= capacity {
        // Dense: every candidate, shuffled, the first m kept.
        for i in 0..n {
            let (lo, hi) = targets(i);
            pairs.extend((lo..hi).map(|j| (i as u32, j as u32)));
        }
        for k in 0..m {
            let pick = rng.range(k, pairs.len());
            pairs.swap(k, pick);
        }
        pairs.truncate(m);
    } else {
        let sources = layer_start(layers.saturating_sub(1).max(1));
        let mut seen = HashSet::with_capacity(m);
        while pairs.len() < m {
            let i = rng.range(0, sources.max(1));
            let (lo, hi) = targets(i);
            if lo < hi {
                let pair = (i as u32, rng.range(lo, hi) as u32);
                if seen.insert(pair) {
                    pairs.push(pair);
                }
            }
        }
    }
    pairs.sort_unstable();
    let width = n.to_string().len().max(5);
    pairs
        .into_iter()
        .map(|(f, t)| Dependency {
            from: format!("c{f:0width$}"),
            to: format!("c{t:0width$}"),
            needed_by: None,
            buffer_days: None,
            lag_days: rng.chance(10).then(|| rng.range(1, 4) as u32),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_plans_are_valid_and_deterministic() {
        for (n, m, t) in [
            (0, 0, 0),
            (1, 5, 1),
            (7, 100, 3),
            (300, 1200, 7),
            (2000, 8000, 20),
        ] {
            let plan = generate_plan(n, m, t, 42);
            assert_eq!(validate(&plan), Vec::new(), "{n} {m} {t}");
            let r = &plan.releases[0];
            assert_eq!(r.components.len(), n);
            assert_eq!(plan.teams.len(), t.max(1));
            assert!(r.dependencies.len() <= m);
            assert_eq!(plan, generate_plan(n, m, t, 42));
        }
        let big = generate_plan(2000, 8000, 20, 7);
        let r = &big.releases[0];
        assert_eq!(r.dependencies.len(), 8000);
        assert_eq!(r.milestones.len(), 20);
        assert!(r.components.iter().any(|c| c.done_on.is_some()));
        assert!(r.components.iter().any(|c| c.eta.is_some()));
        assert!(r.dependencies.iter().any(|d| d.needed_by.is_some()));
        assert!(r.dependencies.iter().any(|d| d.lag_days.is_some()));
        assert_ne!(big, generate_plan(2000, 8000, 20, 8));
    }

    #[test]
    fn a_small_layered_plan_holds_every_possible_pair() {
        // 4 components in 2 layers of 2: at most 4 dependencies.
        let plan = generate_plan(4, 100, 2, 1);
        assert_eq!(plan.releases[0].dependencies.len(), 4);
    }
}
