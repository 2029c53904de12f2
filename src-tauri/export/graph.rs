//! The dependency graph as Graphviz DOT and as Mermaid: teams grouped, the
//! critical path marked, late and at-risk dependencies coloured, needed-by
//! dates on the edges.

use crate::plan::{Component, Plan, Release, Team};
use crate::schedule::{Analysis, RiskState};
use std::collections::HashSet;
use std::fmt::Write;

const CRITICAL: &str = "#c62828";
const LATE: &str = "#d32f2f";
const AT_RISK: &str = "#ef6c00";

/// The pairs of consecutive components on the critical path.
fn critical_edges<'a>(a: &'a Analysis) -> HashSet<(&'a str, &'a str)> {
    a.critical_path.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Each team that has components in the release, with them, in plan order.
fn by_team<'a>(plan: &'a Plan, release: &'a Release) -> Vec<(&'a Team, Vec<&'a Component>)> {
    plan.teams
        .iter()
        .map(|t| {
            let comps: Vec<_> = release
                .components
                .iter()
                .filter(|c| c.team == t.key)
                .collect();
            (t, comps)
        })
        .filter(|(_, comps)| !comps.is_empty())
        .collect()
}

fn dot_id(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Graphviz DOT, left to right, one cluster per team.
pub fn dot(plan: &Plan, release: &Release, a: &Analysis) -> String {
    let mut out = String::new();
    let on_path = critical_edges(a);
    let _ = writeln!(
        out,
        "// {} ({}): dependency graph",
        release.name, release.key
    );
    let _ = writeln!(
        out,
        "// red: critical path; dashed red: late; orange: at risk"
    );
    let _ = writeln!(out, "digraph {} {{", dot_id(&release.key));
    let _ = writeln!(out, "  rankdir=LR;");
    let _ = writeln!(out, "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\"];");
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];");
    for (team, comps) in by_team(plan, release) {
        let _ = writeln!(
            out,
            "  subgraph {} {{",
            dot_id(&format!("cluster_{}", team.key))
        );
        let _ = writeln!(out, "    label={};", dot_id(&team.name));
        let _ = writeln!(out, "    style=rounded; color=\"#9e9e9e\";");
        for c in comps {
            let s = a.component(&c.key);
            let dates = s
                .map(|s| format!("\\n{} .. {}", s.es, s.ef))
                .unwrap_or_default();
            let critical = s.is_some_and(|s| s.critical);
            let style = if critical {
                format!(", color=\"{CRITICAL}\", penwidth=2.5, fillcolor=\"#ffebee\"")
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "    {} [label=\"{}{}\"{}];",
                dot_id(&c.key),
                c.title.replace('"', "\\\""),
                dates,
                style
            );
        }
        let _ = writeln!(out, "  }}");
    }
    for d in &a.dependencies {
        let mut attrs = Vec::new();
        if let Some(n) = d.needed_by {
            attrs.push(format!("label=\"needed by {n}\""));
        }
        if on_path.contains(&(d.from, d.to)) {
            attrs.push(format!("color=\"{CRITICAL}\", penwidth=2.5"));
        }
        match d.state {
            RiskState::Late => attrs.push(format!(
                "color=\"{LATE}\", fontcolor=\"{LATE}\", style=dashed"
            )),
            RiskState::AtRisk => {
                attrs.push(format!("color=\"{AT_RISK}\", fontcolor=\"{AT_RISK}\""))
            }
            RiskState::Ok => {}
        }
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attrs.join(", "))
        };
        let _ = writeln!(out, "  {} -> {}{};", dot_id(d.from), dot_id(d.to), attrs);
    }
    out.push_str("}\n");
    out
}

/// A Mermaid id: keys may hold `.` and `-`, which Mermaid ids may not.
fn mm_id(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

fn mm_text(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// A Mermaid flowchart, left to right, one subgraph per team.
pub fn mermaid(plan: &Plan, release: &Release, a: &Analysis) -> String {
    let mut out = String::new();
    let on_path = critical_edges(a);
    let _ = writeln!(
        out,
        "%% {} ({}): dependency graph",
        release.name, release.key
    );
    out.push_str("flowchart LR\n");
    for (team, comps) in by_team(plan, release) {
        let _ = writeln!(
            out,
            "  subgraph team_{}[\"{}\"]",
            mm_id(&team.key),
            mm_text(&team.name)
        );
        for c in comps {
            let dates = a
                .component(&c.key)
                .map(|s| format!("<br/>{} .. {}", s.es, s.ef))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    {}[\"{}{}\"]",
                mm_id(&c.key),
                mm_text(&c.title),
                dates
            );
        }
        out.push_str("  end\n");
    }
    let mut styles = Vec::new();
    for (i, d) in a.dependencies.iter().enumerate() {
        let label = d
            .needed_by
            .map(|n| format!("|\"needed by {n}\"|"))
            .unwrap_or_default();
        let arrow = if d.state == RiskState::Late {
            "-.->"
        } else {
            "-->"
        };
        let _ = writeln!(
            out,
            "  {} {}{} {}",
            mm_id(d.from),
            arrow,
            label,
            mm_id(d.to)
        );
        let colour = match d.state {
            RiskState::Late => Some(LATE),
            RiskState::AtRisk => Some(AT_RISK),
            RiskState::Ok if on_path.contains(&(d.from, d.to)) => Some(CRITICAL),
            RiskState::Ok => None,
        };
        if let Some(c) = colour {
            let width = if on_path.contains(&(d.from, d.to)) {
                3
            } else {
                2
            };
            styles.push(format!("  linkStyle {i} stroke:{c},stroke-width:{width}px"));
        }
    }
    let _ = writeln!(
        out,
        "  classDef critical fill:#ffebee,stroke:{CRITICAL},stroke-width:3px"
    );
    let critical: Vec<String> = a
        .components
        .iter()
        .filter(|c| c.critical)
        .map(|c| mm_id(c.key))
        .collect();
    if !critical.is_empty() {
        let _ = writeln!(out, "  class {} critical", critical.join(","));
    }
    for s in styles {
        out.push_str(&s);
        out.push('\n');
    }
    out
}
