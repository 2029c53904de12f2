//! Release fixtures drawn as text, for the schedule tests.
//!
//! ```text
//! workdays mon tue wed thu fri          (the default)
//! holiday 2025-01-08 2025-01-09
//! release start 2025-01-06 feature_freeze 2025-01-24 code_freeze 2025-01-31 release_date 2025-02-07
//! slots backend api                     (deploy schedule order)
//! a(5) -> b(3) -> c(2)                  (durations in working days, default 1)
//! a -2-> d(1)                           (a dependency with a lag of 2)
//! b: eta 2025-01-20 start 2025-01-08 done 2025-01-10 team api
//! a -> b: needed_by 2025-01-17 buffer 2 lag 1
//! milestone m1 due 2025-01-20 scenarios 1/3: a b
//! ```
//! The release starts on Monday 2025-01-06 and is released on 2025-03-03 unless
//! a `release` line says otherwise.

#![allow(dead_code)]

use flotilla::plan::*;

pub struct Fixture {
    pub calendar: Calendar,
    pub release: Release,
}

pub fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn day(s: &str) -> Day {
    serde_json::from_value(serde_json::Value::String(s.to_string())).unwrap()
}

fn component<'a>(r: &'a mut Release, key: &str) -> &'a mut Component {
    if let Some(i) = r.components.iter().position(|c| c.key == key) {
        return &mut r.components[i];
    }
    r.components.push(Component {
        key: key.to_string(),
        title: key.to_string(),
        team: "team".to_string(),
        status: Status::Planning,
        duration_days: 1,
        start: None,
        eta: None,
        done_on: None,
        labels: vec![],
        updates: vec![],
        deploy: None,
        notes: vec![],
    });
    r.components.last_mut().unwrap()
}

/// `name` or `name(5)`: declares the component, returns its key.
fn node(r: &mut Release, token: &str) -> String {
    match token.split_once('(') {
        Some((key, rest)) => {
            let n = rest.trim_end_matches(')').parse().expect("duration");
            component(r, key).duration_days = n;
            key.to_string()
        }
        None => {
            component(r, token);
            token.to_string()
        }
    }
}

/// `->` (no lag) or `-N->` (lag N).
fn arrow(token: &str) -> Option<u32> {
    if token == "->" {
        return Some(0);
    }
    token.strip_prefix('-')?.strip_suffix("->")?.parse().ok()
}

fn dependency<'a>(r: &'a mut Release, from: &str, to: &str) -> &'a mut Dependency {
    if let Some(i) = r
        .dependencies
        .iter()
        .position(|x| x.from == from && x.to == to)
    {
        return &mut r.dependencies[i];
    }
    r.dependencies.push(Dependency {
        from: from.to_string(),
        to: to.to_string(),
        needed_by: None,
        buffer_days: None,
        lag_days: None,
    });
    r.dependencies.last_mut().unwrap()
}

/// Reads a chain of nodes and arrows, adding every component and dependency.
fn chain(r: &mut Release, tokens: &[&str]) -> Vec<(String, String)> {
    let mut edges = Vec::new();
    let mut prev = node(r, tokens[0]);
    let mut i = 1;
    while i < tokens.len() {
        let lag =
            arrow(tokens[i]).unwrap_or_else(|| panic!("expected an arrow, got {}", tokens[i]));
        let next = node(r, tokens[i + 1]);
        let dep = dependency(r, &prev, &next);
        if lag > 0 {
            dep.lag_days = Some(lag);
        }
        edges.push((prev, next.clone()));
        prev = next;
        i += 2;
    }
    edges
}

