//! Every rejection rule of spec/plan-format.md that the type system does not
//! already enforce: keys, duplicates, references, ranges, secrets, URLs, cycles.
//! The plan and its endpoints and deploy sections are checked here, each
//! release in `release.rs`.

mod comms;
mod release;

use super::key_hash::KeyHash;
use super::model::*;
use super::url_rule::{check_url_rule, UrlFault};
use crate::error::{Code, Problem};
use std::collections::{HashMap, HashSet};

/// Checks a parsed plan; returns every problem found, in document order.
pub fn validate(plan: &Plan) -> Vec<Problem> {
    let mut v = Checker::default();
    v.plan(plan);
    v.problems
}

/// Does `s` match `^[a-z0-9][a-z0-9._-]{0,63}$`?
pub fn is_valid_key(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b[1..].iter().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
        })
}

/// Is `s` a secret reference `env:NAME` or `keyring:NAME`?
pub fn is_secret_ref(s: &str) -> bool {
    let name = s
        .strip_prefix("env:")
        .or_else(|| s.strip_prefix("keyring:"));
    match name {
        Some(n) => {
            !n.is_empty()
                && n.len() <= 128
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/'))
        }
        None => false,
    }
}

/// Finds a dependency cycle among `edges` (from, to), returned as `a, b, c, a`.
pub fn find_cycle<'a>(nodes: &[&'a str], edges: &[(&'a str, &'a str)]) -> Option<Vec<&'a str>> {
    let index: HashMap<&str, usize, KeyHash> =
        nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let resolved: Vec<(usize, usize)> = edges
        .iter()
        .filter_map(|(f, t)| Some((*index.get(f)?, *index.get(t)?)))
        .collect();
    let cycle = cycle_among(nodes.len(), &resolved)?;
    Some(cycle.into_iter().map(|i| nodes[i]).collect())
}

/// [`find_cycle`] on node indices `0..count`: a cycle as `a, b, c, a`.
fn cycle_among(count: usize, edges: &[(usize, usize)]) -> Option<Vec<usize>> {
    // Successors in compressed rows, each node's in edge order.
    let mut start = vec![0usize; count + 1];
    for &(a, _) in edges {
        start[a + 1] += 1;
    }
    for i in 0..count {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut succ = vec![0usize; edges.len()];
    for &(a, b) in edges {
        succ[fill[a]] = b;
        fill[a] += 1;
    }
    // Iterative depth-first search; colour 0 new, 1 on the stack, 2 finished.
    let mut colour = vec![0u8; count];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for root in 0..count {
        if colour[root] != 0 {
            continue;
        }
        colour[root] = 1;
        stack.push((root, 0));
        while let Some(&mut (n, ref mut next)) = stack.last_mut() {
            if start[n] + *next < start[n + 1] {
                let m = succ[start[n] + *next];
                *next += 1;
                match colour[m] {
                    0 => {
                        colour[m] = 1;
                        stack.push((m, 0));
                    }
                    1 => {
                        let pos = stack.iter().position(|&(x, _)| x == m).unwrap_or(0);
                        let mut cycle: Vec<usize> = stack[pos..].iter().map(|&(x, _)| x).collect();
                        cycle.push(m);
                        return Some(cycle);
                    }
                    _ => {}
                }
            } else {
                colour[n] = 2;
                stack.pop();
            }
        }
    }
    None
}

/// The path `{parent}.{list}[{index}]`, written out only when a message needs it.
#[derive(Clone, Copy)]
struct Item<'a> {
    parent: &'a str,
    list: &'static str,
    index: usize,
}

