//! The post-release review as blocks for the report renderers, and its three
//! pictures (slip chart, planned against actual, buffer use) as inline SVG
//! for the HTML page. The Markdown has the same figures as tables.

use super::render::{days, Block};
use super::review::{BufferUse, ComponentReview, Review, SlipSeries};
use crate::plan::Date;
use crate::runbook::esc;
use std::fmt::Write as _;

fn d(x: Option<Date>) -> String {
    x.map(|x| x.to_string()).unwrap_or_else(|| "-".into())
}

fn yes(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

fn late_early(days: i64) -> String {
    match days {
        0 => "on plan".to_string(),
        x if x > 0 => format!("{x} working day{} late", super::plural(x)),
        x => format!("{} working day{} early", -x, super::plural(x)),
    }
}

pub(super) fn title(r: &Review) -> String {
    format!("Post-release review: {}", r.name)
}

pub(super) fn blocks(r: &Review, pictures: bool) -> Vec<Block> {
    let mut b = vec![Block::Title(title(r))];
    let mut intro = format!(
        "Release {}, release date {}. The baseline is the plan as it stood at the end of {} ({})",
        r.release, r.release_date, r.baseline, r.baseline_source
    );
    if r.baseline_is_first_state {
        intro.push_str(
            "; the release was first recorded after that day, so the baseline is its first recorded state",
        );
    }
    let _ = write!(intro, ". Drafted on {}.", r.today);
    b.push(Block::Text(intro));

    b.push(Block::Heading("Planned against actual".into()));
    let finish = match (r.planned_finish, r.actual_finish, r.finish_slip_days) {
        (Some(p), Some(a), Some(s)) => format!(
            "Planned to finish {p}; finished {a}: {}. The release date was {}{}.",
            late_early(s),
            r.release_date,
            if a <= r.release_date {
                ", and it was met"
            } else {
                ", and it was missed"
            }
        ),
        _ => "The release has no components.".into(),
    };
    b.push(Block::Text(finish));
    b.push(Block::Text(match r.shipped_on {
        Some(s) => format!("Shipped on {s} (the first successful run)."),
        None => "No run of the runbook has succeeded yet.".into(),
    }));
    if pictures && !r.components.is_empty() {
        b.push(Block::Svg(timeline_svg(&r.components)));
    }
    if !r.components.is_empty() {
        b.push(Block::Table(
            vec![
                "component",
                "team",
                "planned finish",
                "actual finish",
                "slip (working days)",
                "done",
            ],
            r.components
                .iter()
                .map(|c| {
                    vec![
                        c.key.clone(),
                        c.team.clone(),
                        c.planned
                            .map(|x| x.to_string())
                            .unwrap_or_else(|| "added later".into()),
                        c.actual.to_string(),
                        days(c.slip_days),
                        yes(c.done),
                    ]
                })
                .collect(),
        ));
    }
    if !r.milestones.is_empty() {
        b.push(Block::Table(
            vec![
                "milestone",
                "due",
                "planned",
                "actual",
                "slip (working days)",
                "met",
                "scenarios tested",
            ],
            r.milestones
                .iter()
                .map(|m| {
                    vec![
                        m.name.clone(),
                        m.due.to_string(),
                        d(m.planned),
                        d(m.actual),
                        days(m.slip_days),
                        m.met.map(yes).unwrap_or_else(|| "-".into()),
                        format!("{} of {}", m.scenarios_done, m.scenarios_total),
                    ]
                })
                .collect(),
        ));
    }
    for f in &r.freezes {
        let list = |v: &[String]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        b.push(Block::Text(format!(
            "{} {}: finishing after it, planned {}; actual {}.",
            f.kind.replace('_', " "),
            f.date,
            list(&f.planned_breaches),
            list(&f.actual_breaches)
        )));
    }

    b.push(Block::Heading("What caused delays".into()));
    if r.delays.is_empty() {
        b.push(Block::Text(
            "Nothing cost the release's finish: no component on the critical path took longer than planned."
                .into(),
        ));
    } else {
        b.push(Block::Table(
            vec!["component", "team", "working days lost", "ETA changes"],
            r.delays
                .iter()
                .map(|x| {
                    let changes: Vec<String> = x
                        .eta_changes
                        .iter()
                        .map(|m| {
                            format!(
                                "{} → {} by {} on {}",
                                d(m.old),
                                d(m.new),
                                m.actor,
                                m.at.get(..10).unwrap_or(&m.at)
                            )
                        })
                        .collect();
                    vec![
                        if x.added_after_baseline {
                            format!("{} (added after the baseline)", x.component)
                        } else {
                            x.component.clone()
                        },
                        x.team.clone(),
                        x.days_lost.to_string(),
                        if changes.is_empty() {
                            "-".into()
                        } else {
                            changes.join("; ")
                        },
                    ]
                })
                .collect(),
        ));
    }
    let moved: Vec<&SlipSeries> = r.slips.iter().filter(|s| s.points.len() > 1).collect();
    if !moved.is_empty() {
        b.push(Block::Subheading("Slip chart: each ETA over time".into()));
        if pictures {
            b.push(Block::Svg(slip_svg(&moved)));
        }
        b.push(Block::Table(
            vec!["component", "needed by", "ETA over time"],
            moved
                .iter()
                .map(|s| {
                    vec![
                        s.component.clone(),
                        d(s.needed_by),
                        s.points
                            .iter()
                            .map(|p| format!("{}: {}", p.on, d(p.eta)))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ]
                })
                .collect(),
        ));
    }

    b.push(Block::Heading("Were buffers adequate?".into()));
    if r.buffers.is_empty() {
        b.push(Block::Text("No dependency has a needed-by date.".into()));
    } else {
        let small = r.buffers.iter().filter(|x| x.too_small).count();
        b.push(Block::Text(format!(
            "{small} of {} buffer{} too small.",
            r.buffers.len(),
            if r.buffers.len() == 1 {
                " was"
            } else {
                "s were"
            }
        )));
        if pictures {
            b.push(Block::Svg(buffer_svg(&r.buffers)));
        }
        b.push(Block::Table(
            vec![
                "dependency",
                "needed by",
                "buffer",
                "planned slack",
                "actual slack",
                "buffer used",
                "overrun",
                "verdict",
            ],
            r.buffers
                .iter()
                .map(|x| {
                    vec![
                        format!("{} → {}", x.from, x.to),
                        x.needed_by.to_string(),
                        x.buffer_days.to_string(),
                        days(x.planned_slack),
                        days(x.actual_slack),
                        x.used_days.to_string(),
                        x.overrun_days.to_string(),
                        if x.too_small {
                            "too small".into()
                        } else {
                            "enough".into()
                        },
                    ]
                })
                .collect(),
        ));
    }

    b.push(Block::Heading("Surprise dependencies".into()));
    if r.surprises.is_empty() {
        b.push(Block::Text(
            "None: nothing was added after the feature freeze.".into(),
        ));
    } else {
        b.push(Block::List(
            r.surprises
                .iter()
                .map(|s| {
                    format!(
                        "{} {} added by {} on {}",
                        s.entity,
                        s.key.replace("->", " → "),
                        s.actor,
                        s.at.get(..10).unwrap_or(&s.at)
                    )
                })
                .collect(),
        ));
    }

    b.push(Block::Heading("The checklist on release day".into()));
    if r.checklist.is_empty() {
        b.push(Block::Text("The release has no checklist.".into()));
    } else {
        let open = r
            .checklist
            .iter()
            .filter(|c| !c.done_on_release_day)
            .count();
        b.push(Block::Text(format!(
            "{} of {} items done at the end of release day.",
            r.checklist.len() - open,
            r.checklist.len()
        )));
        b.push(Block::Table(
            vec!["item", "owner", "gate", "done on release day", "done now"],
            r.checklist
                .iter()
                .map(|c| {
                    vec![
                        c.text.clone(),
                        c.owner.clone().unwrap_or_default(),
                        yes(c.gate),
                        yes(c.done_on_release_day),
                        yes(c.done_now),
                    ]
                })
                .collect(),
        ));
    }
    let forced: Vec<String> = r
        .runs
        .iter()
        .filter(|x| x.forced)
        .map(|x| format!("run {} by {} at {}", x.id, x.actor, x.started_at))
        .collect();
    if !forced.is_empty() {
        b.push(Block::Text(format!(
            "Started past open pre-flight items (--force): {}.",
            forced.join("; ")
        )));
    }

    b.push(Block::Heading("The run".into()));
    if r.runs.is_empty() {
        b.push(Block::Text("The runbook has not been run.".into()));
    }
    for x in &r.runs {
        let mut line = format!(
            "Run {} by {}: {}, started {}",
            x.id,
            x.actor,
            x.state.as_str().replace('_', " "),
            x.started_at
        );
        if let Some(f) = &x.finished_at {
            let _ = write!(line, ", finished {f}");
        }
        if x.forced {
            line.push_str(", forced");
        }
        if let Some(reason) = &x.reason {
            let _ = write!(line, ": {reason}");
        }
        line.push('.');
        b.push(Block::Text(line));
        if !x.waves.is_empty() {
            b.push(Block::Table(
                vec!["wave", "expected minutes", "actual minutes"],
                x.waves
                    .iter()
                    .map(|w| {
                        vec![
                            w.number.to_string(),
                            w.expected_minutes
                                .map(|m| m.to_string())
                                .unwrap_or_else(|| "-".into()),
                            w.actual_minutes
                                .map(|m| format!("{m:.1}"))
                                .unwrap_or_else(|| "-".into()),
                        ]
                    })
                    .collect(),
            ));
        }
        if !x.failed_steps.is_empty() {
            b.push(Block::Text(format!(
                "Failed: {}.",
                x.failed_steps.join(", ")
            )));
        }
        if !x.rolled_back_steps.is_empty() {
            b.push(Block::Text(format!(
                "Rolled back: {}.",
                x.rolled_back_steps.join(", ")
            )));
        }
    }

    b.push(Block::Heading("Questions for the team".into()));
    for g in &r.questions {
        b.push(Block::Subheading(g.heading.clone()));
        b.push(Block::List(
            g.questions
                .iter()
                .map(|q| match &q.answer {
                    Some(a) => format!("{} {a}", q.question),
                    None => format!("{} (to answer)", q.question),
                })
                .collect(),
        ));
    }
    b
}

/// Chart geometry shared by the three pictures: the width, the left margin
/// for labels (at least; wider labels widen it) and the right margin.
const W: f64 = 760.0;
const LEFT: f64 = 150.0;
const RIGHT: f64 = 20.0;

/// The left margin that fits the longest of `labels` (11px text).
fn left_for<'a>(labels: impl Iterator<Item = &'a str>) -> f64 {
    let longest = labels.map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    (longest * 6.4 + 12.0).clamp(LEFT, 340.0)
}

