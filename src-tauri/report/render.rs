//! The weekly and daily reports as Markdown (to paste into a thread or a
//! wiki) and as one self-contained HTML page (to print or mail). Both are
//! written from the same lines, so they say the same.

use super::{Daily, DependencyLine, ReleaseNotes, Weekly};
use crate::runbook::esc;
use crate::schedule::RiskState;
use std::fmt::Write as _;

/// A report as blocks both renderers write: headings, paragraphs, bullet
/// lists and tables.
pub(super) enum Block {
    Title(String),
    Heading(String),
    Subheading(String),
    Text(String),
    List(Vec<String>),
    Table(Vec<&'static str>, Vec<Vec<String>>),
    /// A picture, made by this crate (never from input): HTML only.
    Svg(String),
}

fn state(s: RiskState) -> &'static str {
    match s {
        RiskState::Ok => "ok",
        RiskState::AtRisk => "at risk",
        RiskState::Late => "late",
    }
}

/// A number of days, or `-` when there is none.
pub(super) fn days(n: Option<i64>) -> String {
    n.map(|d| d.to_string()).unwrap_or_else(|| "-".into())
}

fn dependency_rows(lines: &[DependencyLine]) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|d| {
            vec![
                format!("{} ({})", d.from, d.from_team),
                format!("{} ({})", d.to, d.to_team),
                d.needed_by.map(|x| x.to_string()).unwrap_or_default(),
                d.from_finish.to_string(),
                days(d.slack_days),
            ]
        })
        .collect()
}

