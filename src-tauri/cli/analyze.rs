//! `flotilla analyze`: the schedule of one release, as text or JSON; and the
//! hidden `flotilla gen-plan` that writes a large plan for the benchmarks.

use super::commands::{emit, open_store};
use crate::error::{Code, Error, Result};
use crate::plan::{read_plan_file, write_plan, Date, Plan, Release};
use crate::schedule::{analyze, generate_plan, what_if, Analysis, RiskState, WhatIf};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// Work on this plan file directly, without the workspace
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// The release (required with a workspace, or a plan with several releases)
    #[arg(long, value_name = "KEY")]
    pub release: Option<String>,
    /// Print one JSON object (spec/cli.md) instead of text
    #[arg(long)]
    pub json: bool,
    /// Slip a component: KEY=+N working days (repeatable)
    #[arg(long = "what-if", value_name = "KEY=+N")]
    pub what_if: Vec<String>,
    /// The date to judge "in the past" by [default: today]
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct GenPlanArgs {
    /// Components in the one release
    #[arg(long, default_value_t = 10_000)]
    pub components: usize,
    /// Dependencies between them (fewer when the layers cannot hold that many)
    #[arg(long, default_value_t = 40_000)]
    pub dependencies: usize,
    /// Teams the components are spread over
    #[arg(long, default_value_t = 20)]
    pub teams: usize,
    /// The same seed gives the same plan
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write here instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn gen_plan(args: GenPlanArgs) -> Result<()> {
    let plan = generate_plan(args.components, args.dependencies, args.teams, args.seed);
    emit(args.output, &write_plan(&plan))
}

pub fn run(db: Option<PathBuf>, args: AnalyzeArgs) -> Result<()> {
    // Check every argument before touching a file.
    let today = match &args.today {
        Some(s) => Date::parse(s).map_err(|m| Error::invalid(Code::BadDate, "--today", m))?,
        None => crate::views::today(None),
    };
    let slips = args
        .what_if
        .iter()
        .map(|s| parse_slip(s))
        .collect::<Result<Vec<_>>>()?;
    let plan = match &args.plan {
        Some(path) => read_plan_file(path)?,
        None => {
            let store = open_store(db)?;
            let key = match &args.release {
                Some(k) => k.clone(),
                None => {
                    let keys: Vec<String> = store.releases()?.into_iter().map(|r| r.key).collect();
                    only_release(&keys, "workspace")?.to_string()
                }
            };
            store.load_plan(Some(&key))?
        }
    };
    let release = pick_release(&plan, args.release.as_deref())?;
    let calendar = plan.effective_calendar();
    let printed = if slips.is_empty() {
        let a = analyze(&calendar, release, today)?;
        let printed = if args.json {
            print_json(&a)
        } else {
            emit(None, &analysis_text(release, &a))
        };
        std::mem::forget(a);
        printed
    } else {
        let w = what_if(&calendar, release, today, &slips)?;
        let printed = if args.json {
            print_json(&w)
        } else {
            emit(None, &what_if_text(&w))
        };
        std::mem::forget(w);
        printed
    };
    // The process ends right after this: freeing a large plan and its
    // schedule, allocation by allocation, only costs time (4% of the whole
    // run on a 10,000-component plan).
    std::mem::forget(plan);
    printed
}

/// Pretty JSON and a newline, streamed to standard output: the analysis of a
/// large release is megabytes, not worth building as one string first.
fn print_json<T: serde::Serialize>(value: &T) -> Result<()> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(|e| Error::io(std::path::Path::new("<stdout>"), e, false))
}