pub fn fixture(picture: &str) -> Fixture {
    let mut calendar = Calendar::default();
    let mut r = Release {
        key: "r".into(),
        name: "Fixture".into(),
        status: Status::Planning,
        start: d("2025-01-06"),
        feature_freeze: None,
        code_freeze: None,
        release_date: d("2025-03-03"),
        strategy: None,
        components: vec![],
        dependencies: vec![],
        milestones: vec![],
        checklist: vec![],
        rollback_triggers: vec![],
        deploy_schedule: None,
        comms: None,
        notes: vec![],
        retrospective: vec![],
    };
    for line in picture
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words[0] {
            "workdays" => calendar.workdays = words[1..].iter().map(|w| day(w)).collect(),
            "holiday" => calendar.holidays.extend(words[1..].iter().map(|w| d(w))),
            "release" => {
                for kv in words[1..].chunks(2) {
                    let v = d(kv[1]);
                    match kv[0] {
                        "start" => r.start = v,
                        "feature_freeze" => r.feature_freeze = Some(v),
                        "code_freeze" => r.code_freeze = Some(v),
                        "release_date" => r.release_date = v,
                        other => panic!("unknown release field {other}"),
                    }
                }
            }
            "slots" => {
                r.deploy_schedule = Some(DeploySchedule {
                    date: None,
                    slots: words[1..]
                        .iter()
                        .map(|t| Slot {
                            team: t.to_string(),
                            at: "09:00".into(),
                        })
                        .collect(),
                })
            }
            "milestone" => {
                let (head, members) = line
                    .split_once(':')
                    .expect("milestone KEY due DATE: members");
                let head: Vec<&str> = head.split_whitespace().collect();
                let mut scenarios = vec![];
                if let Some(i) = head.iter().position(|w| *w == "scenarios") {
                    let (done, total) = head[i + 1].split_once('/').unwrap();
                    let (done, total): (usize, usize) =
                        (done.parse().unwrap(), total.parse().unwrap());
                    scenarios = (0..total)
                        .map(|s| Scenario {
                            text: format!("scenario {s}"),
                            done: s < done,
                        })
                        .collect();
                }
                let members: Vec<String> = members
                    .split_whitespace()
                    .map(|m| node(&mut r, m))
                    .collect();
                r.milestones.push(Milestone {
                    key: head[1].to_string(),
                    name: head[1].to_string(),
                    phase: None,
                    components: members,
                    due: d(head[3]),
                    environment: None,
                    owners: vec![],
                    scenarios,
                });
            }
            _ => match line.split_once(':') {
                Some((what, attrs)) => {
                    let what: Vec<&str> = what.split_whitespace().collect();
                    let attrs: Vec<&str> = attrs.split_whitespace().collect();
                    if what.len() == 1 {
                        let key = node(&mut r, what[0]);
                        let c = component(&mut r, &key);
                        for kv in attrs.chunks(2) {
                            match kv[0] {
                                "eta" => c.eta = Some(d(kv[1])),
                                "start" => c.start = Some(d(kv[1])),
                                "done" => c.done_on = Some(d(kv[1])),
                                "team" => c.team = kv[1].to_string(),
                                "duration" => c.duration_days = kv[1].parse().unwrap(),
                                other => panic!("unknown component field {other}"),
                            }
                        }
                    } else {
                        let (from, to) = chain(&mut r, &what).pop().expect("one dependency");
                        let dep = dependency(&mut r, &from, &to);
                        for kv in attrs.chunks(2) {
                            match kv[0] {
                                "needed_by" => dep.needed_by = Some(d(kv[1])),
                                "buffer" => dep.buffer_days = Some(kv[1].parse().unwrap()),
                                "lag" => dep.lag_days = Some(kv[1].parse().unwrap()),
                                other => panic!("unknown dependency field {other}"),
                            }
                        }
                    }
                }
                None => {
                    chain(&mut r, &words);
                }
            },
        }
    }
    Fixture {
        calendar,
        release: r,
    }
}

impl Fixture {
    /// The fixture as a plan file's value, with every team it names.
    pub fn plan(&self) -> Plan {
        let mut plan = Plan::empty();
        plan.calendar = Some(self.calendar.clone());
        let mut teams: Vec<&str> = self
            .release
            .components
            .iter()
            .map(|c| c.team.as_str())
            .collect();
        if let Some(ds) = &self.release.deploy_schedule {
            teams.extend(ds.slots.iter().map(|s| s.team.as_str()));
        }
        teams.sort();
        teams.dedup();
        plan.teams = teams
            .into_iter()
            .map(|t| Team {
                key: t.to_string(),
                name: t.to_string(),
                contacts: None,
            })
            .collect();
        plan.releases.push(self.release.clone());
        plan
    }
}