impl std::fmt::Display for Item<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}[{}]", self.parent, self.list, self.index)
    }
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn err(&mut self, code: Code, path: impl Into<String>, msg: impl Into<String>) {
        self.problems.push(Problem::new(code, path, msg));
    }

    /// `path` is built only when there is a fault: validation runs over every
    /// component and dependency of large plans.
    fn key(&mut self, path: impl FnOnce() -> String, key: &str) {
        if !is_valid_key(key) {
            self.err(
                Code::BadKey,
                path(),
                format!("invalid key \"{key}\": use 1 to 64 of a-z 0-9 . _ - starting with a letter or digit"),
            );
        }
    }

    fn range(&mut self, path: impl FnOnce() -> String, value: u32, min: u32, max: u32) {
        if value < min || value > max {
            self.err(
                Code::OutOfRange,
                path(),
                format!("{value} is out of range ({min} to {max})"),
            );
        }
    }

    fn plan(&mut self, plan: &Plan) {
        if plan.format != PLAN_FORMAT {
            self.err(
                Code::BadFormat,
                "format",
                format!("expected \"{PLAN_FORMAT}\", found \"{}\"", plan.format),
            );
        }
        if plan.version != PLAN_VERSION {
            self.err(
                Code::BadVersion,
                "version",
                format!(
                    "unsupported version {}: this Flotilla reads version {PLAN_VERSION}",
                    plan.version
                ),
            );
        }
        if let Some(cal) = &plan.calendar {
            if cal.workdays.is_empty() {
                self.err(
                    Code::BadValue,
                    "calendar.workdays",
                    "at least one working day is needed",
                );
            }
            let mut seen = HashSet::new();
            for (i, d) in cal.workdays.iter().enumerate() {
                if !seen.insert(*d) {
                    self.err(
                        Code::DuplicateKey,
                        format!("calendar.workdays[{i}]"),
                        "day listed twice",
                    );
                }
            }
        }
        let mut teams: HashSet<&str, KeyHash> = HashSet::default();
        for (i, t) in plan.teams.iter().enumerate() {
            let p = format!("teams[{i}]");
            self.key(|| format!("{p}.key"), &t.key);
            if !teams.insert(t.key.as_str()) {
                self.err(
                    Code::DuplicateKey,
                    format!("{p}.key"),
                    format!("duplicate team \"{}\"", t.key),
                );
            }
            if t.name.trim().is_empty() {
                self.err(Code::BadValue, format!("{p}.name"), "name is empty");
            }
        }
        for (name, e) in &plan.endpoints {
            self.endpoint(&format!("endpoints.{name}"), name, e);
        }
        let mut releases = HashSet::new();
        for (i, r) in plan.releases.iter().enumerate() {
            let p = format!("releases[{i}]");
            if !releases.insert(r.key.as_str()) {
                self.err(
                    Code::DuplicateKey,
                    format!("{p}.key"),
                    format!("duplicate release \"{}\"", r.key),
                );
            }
            self.release(&p, r, plan, &teams);
        }
    }

    /// An http(s) URL under the rule of `check_url_rule`.
    fn url(&mut self, at: impl Fn() -> String, url: &str, allow_http: bool) {
        match check_url_rule(url, allow_http) {
            Ok(()) => {}
            Err(UrlFault::NoHost) => self.err(Code::BadUrl, at(), format!("no host in \"{url}\"")),
            Err(UrlFault::InsecureHttp) => self.err(
                Code::InsecureUrl,
                at(),
                format!("\"{url}\" is plain http to a host that is not loopback: use https, or set \"allow_http\": true"),
            ),
            Err(UrlFault::NotUrl | UrlFault::Scheme(_)) => {
                self.err(Code::BadUrl, at(), format!("\"{url}\" is not an http(s) URL"))
            }
        }
    }

    /// A secret reference, never a value.
    fn secret_ref(&mut self, at: impl FnOnce() -> String, s: &str) {
        if !is_secret_ref(s) {
            self.err(
                Code::BadSecret,
                at(),
                "a secret must be a reference, \"env:NAME\" or \"keyring:NAME\", never a value",
            );
        }
    }

    fn endpoint(&mut self, p: &str, name: &str, e: &Endpoint) {
        self.key(|| p.to_string(), name);
        self.url(
            || format!("{p}.base_url"),
            &e.base_url,
            e.allow_http == Some(true),
        );
        if let Some(t) = e.timeout_s {
            self.range(|| format!("{p}.timeout_s"), t, 1, 3600);
        }
        if let Some(a) = &e.auth {
            self.secret_ref(|| format!("{p}.auth.secret"), &a.secret);
            match a.scheme {
                AuthScheme::Header if a.header.as_deref().is_none_or(str::is_empty) => self.err(
                    Code::MissingField,
                    format!("{p}.auth.header"),
                    "scheme \"header\" needs \"header\": the header's name",
                ),
                AuthScheme::Basic if a.username.as_deref().is_none_or(str::is_empty) => self.err(
                    Code::MissingField,
                    format!("{p}.auth.username"),
                    "scheme \"basic\" needs \"username\"",
                ),
                _ => {}
            }
        }
        let kind = e.kind;
        let fields = [
            ("repo", e.repo.is_some(), EndpointKind::GithubActions),
            ("project_id", e.project_id.is_some(), EndpointKind::Gitlab),
            ("job", e.job.is_some(), EndpointKind::Jenkins),
            ("app", e.app.is_some(), EndpointKind::Argocd),
        ];
        for (field, set, owner) in fields {
            if set && kind != owner {
                self.err(
                    Code::BadField,
                    format!("{p}.{field}"),
                    format!(
                        "\"{field}\" belongs to {} endpoints, not {}",
                        owner.as_str(),
                        kind.as_str()
                    ),
                );
            }
            if !set
                && kind == owner
                && matches!(owner, EndpointKind::GithubActions | EndpointKind::Gitlab)
            {
                self.err(
                    Code::MissingField,
                    format!("{p}.{field}"),
                    format!("a {} endpoint needs \"{field}\"", kind.as_str()),
                );
            }
        }
        if let Some(t) = &e.trigger_token {
            if kind != EndpointKind::Gitlab {
                self.err(
                    Code::BadField,
                    format!("{p}.trigger_token"),
                    format!(
                        "\"trigger_token\" belongs to gitlab endpoints, not {}",
                        kind.as_str()
                    ),
                );
            } else {
                self.secret_ref(|| format!("{p}.trigger_token"), t);
            }
        }
        if let Some(repo) = &e.repo {
            if repo.split('/').count() != 2 || repo.split('/').any(str::is_empty) {
                self.err(
                    Code::BadValue,
                    format!("{p}.repo"),
                    format!("\"{repo}\" is not owner/name"),
                );
            }
        }
    }

    fn deploy(&mut self, p: &str, d: &Deploy, plan: &Plan) {
        if let Some(m) = d.expected_minutes {
            self.range(|| format!("{p}.expected_minutes"), m, 1, 1440);
        }
        let Some(e) = plan.endpoints.get(&d.endpoint) else {
            self.err(
                Code::UnknownReference,
                format!("{p}.endpoint"),
                format!("unknown endpoint \"{}\"", d.endpoint),
            );
            return;
        };
        let kind = e.kind;
        let need = |this: &mut Self, field: &str, set: bool| {
            if !set {
                this.err(
                    Code::MissingField,
                    format!("{p}.{field}"),
                    format!("a {} deploy needs \"{field}\"", kind.as_str()),
                );
            }
        };
        match kind {
            EndpointKind::Webhook => {
                need(self, "trigger", d.trigger.is_some());
            }
            EndpointKind::GithubActions => need(self, "workflow", d.workflow.is_some()),
            EndpointKind::Gitlab => need(self, "ref", d.git_ref.is_some()),
            EndpointKind::Jenkins => need(self, "job", d.job.is_some() || e.job.is_some()),
            EndpointKind::Argocd => need(self, "app", d.app.is_some() || e.app.is_some()),
            EndpointKind::Prometheus => self.err(
                Code::BadReference,
                format!("{p}.endpoint"),
                format!(
                    "endpoint \"{}\" is prometheus: it reads metrics and cannot deploy",
                    d.endpoint
                ),
            ),
        }
        const POLLED: &[EndpointKind] = &[
            EndpointKind::GithubActions,
            EndpointKind::Gitlab,
            EndpointKind::Jenkins,
            EndpointKind::Argocd,
        ];
        let owned: [(&str, bool, &[EndpointKind]); 11] = [
            ("interval_s", d.interval_s.is_some(), POLLED),
            ("timeout_s", d.timeout_s.is_some(), POLLED),
            ("trigger", d.trigger.is_some(), &[EndpointKind::Webhook]),
            ("status", d.status.is_some(), &[EndpointKind::Webhook]),
            (
                "workflow",
                d.workflow.is_some(),
                &[EndpointKind::GithubActions],
            ),
            (
                "ref",
                d.git_ref.is_some(),
                &[EndpointKind::GithubActions, EndpointKind::Gitlab],
            ),
            ("inputs", d.inputs.is_some(), &[EndpointKind::GithubActions]),
            (
                "correlation_input",
                d.correlation_input.is_some(),
                &[EndpointKind::GithubActions],
            ),
            ("variables", d.variables.is_some(), &[EndpointKind::Gitlab]),
            (
                "parameters",
                d.parameters.is_some(),
                &[EndpointKind::Jenkins],
            ),
            ("revision", d.revision.is_some(), &[EndpointKind::Argocd]),
        ];
        for (field, set, kinds) in owned {
            if set && !kinds.contains(&kind) {
                let hint = if kind == EndpointKind::Webhook && field.ends_with("_s") {
                    " (a webhook's is in \"status\")"
                } else {
                    ""
                };
                self.err(
                    Code::BadField,
                    format!("{p}.{field}"),
                    format!(
                        "\"{field}\" does not apply to a {} endpoint{hint}",
                        kind.as_str()
                    ),
                );
            }
        }
        if let Some(v) = d.interval_s {
            self.range(|| format!("{p}.interval_s"), v, 1, 3600);
        }
        if let Some(v) = d.timeout_s {
            self.range(|| format!("{p}.timeout_s"), v, 1, 86400);
        }
        if d.job.is_some() && kind != EndpointKind::Jenkins {
            self.err(
                Code::BadField,
                format!("{p}.job"),
                format!("\"job\" does not apply to a {} endpoint", kind.as_str()),
            );
        }
        if d.app.is_some() && kind != EndpointKind::Argocd {
            self.err(
                Code::BadField,
                format!("{p}.app"),
                format!("\"app\" does not apply to a {} endpoint", kind.as_str()),
            );
        }
        for (field, call) in [("trigger", &d.trigger), ("rollback", &d.rollback)] {
            if let Some(c) = call {
                self.path_ok(&format!("{p}.{field}.path"), &c.path);
            }
        }
        if let Some(s) = &d.status {
            self.path_ok(&format!("{p}.status.path"), &s.path);
            if s.success.is_empty() {
                self.err(
                    Code::BadValue,
                    format!("{p}.status.success"),
                    "list at least one success value",
                );
            }
            if let Some(i) = s.interval_s {
                self.range(|| format!("{p}.status.interval_s"), i, 1, 3600);
            }
            if let Some(t) = s.timeout_s {
                self.range(|| format!("{p}.status.timeout_s"), t, 1, 86_400);
            }
        }
        for (i, v) in d.verify.iter().enumerate() {
            let vp = format!("{p}.verify[{i}]");
            if let Some(ep) = &v.endpoint {
                if !plan.endpoints.contains_key(ep) {
                    self.err(
                        Code::UnknownReference,
                        format!("{vp}.endpoint"),
                        format!("unknown endpoint \"{ep}\""),
                    );
                }
            }
            self.path_ok(&format!("{vp}.path"), &v.path);
            if let Some(s) = v.expect_status {
                if !(100..=599).contains(&s) {
                    self.err(
                        Code::OutOfRange,
                        format!("{vp}.expect_status"),
                        format!("{s} is not an HTTP status (100 to 599)"),
                    );
                }
            }
            if let Some(t) = v.timeout_s {
                self.range(|| format!("{vp}.timeout_s"), t, 1, 3600);
            }
        }
    }

    fn path_ok(&mut self, p: &str, path: &str) {
        if !path.starts_with('/') {
            self.err(Code::BadValue, p, format!("\"{path}\" must start with /"));
        }
    }
}