/// `KEY=+N` (or `KEY=N`): slip component KEY by N working days.
fn parse_slip(s: &str) -> Result<(String, u32)> {
    let bad = |why: &str| Error::invalid(Code::BadValue, "--what-if", format!("\"{s}\": {why}"));
    let (key, n) = s.split_once('=').ok_or_else(|| bad("expected KEY=+N"))?;
    let key = key.trim();
    if key.is_empty() {
        return Err(bad("the component key is missing (expected KEY=+N)"));
    }
    let n = n.trim();
    let digits = n.strip_prefix('+').unwrap_or(n);
    if n.starts_with('-') {
        return Err(bad("a slip is a delay: use +N working days"));
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(
            "N must be a whole number of working days (expected KEY=+N)",
        ));
    }
    match digits.parse::<u32>() {
        Ok(days) if days <= 3650 => Ok((key.to_string(), days)),
        _ => Err(bad("N is out of range (0 to 3650 working days)")),
    }
}

/// The release named by `--release`, or the plan's only one.
fn pick_release<'p>(plan: &'p Plan, key: Option<&str>) -> Result<&'p Release> {
    match key {
        Some(k) => plan.release(k).ok_or_else(|| Error::NotFound {
            what: "release",
            key: k.to_string(),
        }),
        None => {
            let keys: Vec<String> = plan.releases.iter().map(|r| r.key.clone()).collect();
            only_release(&keys, "plan")?;
            Ok(&plan.releases[0])
        }
    }
}

/// The one key in `keys`, or an error asking for `--release`.
fn only_release<'k>(keys: &'k [String], holder: &str) -> Result<&'k str> {
    match keys {
        [one] => Ok(one),
        [] => Err(Error::invalid(
            Code::MissingRelease,
            "--release",
            format!("the {holder} has no releases"),
        )),
        several => Err(Error::invalid(
            Code::MissingRelease,
            "--release",
            format!(
                "the {holder} has {} releases ({}): pick one with --release KEY",
                several.len(),
                several.join(", ")
            ),
        )),
    }
}

/// The width of a text column: its longest entry, at least `min`.
fn width<'a>(texts: impl Iterator<Item = &'a str>, min: usize) -> usize {
    texts.map(str::len).max().unwrap_or(0).max(min)
}

fn opt(d: Option<Date>) -> String {
    d.map_or_else(|| "-".to_string(), |d| d.to_string())
}