fn day_number(x: Date) -> f64 {
    f64::from(chrono::Datelike::num_days_from_ce(&x.0))
}

fn svg_open(h: f64, label: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {h}\" width=\"{W}\" height=\"{h}\" role=\"img\" aria-label=\"{}\" style=\"font:11px system-ui,sans-serif\">\n",
        esc(label)
    )
}

/// Each component's planned bar above its actual bar.
fn timeline_svg(cs: &[ComponentReview]) -> String {
    let left = left_for(cs.iter().map(|c| c.key.as_str()));
    let row = 26.0;
    let top = 24.0;
    let h = top + row * cs.len() as f64 + 10.0;
    let dates: Vec<Date> = cs
        .iter()
        .flat_map(|c| {
            [
                c.planned_start,
                c.planned,
                Some(c.actual_start),
                Some(c.actual),
            ]
        })
        .flatten()
        .collect();
    let (lo, hi) = (
        dates.iter().min().map_or(0.0, |x| day_number(*x)),
        dates.iter().max().map_or(1.0, |x| day_number(*x)) + 1.0,
    );
    let x = |v: Date| left + (day_number(v) - lo) / (hi - lo).max(1.0) * (W - left - RIGHT);
    let x_end = |v: Date| x(v) + (W - left - RIGHT) / (hi - lo).max(1.0);
    let mut s = svg_open(h, "planned against actual per component");
    let _ = writeln!(
        s,
        "<rect x=\"{left}\" y=\"4\" width=\"10\" height=\"8\" fill=\"#9ab\"/><text x=\"{}\" y=\"12\">planned</text><rect x=\"{}\" y=\"4\" width=\"10\" height=\"8\" fill=\"#d73\"/><text x=\"{}\" y=\"12\">actual</text>",
        left + 14.0,
        left + 70.0,
        left + 84.0
    );
    for (i, c) in cs.iter().enumerate() {
        let y = top + row * i as f64;
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + 14.0,
            esc(&c.key)
        );
        if let (Some(a), Some(b)) = (c.planned_start, c.planned) {
            let _ = writeln!(
                s,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"9\" fill=\"#9ab\"><title>planned {a} to {b}</title></rect>",
                x(a),
                (x_end(b) - x(a)).max(2.0)
            );
        }
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"9\" fill=\"#d73\"><title>actual {} to {}</title></rect>",
            x(c.actual_start),
            y + 11.0,
            (x_end(c.actual) - x(c.actual_start)).max(2.0),
            c.actual_start,
            c.actual
        );
    }
    s.push_str("</svg>");
    s
}