fn weekly_blocks(w: &Weekly) -> Vec<Block> {
    let mut b = vec![Block::Title(format!("Weekly release sync: {}", w.name))];
    let mut dates = format!("Release {} on {}", w.release, w.release_date);
    if let Some(f) = w.feature_freeze {
        let _ = write!(dates, "; feature freeze {f}");
    }
    if let Some(f) = w.code_freeze {
        let _ = write!(dates, "; code freeze {f}");
    }
    let _ = write!(dates, ". As of {}; changes since {}.", w.today, w.since);
    b.push(Block::Text(dates));

    b.push(Block::Heading("1. Dependency status".into()));
    let head = vec![
        "blocker",
        "blocked",
        "needed by",
        "blocker finishes",
        "slack (working days)",
    ];
    if w.blocked.is_empty() && w.at_risk.is_empty() {
        b.push(Block::Text("No dependency is late or at risk.".into()));
    }
    if !w.blocked.is_empty() {
        b.push(Block::Text(format!("Blocked (late): {}", w.blocked.len())));
        b.push(Block::Table(head.clone(), dependency_rows(&w.blocked)));
    }
    if !w.at_risk.is_empty() {
        b.push(Block::Text(format!("At risk: {}", w.at_risk.len())));
        b.push(Block::Table(head, dependency_rows(&w.at_risk)));
    }

    b.push(Block::Heading("2. Timeline review".into()));
    let finish = match (w.plan_finish, w.release_slack) {
        (Some(f), Some(s)) if s >= 0 => format!(
            "The plan finishes {f}, {s} working day{} before the release date.",
            super::plural(s)
        ),
        (Some(f), Some(s)) => format!(
            "The plan finishes {f}, {} working day{} after the release date.",
            -s,
            super::plural(s)
        ),
        _ => "The release has no components yet.".to_string(),
    };
    b.push(Block::Text(finish));
    if !w.critical_path.is_empty() {
        b.push(Block::Text(format!(
            "Critical path: {}",
            w.critical_path.join(" → ")
        )));
    }
    if !w.milestones.is_empty() {
        b.push(Block::Table(
            vec![
                "milestone",
                "due",
                "expected",
                "state",
                "slack (working days)",
            ],
            w.milestones
                .iter()
                .map(|m| {
                    vec![
                        m.name.clone(),
                        m.due.to_string(),
                        m.finish.map(|f| f.to_string()).unwrap_or_default(),
                        state(m.state).to_string(),
                        days(m.slack_days),
                    ]
                })
                .collect(),
        ));
    }
    if !w.freeze_breaches.is_empty() {
        b.push(Block::List(
            w.freeze_breaches
                .iter()
                .map(|f| {
                    format!(
                        "{} ({}) finishes {} working day{} after the {} ({})",
                        f.component,
                        f.team,
                        f.by_days,
                        super::plural(f.by_days),
                        f.kind.replace('_', " "),
                        f.date
                    )
                })
                .collect(),
        ));
    }
    let mut changes = Vec::new();
    for m in &w.eta_moves {
        let by = match m.by_days {
            Some(d) if d > 0 => format!(", {d} days later"),
            Some(d) if d < 0 => format!(", {} days earlier", -d),
            _ => String::new(),
        };
        changes.push(format!(
            "ETA of {}{}: {} → {}{by} ({}, {})",
            m.component,
            m.team
                .as_deref()
                .map(|t| format!(" ({t})"))
                .unwrap_or_default(),
            m.old
                .map(|d| d.to_string())
                .unwrap_or_else(|| "none".into()),
            m.new
                .map(|d| d.to_string())
                .unwrap_or_else(|| "none".into()),
            m.actor,
            &m.at[..m.at.len().min(10)]
        ));
    }
    for (what, list) in [("added", &w.added), ("removed", &w.removed)] {
        for s in list.iter() {
            changes.push(format!(
                "{} {} {what} ({}, {})",
                s.entity,
                s.key,
                s.actor,
                &s.at[..s.at.len().min(10)]
            ));
        }
    }
    for s in &w.status_changes {
        changes.push(format!(
            "status of {}: {} → {} ({}, {})",
            s.component,
            s.old.as_deref().unwrap_or("none").replace('_', " "),
            s.new.as_deref().unwrap_or("none").replace('_', " "),
            s.actor,
            &s.at[..s.at.len().min(10)]
        ));
    }
    b.push(Block::Text(format!(
        "Date and scope changes since {}:",
        w.since
    )));
    if changes.is_empty() {
        b.push(Block::Text("None.".into()));
    } else {
        b.push(Block::List(changes));
    }

    b.push(Block::Heading("3. Integration updates".into()));
    if w.milestones.is_empty() {
        b.push(Block::Text("No integration milestones.".into()));
    }
    for m in &w.milestones {
        let done = m.scenarios.iter().filter(|s| s.done).count();
        b.push(Block::Text(format!(
            "{} (due {}, {}): {done} of {} scenarios tested",
            m.name,
            m.due,
            state(m.state),
            m.scenarios.len()
        )));
        if !m.scenarios.is_empty() {
            b.push(Block::List(
                m.scenarios
                    .iter()
                    .map(|s| format!("[{}] {}", if s.done { "x" } else { " " }, s.text))
                    .collect(),
            ));
        }
    }

    b.push(Block::Heading("4. Risks and blockers".into()));
    if w.risks.is_empty() {
        b.push(Block::Text("No risks from the schedule.".into()));
    } else {
        b.push(Block::List(
            w.risks
                .iter()
                .map(|r| {
                    format!(
                        "{}{}: {}",
                        if r.new { "NEW " } else { "" },
                        state(r.state),
                        r.text
                    )
                })
                .collect(),
        ));
        b.push(Block::Text(
            "Escalations needed: (for the sync to decide)".into(),
        ));
    }
    b
}

fn daily_blocks(d: &Daily) -> Vec<Block> {
    let mut b = vec![Block::Title(format!("[{}] {}", d.team_name, d.date))];
    if d.lines.is_empty() {
        b.push(Block::Text("Nothing to report.".into()));
    } else {
        b.push(Block::List(
            d.lines
                .iter()
                .map(|l| format!("{} {}", l.mark.emoji(), l.text))
                .collect(),
        ));
    }
    b
}

/// Markdown: `|` in a table cell is escaped, a line break becomes a space.
fn markdown(blocks: &[Block]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Title(t) => {
                let _ = writeln!(out, "# {t}\n");
            }
            Block::Heading(h) => {
                let _ = writeln!(out, "## {h}\n");
            }
            Block::Subheading(h) => {
                let _ = writeln!(out, "### {h}\n");
            }
            Block::Svg(_) => {}
            Block::Text(t) => {
                let _ = writeln!(out, "{t}\n");
            }
            Block::List(items) => {
                for i in items {
                    let _ = writeln!(out, "- {}", i.replace('\n', " "));
                }
                out.push('\n');
            }
            Block::Table(head, rows) => {
                let _ = writeln!(out, "| {} |", head.join(" | "));
                let _ = writeln!(out, "|{}", " --- |".repeat(head.len()));
                for r in rows {
                    let cells: Vec<String> = r.iter().map(|c| cell(c)).collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                }
                out.push('\n');
            }
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// One printable page, no scripts, styles inline.
fn html(title: &str, blocks: &[Block]) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}}table{{border-collapse:collapse;margin:.5rem 0 1rem}}th,td{{border:1px solid #bbb;padding:.25rem .5rem;text-align:left}}th{{background:#eee}}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        esc(title),
        html_body(blocks)
    )
}

