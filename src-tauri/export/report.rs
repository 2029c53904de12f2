//! A one-page Markdown status report of a release: dates, what needs
//! attention, the critical path, components by team, milestones, the
//! checklist and the deployment waves.

use crate::plan::{Plan, Release};
use crate::schedule::{Analysis, FreezeKind, RiskState};
use std::fmt::Write;

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn days(n: i64) -> String {
    match n {
        1 | -1 => format!("{n} working day"),
        _ => format!("{n} working days"),
    }
}

/// The status report of `release` as of `a.today`.
pub fn status_report(plan: &Plan, release: &Release, a: &Analysis) -> String {
    let mut o = String::new();
    let r = release;
    let _ = writeln!(o, "# {} — status on {}\n", r.name, a.today);
    let _ = writeln!(o, "Release `{}`, status **{}**.\n", r.key, r.status.title());
    let opt = |d: Option<crate::plan::Date>| d.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
    o.push_str("| Start | Feature freeze | Code freeze | Release date | Planned finish |\n");
    o.push_str("| --- | --- | --- | --- | --- |\n");
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} | {} |\n",
        r.start,
        opt(r.feature_freeze),
        opt(r.code_freeze),
        r.release_date,
        opt(a.plan_finish)
    );
    match a.release_slack {
        Some(s) if s < 0 => {
            let _ = writeln!(
                o,
                "**The plan finishes {} after the release date.**\n",
                days(-s)
            );
        }
        Some(s) => {
            let _ = writeln!(
                o,
                "The plan finishes {} before the release date.\n",
                days(s)
            );
        }
        None => o.push_str("The release has no components yet.\n\n"),
    }

    o.push_str("## Needs attention\n\n");
    let mut attention = 0;
    for d in a.dependencies.iter().filter(|d| d.state != RiskState::Ok) {
        attention += 1;
        let word = if d.state == RiskState::Late {
            "**Late**"
        } else {
            "At risk"
        };
        let by = d
            .slack_days
            .map(|s| {
                if s < 0 {
                    format!(", {} after it is needed", days(-s))
                } else {
                    format!(", {} to spare (buffer {})", days(s), d.buffer_days)
                }
            })
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "- {word}: `{}` → `{}` needed by {}{by}",
            d.from,
            d.to,
            opt(d.needed_by)
        );
    }
    for f in &a.freeze {
        attention += 1;
        let what = match f.kind {
            FreezeKind::CodeFreeze => "**breaks the code freeze**",
            FreezeKind::FeatureFreeze => "is past the feature freeze",
        };
        let _ = writeln!(
            o,
            "- `{}` {what} ({}) by {}",
            f.component,
            f.date,
            days(f.by_days)
        );
    }
    for m in a.milestones.iter().filter(|m| m.state != RiskState::Ok) {
        attention += 1;
        let word = if m.state == RiskState::Late {
            "**Late**"
        } else {
            "At risk"
        };
        let _ = writeln!(
            o,
            "- {word}: milestone `{}` due {} (components finish {}; {} of {} scenarios done)",
            m.key,
            m.due,
            opt(m.finish),
            m.scenarios_done,
            m.scenarios_total
        );
    }
    let gates: Vec<_> = r.checklist.iter().filter(|c| c.gate && !c.done).collect();
    if !gates.is_empty() {
        attention += 1;
        let _ = writeln!(
            o,
            "- {} open gate item(s) on the pre-release checklist",
            gates.len()
        );
    }
    if attention == 0 {
        o.push_str("Nothing is late or at risk.\n");
    }
    o.push('\n');

    o.push_str("## Critical path\n\n");
    if a.critical_path.is_empty() {
        o.push_str("—\n\n");
    } else {
        let path: Vec<String> = a.critical_path.iter().map(|k| format!("`{k}`")).collect();
        let _ = writeln!(o, "{}\n", path.join(" → "));
    }

    o.push_str("## Components by team\n\n");
    for team in &plan.teams {
        let comps: Vec<_> = r.components.iter().filter(|c| c.team == team.key).collect();
        if comps.is_empty() {
            continue;
        }
        let contact = team
            .contacts
            .as_ref()
            .and_then(|c| c.primary.as_ref())
            .map(|p| {
                format!(
                    " — {}{}",
                    p.name,
                    p.handle
                        .as_deref()
                        .map(|h| format!(" ({h})"))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default();
        let _ = writeln!(o, "### {}{contact}\n", team.name);
        o.push_str(
            "| Component | Status | Start | Finish | Float | Slack to freeze | Last update |\n",
        );
        o.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
        for c in comps {
            let Some(s) = a.component(&c.key) else {
                continue;
            };
            let last = c
                .updates
                .last()
                .map(|u| format!("{}: {}", u.date, u.text))
                .unwrap_or_default();
            let mark = if s.critical { " ★" } else { "" };
            let _ = writeln!(
                o,
                "| {}{mark} (`{}`) | {} | {} | {} | {} | {} | {} |",
                cell(&c.title),
                c.key,
                c.status.title(),
                s.es,
                s.ef,
                s.total_float,
                s.deadline_slack,
                cell(&last)
            );
        }
        o.push('\n');
    }
    o.push_str("★ on the critical path. Float and slack in working days.\n\n");

    if !r.milestones.is_empty() {
        o.push_str("## Integration milestones\n\n");
        o.push_str("| Milestone | Due | Components finish | State | Scenarios |\n| --- | --- | --- | --- | --- |\n");
        for m in &r.milestones {
            let risk = a.milestones.iter().find(|x| x.key == m.key);
            let done = m.scenarios.iter().filter(|s| s.done).count();
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {done}/{} |",
                cell(&m.name),
                m.due,
                opt(risk.and_then(|x| x.finish)),
                risk.map(|x| x.state.as_str()).unwrap_or("ok"),
                m.scenarios.len()
            );
        }
        o.push('\n');
    }

    if !r.checklist.is_empty() {
        o.push_str("## Pre-release checklist\n\n");
        for c in &r.checklist {
            let mut extra = Vec::new();
            if let Some(owner) = &c.owner {
                extra.push(owner.clone());
            }
            if let Some(due) = c.due {
                extra.push(format!("due {due}"));
            }
            if c.gate {
                extra.push("**gate**".into());
            }
            let extra = if extra.is_empty() {
                String::new()
            } else {
                format!(" ({})", extra.join(", "))
            };
            let _ = writeln!(
                o,
                "- [{}] {}{extra}",
                if c.done { "x" } else { " " },
                c.text
            );
        }
        o.push('\n');
    }

    o.push_str("## Deployment waves\n\n");
    for (i, w) in a.waves.iter().enumerate() {
        let keys: Vec<String> = w.iter().map(|k| format!("`{k}`")).collect();
        let _ = writeln!(o, "{}. {}", i + 1, keys.join(", "));
    }
    o
}