/// ETA (up) against the day it was set (across), one line per component,
/// with its needed-by date as a dashed line.
fn slip_svg(series: &[&SlipSeries]) -> String {
    let (h, top, bottom) = (300.0, 16.0, 30.0);
    let on: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| day_number(p.on)))
        .collect();
    let eta: Vec<f64> = series
        .iter()
        .flat_map(|s| {
            s.points
                .iter()
                .filter_map(|p| p.eta)
                .chain(s.needed_by)
                .map(day_number)
        })
        .collect();
    let span = |v: &[f64]| {
        let lo = v.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        if lo.is_finite() {
            (lo, (hi - lo).max(1.0))
        } else {
            (0.0, 1.0)
        }
    };
    let ((x0, xs), (y0, ys)) = (span(&on), span(&eta));
    let x = |v: f64| LEFT + (v - x0) / xs * (W - LEFT - RIGHT - 90.0);
    let y = |v: f64| h - bottom - (v - y0) / ys * (h - top - bottom);
    let colors = [
        "#d73", "#37a", "#393", "#a3a", "#aa3", "#3aa", "#777", "#c36",
    ];
    let mut s = svg_open(h, "slip chart: each component's ETA over time");
    let _ = writeln!(
        s,
        "<line x1=\"{LEFT}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#999\"/><line x1=\"{LEFT}\" y1=\"{top}\" x2=\"{LEFT}\" y2=\"{0}\" stroke=\"#999\"/>",
        h - bottom,
        W - RIGHT - 90.0
    );
    let label = |v: f64| {
        chrono::NaiveDate::from_num_days_from_ce_opt(v as i32)
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let _ = writeln!(
        s,
        "<text x=\"{LEFT}\" y=\"{}\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">ETA {}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">ETA {}</text>",
        h - bottom + 14.0,
        label(x0),
        W - RIGHT - 90.0,
        h - bottom + 14.0,
        label(x0 + xs),
        LEFT - 6.0,
        y(y0 + ys) + 4.0,
        label(y0 + ys),
        LEFT - 6.0,
        y(y0) + 4.0,
        label(y0)
    );
    let right = W - RIGHT - 90.0;
    for (i, ser) in series.iter().enumerate() {
        let c = colors[i % colors.len()];
        let mut pts = String::new();
        let mut last: Option<(f64, f64)> = None;
        for p in &ser.points {
            let Some(e) = p.eta else { continue };
            let (px, py) = (x(day_number(p.on)), y(day_number(e)));
            if let Some((_, ly)) = last {
                let _ = write!(pts, "{px:.1},{ly:.1} ");
            }
            let _ = write!(pts, "{px:.1},{py:.1} ");
            last = Some((px, py));
        }
        if let Some((_, ly)) = last {
            let _ = write!(pts, "{right:.1},{ly:.1}");
            let _ = writeln!(
                s,
                "<polyline fill=\"none\" stroke=\"{c}\" stroke-width=\"2\" points=\"{pts}\"/><text x=\"{:.1}\" y=\"{:.1}\" fill=\"{c}\">{}</text>",
                right + 4.0,
                ly + 4.0,
                esc(&ser.component)
            );
        }
        if let Some(nb) = ser.needed_by {
            let ny = y(day_number(nb));
            let _ = writeln!(
                s,
                "<line x1=\"{LEFT}\" y1=\"{ny:.1}\" x2=\"{right:.1}\" y2=\"{ny:.1}\" stroke=\"{c}\" stroke-dasharray=\"4 3\"><title>{} needed by {nb}</title></line>",
                esc(&ser.component)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// Per dependency: its buffer (grey), the part used (amber) and any overrun
/// past the needed-by date (red).
fn buffer_svg(bs: &[BufferUse]) -> String {
    let labels: Vec<String> = bs
        .iter()
        .map(|b| format!("{} → {}", b.from, b.to))
        .collect();
    let left = left_for(labels.iter().map(String::as_str));
    let row = 20.0;
    let h = 10.0 + row * bs.len() as f64;
    let most = bs
        .iter()
        .map(|b| i64::from(b.buffer_days) + b.overrun_days)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let unit = (W - left - RIGHT - 130.0) / most;
    let mut s = svg_open(h, "buffer use per dependency");
    for (i, b) in bs.iter().enumerate() {
        let y = 5.0 + row * i as f64;
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + 11.0,
            esc(&labels[i])
        );
        let buffer = f64::from(b.buffer_days) * unit;
        let used = b.used_days as f64 * unit;
        let over = b.overrun_days as f64 * unit;
        let _ = writeln!(
            s,
            "<rect x=\"{left}\" y=\"{y}\" width=\"{buffer:.1}\" height=\"12\" fill=\"#ddd\"/><rect x=\"{left}\" y=\"{y}\" width=\"{used:.1}\" height=\"12\" fill=\"#e9a23b\"/><rect x=\"{:.1}\" y=\"{y}\" width=\"{over:.1}\" height=\"12\" fill=\"#c33\"/><text x=\"{:.1}\" y=\"{}\">{} of {} used{}</text>",
            left + buffer,
            left + buffer + over + 6.0,
            y + 11.0,
            b.used_days,
            b.buffer_days,
            if b.overrun_days > 0 {
                format!(", {} over", b.overrun_days)
            } else {
                String::new()
            }
        );
    }
    s.push_str("</svg>");
    s
}