/// The blocks as HTML elements, every text escaped: the body of the page, and
/// what the app shows inside its own page.
fn html_body(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Title(t) => {
                let _ = writeln!(out, "<h1>{}</h1>", esc(t));
            }
            Block::Heading(h) => {
                let _ = writeln!(out, "<h2>{}</h2>", esc(h));
            }
            Block::Subheading(h) => {
                let _ = writeln!(out, "<h3>{}</h3>", esc(h));
            }
            Block::Svg(svg) => {
                let _ = writeln!(out, "<figure>{svg}</figure>");
            }
            Block::Text(t) => {
                let _ = writeln!(out, "<p>{}</p>", esc(t));
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for i in items {
                    let _ = writeln!(out, "<li>{}</li>", esc(i));
                }
                out.push_str("</ul>\n");
            }
            Block::Table(head, rows) => {
                out.push_str("<table>\n<tr>");
                for h in head {
                    let _ = write!(out, "<th>{}</th>", esc(h));
                }
                out.push_str("</tr>\n");
                for r in rows {
                    out.push_str("<tr>");
                    for c in r {
                        let _ = write!(out, "<td>{}</td>", esc(c));
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</table>\n");
            }
        }
    }
    out
}

pub fn weekly_markdown(w: &Weekly) -> String {
    markdown(&weekly_blocks(w))
}

pub fn weekly_html(w: &Weekly) -> String {
    html(
        &format!("Weekly release sync: {}", w.name),
        &weekly_blocks(w),
    )
}

pub fn daily_markdown(d: &Daily) -> String {
    markdown(&daily_blocks(d))
}

pub fn daily_html(d: &Daily) -> String {
    html(&format!("[{}] {}", d.team_name, d.date), &daily_blocks(d))
}

fn notes_title(n: &ReleaseNotes) -> String {
    format!("Release notes: {}", n.name)
}

fn notes_blocks(n: &ReleaseNotes) -> Vec<Block> {
    let mut b = vec![
        Block::Title(notes_title(n)),
        Block::Text(format!("Release {} on {}.", n.release, n.release_date)),
    ];
    if n.sections.is_empty() {
        b.push(Block::Text(
            "No release notes yet: add notes to the release or to its components.".into(),
        ));
    }
    for s in &n.sections {
        b.push(Block::Heading(s.heading.clone()));
        b.push(Block::List(
            s.lines
                .iter()
                .map(|l| match &l.component {
                    Some(c) => format!("{} ({c})", l.text),
                    None => l.text.clone(),
                })
                .collect(),
        ));
    }
    b
}

pub fn notes_markdown(n: &ReleaseNotes) -> String {
    markdown(&notes_blocks(n))
}

pub fn notes_html(n: &ReleaseNotes) -> String {
    html(&notes_title(n), &notes_blocks(n))
}

pub fn review_markdown(r: &super::Review) -> String {
    markdown(&super::review_render::blocks(r, false))
}

pub fn review_html(r: &super::Review) -> String {
    html(
        &super::review_render::title(r),
        &super::review_render::blocks(r, true),
    )
}

pub fn metrics_markdown(m: &super::Metrics) -> String {
    markdown(&super::metrics_render::blocks(m, false))
}

pub fn metrics_html(m: &super::Metrics) -> String {
    html(
        &super::metrics_render::title(m),
        &super::metrics_render::blocks(m, true),
    )
}

/// The review as the app shows it: the page's body, pictures included.
pub fn review_fragment(r: &super::Review) -> String {
    html_body(&super::review_render::blocks(r, true))
}

pub fn metrics_fragment(m: &super::Metrics) -> String {
    html_body(&super::metrics_render::blocks(m, true))
}

pub fn notes_fragment(n: &ReleaseNotes) -> String {
    html_body(&notes_blocks(n))
}

pub fn weekly_fragment(w: &Weekly) -> String {
    html_body(&weekly_blocks(w))
}

pub fn daily_fragment(d: &Daily) -> String {
    html_body(&daily_blocks(d))
}