fn days(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n} working day")
    } else {
        format!("{n} working days")
    }
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// The readable report: header, one row per component, then the findings.
pub fn analysis_text(release: &Release, a: &Analysis) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "Release {} ({}), judged on {}",
        a.release, release.name, a.today
    );
    let _ = writeln!(
        w,
        "start {}  feature freeze {}  code freeze {}  release date {}",
        a.start,
        opt(a.feature_freeze),
        opt(a.code_freeze),
        a.release_date
    );
    match (a.plan_finish, a.release_slack) {
        (Some(pf), Some(s)) if s >= 0 => {
            let _ = writeln!(w, "plan finish {pf}: {} before the release date", days(s));
        }
        (Some(pf), Some(s)) => {
            let _ = writeln!(w, "plan finish {pf}: {} AFTER the release date", days(-s));
        }
        _ => {
            let _ = writeln!(w, "no components: nothing to schedule");
        }
    }

    if !a.components.is_empty() {
        let kw = width(a.components.iter().map(|c| c.key), 9);
        let tw = width(a.components.iter().map(|c| c.team), 4);
        let _ = writeln!(
            w,
            "\n  {:<kw$}  {:<tw$}  {:<10}  {:<10}  {:<10}  {:<10}  {:>5}  {:>5}  {:>4}  NOTE",
            "COMPONENT", "TEAM", "ES", "EF", "LS", "LF", "FLOAT", "SLACK", "DAYS"
        );
        for c in &a.components {
            let mut note = Vec::new();
            if c.done {
                note.push("done");
            }
            if c.eta_inconsistent {
                note.push("eta before start, ignored");
            }
            if c.deadline_slack < 0 {
                note.push("past deadline");
            }
            let _ = writeln!(
                w,
                "{} {:<kw$}  {:<tw$}  {}  {}  {}  {}  {:>5}  {:>5}  {:>4}  {}",
                if c.critical { '*' } else { ' ' },
                c.key,
                c.team,
                c.es,
                c.ef,
                c.ls,
                c.lf,
                c.total_float,
                c.deadline_slack,
                c.duration,
                note.join(", ")
            );
        }
        let _ = writeln!(
            w,
            "* critical (no float). FLOAT: working days a component can slip without moving the plan finish; SLACK: working days from EF to the {} ({}).",
            if a.code_freeze.is_some() { "code freeze" } else { "release date" },
            a.code_freeze.unwrap_or(a.release_date)
        );
        let _ = writeln!(
            w,
            "\nCritical path ({} of {} components critical): {}",
            a.counts.critical,
            a.counts.components,
            a.critical_path.join(" -> ")
        );
    }

    for (state, title) in [(RiskState::Late, "late"), (RiskState::AtRisk, "at risk")] {
        let deps: Vec<_> = a.dependencies.iter().filter(|d| d.state == state).collect();
        if deps.is_empty() {
            continue;
        }
        let _ = writeln!(w, "\nDependencies {title} ({}):", deps.len());
        for d in deps {
            let finish = a
                .component(d.from)
                .map(|c| c.ef.to_string())
                .unwrap_or_default();
            let slack = d.slack_days.unwrap_or(0);
            let margin = if slack < 0 {
                format!("{} late", days(-slack))
            } else {
                format!("{} of margin, buffer {}", days(slack), d.buffer_days)
            };
            let _ = writeln!(
                w,
                "  {} -> {}: needed by {}, {} finishes {} ({margin})",
                d.from,
                d.to,
                opt(d.needed_by),
                d.from,
                finish
            );
        }
    }

    if !a.freeze.is_empty() {
        let _ = writeln!(w, "\nFreeze breaches ({}):", a.freeze.len());
        for f in &a.freeze {
            let kind = match f.kind {
                crate::schedule::FreezeKind::CodeFreeze => "breaks the code freeze",
                crate::schedule::FreezeKind::FeatureFreeze => "is past the feature freeze",
            };
            let finish = a
                .component(f.component)
                .map(|c| c.ef.to_string())
                .unwrap_or_default();
            let _ = writeln!(
                w,
                "  {} {kind} ({}): finishes {finish}, {} after",
                f.component,
                f.date,
                days(f.by_days)
            );
        }
    }

    let risky: Vec<_> = a
        .milestones
        .iter()
        .filter(|m| m.state != RiskState::Ok)
        .collect();
    if !risky.is_empty() {
        let _ = writeln!(w, "\nMilestones late or at risk ({}):", risky.len());
        for m in risky {
            let _ = writeln!(
                w,
                "  {}: {}, due {}, components finish {}, scenarios {} of {} done",
                m.key,
                m.state.as_str(),
                m.due,
                opt(m.finish),
                m.scenarios_done,
                m.scenarios_total
            );
        }
    }

    if !a.waves.is_empty() {
        let _ = writeln!(w, "\nDeployment waves ({}):", a.waves.len());
        for (i, wave) in a.waves.iter().enumerate() {
            let _ = writeln!(w, "  {}: {}", i + 1, wave.join(", "));
        }
    }
    without_trailing_spaces(&out)
}