fn is_hh_mm(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b[2] == b':'
        && b[..2].iter().chain(&b[3..]).all(u8::is_ascii_digit)
        && s[..2].parse::<u32>().is_ok_and(|h| h < 24)
        && s[3..].parse::<u32>().is_ok_and(|m| m < 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert!(is_valid_key("backend-pipeline"));
        assert!(is_valid_key("q1-2025"));
        assert!(!is_valid_key("Backend"));
        assert!(!is_valid_key("-x"));
        assert!(!is_valid_key(""));
        assert!(!is_valid_key(&"a".repeat(65)));
    }

    #[test]
    fn cycle_listed_in_order() {
        let nodes = ["a", "b", "c", "d"];
        let edges = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")];
        assert_eq!(
            find_cycle(&nodes, &edges).unwrap(),
            vec!["a", "b", "c", "a"]
        );
        assert_eq!(find_cycle(&nodes, &[("a", "a")]).unwrap(), vec!["a", "a"]);
        assert!(find_cycle(&nodes, &[("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]).is_none());
    }

    #[test]
    fn duplicate_dependencies_are_found_by_index_and_by_unknown_key() {
        let mut plan = Plan::empty();
        plan.teams.push(Team {
            key: "t".into(),
            name: "T".into(),
            contacts: None,
        });
        let comp = |k: &str| Component {
            key: k.into(),
            title: k.into(),
            team: "t".into(),
            status: Status::Planning,
            duration_days: 1,
            start: None,
            eta: None,
            done_on: None,
            labels: vec![],
            updates: vec![],
            deploy: None,
            notes: vec![],
        };
        let dep = |f: &str, t: &str| Dependency {
            from: f.into(),
            to: t.into(),
            needed_by: None,
            buffer_days: None,
            lag_days: None,
        };
        plan.releases.push(Release {
            key: "r".into(),
            name: "R".into(),
            status: Status::Planning,
            start: Date::ymd(2025, 1, 6),
            feature_freeze: None,
            code_freeze: None,
            release_date: Date::ymd(2025, 2, 3),
            strategy: None,
            components: vec![comp("a"), comp("b")],
            dependencies: vec![
                dep("a", "b"),
                dep("a", "x"),
                dep("a", "b"),
                dep("a", "x"),
                dep("b", "a"),
            ],
            milestones: vec![],
            checklist: vec![],
            rollback_triggers: vec![],
            deploy_schedule: None,
            comms: None,
            notes: vec![],
            retrospective: vec![],
        });
        let got: Vec<(&str, String)> = validate(&plan)
            .into_iter()
            .map(|p| (p.code.as_str(), p.path))
            .collect();
        let want = [
            ("unknown_reference", "releases[0].dependencies[1].to"),
            ("duplicate_key", "releases[0].dependencies[2]"),
            ("unknown_reference", "releases[0].dependencies[3].to"),
            ("duplicate_key", "releases[0].dependencies[3]"),
            ("cycle", "releases[0].dependencies"),
        ];
        assert_eq!(got, want.map(|(c, p)| (c, p.to_string())));
    }

    #[test]
    fn secrets_and_times() {
        assert!(is_secret_ref("env:DEPLOY_TOKEN"));
        assert!(is_secret_ref("keyring:flotilla/ci"));
        assert!(!is_secret_ref("hunter2"));
        assert!(!is_secret_ref("env:"));
        assert!(is_hh_mm("09:30"));
        assert!(!is_hh_mm("9:30"));
        assert!(!is_hh_mm("24:00"));
        assert!(
            super::super::is_loopback("127.0.0.1")
                && super::super::is_loopback("localhost")
                && !super::super::is_loopback("example.com")
        );
    }
}
