//! The delivery metrics as blocks for the report renderers: the figures with
//! how each is computed, a table per quarter, and (HTML only) a bar chart per
//! figure across the quarters.

use super::metrics::{Figures, Metrics};
use super::render::Block;
use crate::runbook::esc;
use std::fmt::Write as _;

fn f1(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.1}")).unwrap_or_else(|| "-".into())
}

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.0}%", v * 100.0))
        .unwrap_or_else(|| "-".into())
}

fn buffer(f: &Figures) -> String {
    if f.buffers == 0 {
        return "-".into();
    }
    format!(
        "{} of {} days used; {} of {} too small",
        f.buffer_days_used, f.buffer_days_planned, f.buffers_too_small, f.buffers
    )
}

pub(super) fn title(m: &Metrics) -> String {
    match &m.team {
        Some(t) => format!("Delivery metrics: team {t}"),
        None => "Delivery metrics".to_string(),
    }
}

pub(super) fn blocks(m: &Metrics, pictures: bool) -> Vec<Block> {
    let mut b = vec![Block::Title(title(m))];
    b.push(Block::Text(match m.since {
        Some(s) => format!("From {s} to {}.", m.today),
        None => format!("Every run and release in the workspace, as of {}.", m.today),
    }));
    let o = &m.overall;
    let how = |f: &str| {
        m.definitions
            .iter()
            .find(|d| d.figure == f)
            .map(|d| d.how.clone())
            .unwrap_or_default()
    };
    b.push(Block::Table(
        vec!["figure", "value", "how it is computed"],
        vec![
            vec![
                "Deployments".into(),
                o.deployments.to_string(),
                how("deployments"),
            ],
            vec![
                "Deployment frequency (per week)".into(),
                f1(o.deployments_per_week),
                how("deployments_per_week"),
            ],
            vec![
                "Lead time for changes (days)".into(),
                format!(
                    "{} ({} component{})",
                    f1(o.lead_time_days),
                    o.lead_time_samples,
                    if o.lead_time_samples == 1 { "" } else { "s" }
                ),
                how("lead_time_days"),
            ],
            vec![
                "Change failure rate".into(),
                format!(
                    "{} ({} of {} runs)",
                    pct(o.change_failure_rate),
                    o.runs_failed,
                    o.runs_finished
                ),
                how("change_failure_rate"),
            ],
            vec![
                "Time to restore (minutes)".into(),
                f1(o.time_to_restore_minutes),
                how("time_to_restore_minutes"),
            ],
            vec![
                "Schedule accuracy (working days late)".into(),
                format!(
                    "{} ({} of {} releases on time)",
                    f1(o.schedule_error_days),
                    o.releases_on_time,
                    o.releases_shipped
                ),
                how("schedule_error_days"),
            ],
            vec!["Buffer use".into(), buffer(o), how("buffer_use")],
            vec![
                "Dependencies that surfaced late".into(),
                o.late_dependencies.to_string(),
                how("late_dependencies"),
            ],
        ],
    ));
    if !m.quarters.is_empty() {
        b.push(Block::Heading("Per quarter".into()));
        if pictures {
            let series: [(&str, Figure); 4] = [
                ("deployments", |f| Some(f.deployments as f64)),
                ("change failure rate (%)", |f| {
                    f.change_failure_rate.map(|r| r * 100.0)
                }),
                ("lead time (days)", |f| f.lead_time_days),
                ("schedule error (working days)", |f| f.schedule_error_days),
            ];
            for (name, get) in series {
                b.push(Block::Svg(bars(m, name, get)));
            }
        }
        b.push(Block::Table(
            vec![
                "quarter",
                "deployments",
                "per week",
                "lead time (days)",
                "change failure rate",
                "time to restore (min)",
                "schedule error (days)",
                "buffers",
                "late dependencies",
            ],
            m.quarters
                .iter()
                .map(|q| {
                    let f = &q.figures;
                    vec![
                        q.quarter.clone(),
                        f.deployments.to_string(),
                        f1(f.deployments_per_week),
                        f1(f.lead_time_days),
                        pct(f.change_failure_rate),
                        f1(f.time_to_restore_minutes),
                        f1(f.schedule_error_days),
                        buffer(f),
                        f.late_dependencies.to_string(),
                    ]
                })
                .collect(),
        ));
    }
    if !m.releases.is_empty() {
        b.push(Block::Heading("Per release".into()));
        b.push(Block::Table(
            vec![
                "release",
                "release date",
                "shipped",
                "days late",
                "runs",
                "failed",
                "buffers too small",
                "late dependencies",
            ],
            m.releases
                .iter()
                .map(|r| {
                    vec![
                        r.release.clone(),
                        r.release_date.to_string(),
                        r.shipped_on
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "-".into()),
                        r.schedule_error_days
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "-".into()),
                        r.runs.to_string(),
                        r.runs_failed.to_string(),
                        format!("{} of {}", r.buffers_too_small, r.buffers),
                        r.late_dependencies.to_string(),
                    ]
                })
                .collect(),
        ));
    }
    b
}

/// How a figure is read from a quarter's figures.
type Figure = fn(&Figures) -> Option<f64>;

/// One figure across the quarters as bars (negative values below the line).
fn bars(m: &Metrics, name: &str, get: Figure) -> String {
    let (w, h, left, top, bottom) = (360.0, 150.0, 40.0, 22.0, 22.0);
    let values: Vec<Option<f64>> = m.quarters.iter().map(|q| get(&q.figures)).collect();
    let hi = values.iter().flatten().cloned().fold(0.0_f64, f64::max);
    let lo = values.iter().flatten().cloned().fold(0.0_f64, f64::min);
    let range = (hi - lo).max(1e-9);
    // All zero: the line at the bottom, the bars flat on it.
    let zero = if hi - lo < 1e-9 {
        h - bottom
    } else {
        top + (hi / range) * (h - top - bottom)
    };
    let slot = (w - left - 10.0) / m.quarters.len().max(1) as f64;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{} per quarter\" style=\"font:11px system-ui,sans-serif;margin-right:1rem\">\n<text x=\"{left}\" y=\"12\">{}</text>\n<line x1=\"{left}\" y1=\"{zero:.1}\" x2=\"{}\" y2=\"{zero:.1}\" stroke=\"#999\"/>\n",
        esc(name),
        esc(name),
        w - 10.0
    );
    for (i, (q, v)) in m.quarters.iter().zip(&values).enumerate() {
        let x = left + slot * i as f64 + slot * 0.15;
        if let Some(v) = v {
            let bar = (v.abs() / range) * (h - top - bottom);
            let y = if *v >= 0.0 { zero - bar } else { zero };
            let _ = writeln!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#37a\"><title>{}: {v:.1}</title></rect><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{v:.1}</text>",
                slot * 0.7,
                bar.max(1.0),
                esc(&q.quarter),
                x + slot * 0.35,
                if *v >= 0.0 { y - 3.0 } else { y + bar + 11.0 }
            );
        }
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x + slot * 0.35,
            h - 6.0,
            esc(&q.quarter)
        );
    }
    s.push_str("</svg>");
    s
}