/// The readable what-if report: what moved, and by how much.
pub fn what_if_text(r: &WhatIf) -> String {
    let mut out = String::new();
    let w = &mut out;
    let slips: Vec<String> = r
        .slips
        .iter()
        .map(|s| format!("{} slips {}", s.component, days(i64::from(s.days))))
        .collect();
    let _ = writeln!(
        w,
        "What if {} (release {}, judged on {})",
        slips.join(" and "),
        r.release,
        r.today
    );
    let pf = &r.plan_finish;
    let _ = writeln!(
        w,
        "plan finish {} -> {} ({})",
        opt(pf.before),
        opt(pf.after),
        if pf.by_days == 0 {
            "unchanged".to_string()
        } else {
            format!("{} working days", signed(pf.by_days))
        }
    );
    if let (Some(x), Some(y)) = (pf.release_slack_before, pf.release_slack_after) {
        let _ = writeln!(
            w,
            "release date {}: {} working days of slack -> {}{}",
            pf.release_date,
            x,
            y,
            if y < 0 {
                " (the plan finishes after it)"
            } else {
                ""
            }
        );
    }
    if r.critical_path_before != r.critical_path_after {
        let _ = writeln!(
            w,
            "critical path was: {}",
            r.critical_path_before.join(" -> ")
        );
        let _ = writeln!(
            w,
            "critical path now: {}",
            r.critical_path_after.join(" -> ")
        );
    } else {
        let _ = writeln!(
            w,
            "critical path unchanged: {}",
            r.critical_path_after.join(" -> ")
        );
    }

    if r.components.is_empty() {
        let _ = writeln!(w, "\nNo component moves.");
    } else {
        let kw = width(r.components.iter().map(|c| c.key), 9);
        let _ = writeln!(w, "\nComponents that move ({}):", r.components.len());
        let _ = writeln!(
            w,
            "  {:<kw$}  {:<24}  {:<24}  {:>5}  {:>9}",
            "COMPONENT", "START", "FINISH", "MOVED", "FLOAT"
        );
        for c in &r.components {
            let critical = match (c.critical_before, c.critical_after) {
                (false, true) => " now critical",
                (true, false) => " no longer critical",
                _ => "",
            };
            let _ = writeln!(
                w,
                "  {:<kw$}  {} -> {}  {} -> {}  {:>5}  {:>3} -> {:<3}{critical}",
                c.key,
                c.es_before,
                c.es_after,
                c.ef_before,
                c.ef_after,
                signed(c.finish_moved_by),
                c.float_before,
                c.float_after
            );
        }
    }
    if !r.dependencies.is_empty() {
        let _ = writeln!(w, "\nDependencies that change:");
        for d in &r.dependencies {
            let _ = writeln!(
                w,
                "  {} -> {}: {} -> {} (slack {} -> {})",
                d.from,
                d.to,
                d.state_before.as_str(),
                d.state_after.as_str(),
                d.slack_before.unwrap_or(0),
                d.slack_after.unwrap_or(0)
            );
        }
    }
    if !r.milestones.is_empty() {
        let _ = writeln!(w, "\nMilestones that change:");
        for m in &r.milestones {
            let _ = writeln!(
                w,
                "  {}: {} -> {}, finish {} -> {} ({})",
                m.key,
                m.state_before.as_str(),
                m.state_after.as_str(),
                opt(m.finish_before),
                opt(m.finish_after),
                signed(m.moved_by)
            );
        }
    }
    if !r.freeze.is_empty() {
        let _ = writeln!(w, "\nFreeze breaches that change:");
        for f in &r.freeze {
            let by = |d: Option<i64>| d.map_or_else(|| "none".to_string(), days);
            let _ = writeln!(
                w,
                "  {} past the {}: {} -> {}",
                f.component,
                f.kind.as_str().replace('_', " "),
                by(f.by_days_before),
                by(f.by_days_after)
            );
        }
    }
    without_trailing_spaces(&out)
}

/// Table rows end in padding when their last column is empty.
fn without_trailing_spaces(text: &str) -> String {
    text.lines().flat_map(|l| [l.trim_end(), "\n"]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_parse() {
        assert_eq!(parse_slip("api=+3").unwrap(), ("api".to_string(), 3));
        assert_eq!(parse_slip("api=2").unwrap(), ("api".to_string(), 2));
        for bad in [
            "api",
            "=+3",
            "api=",
            "api=+",
            "api=-2",
            "api=+x",
            "api=+1.5",
            "api=+99999999999",
        ] {
            let e = parse_slip(bad).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{bad}");
            assert_eq!(e.code(), "bad_value", "{bad}");
        }
    }
}
