//! `flotilla report weekly|daily` (the reports of the weeks before release
//! day), `flotilla notes` (the release notes) and `flotilla review` (the
//! post-release review), from src-tauri/report, written as Markdown, HTML or
//! JSON.

use super::commands::{emit, open_store};
use crate::error::Result;
use crate::plan::Date;
use crate::report;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// The weekly release sync: dependency status, timeline, integration,
    /// risks, and what changed since the last sync
    Weekly(WeeklyArgs),
    /// A team's daily async update: done, in progress, waiting for, might slip
    Daily(DailyArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    Md,
    Html,
    Json,
}

#[derive(Debug, Args)]
pub struct Common {
    #[arg(long, value_name = "KEY")]
    release: String,
    /// md to paste into a thread or wiki, html to print or mail, json for tools
    #[arg(long, value_enum, default_value = "md")]
    format: ReportFormat,
    /// Write here instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The date the schedule is judged by [default: today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    today: Option<Date>,
}

#[derive(Debug, Args)]
pub struct WeeklyArgs {
    #[command(flatten)]
    common: Common,
    /// Changes from this day on [default: the day of the last weekly report, else a week before today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    since: Option<Date>,
}

#[derive(Debug, Args)]
pub struct DailyArgs {
    #[command(flatten)]
    common: Common,
    /// The team whose update this is
    #[arg(long, value_name = "TEAM")]
    team: String,
}

#[derive(Debug, Args)]
pub struct NotesArgs {
    #[arg(long, value_name = "KEY")]
    release: String,
    /// md to paste into a changelog or wiki, html to publish, json for tools
    #[arg(long, value_enum, default_value = "md")]
    format: ReportFormat,
    /// Write here instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    common: Common,
    /// The plan is compared as it stood at the end of this day
    /// [default: the feature freeze, else the release's start]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    baseline: Option<Date>,
}

/// `flotilla review`: the post-release review of one release.
pub fn review(db: Option<PathBuf>, a: ReviewArgs) -> Result<()> {
    let store = open_store(db)?;
    let today = crate::views::today(a.common.today);
    let r = report::review(&store, &a.common.release, today, a.baseline)?;
    write(
        a.common.format,
        a.common.output,
        &r,
        report::review_markdown,
        report::review_html,
    )
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// md, html (with a chart per figure) or json
    #[arg(long, value_enum, default_value = "md")]
    format: ReportFormat,
    /// Write here instead of standard output
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Count runs started and releases due from this day on [default: everything]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    since: Option<Date>,
    /// Only the releases this team has components in, and its components' lead times
    #[arg(long, value_name = "TEAM")]
    team: Option<String>,
    /// The day the figures are computed as of [default: today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    today: Option<Date>,
}

/// `flotilla metrics`: delivery metrics over every release.
pub fn metrics(db: Option<PathBuf>, a: MetricsArgs) -> Result<()> {
    let store = open_store(db)?;
    let today = crate::views::today(a.today);
    let m = report::metrics(&store, today, a.since, a.team.as_deref())?;
    write(
        a.format,
        a.output,
        &m,
        report::metrics_markdown,
        report::metrics_html,
    )
}

/// `flotilla notes`: the release notes of one release.
pub fn notes(db: Option<PathBuf>, a: NotesArgs) -> Result<()> {
    let store = open_store(db)?;
    let n = report::notes(&store, &a.release)?;
    write(
        a.format,
        a.output,
        &n,
        report::notes_markdown,
        report::notes_html,
    )
}

pub fn run(db: Option<PathBuf>, cmd: ReportCmd) -> Result<()> {
    match cmd {
        ReportCmd::Weekly(a) => {
            let store = open_store(db)?;
            let today = crate::views::today(a.common.today);
            let since = match a.since {
                Some(d) => d,
                None => report::weekly_since(&store, &a.common.release, today)?,
            };
            let w = report::weekly(&store, &a.common.release, today, since)?;
            report::record_weekly(&store, &a.common.release, today)?;
            write(
                a.common.format,
                a.common.output,
                &w,
                report::weekly_markdown,
                report::weekly_html,
            )
        }
        ReportCmd::Daily(a) => {
            let store = open_store(db)?;
            let today = crate::views::today(a.common.today);
            let d = report::daily(&store, &a.common.release, &a.team, today)?;
            write(
                a.common.format,
                a.common.output,
                &d,
                report::daily_markdown,
                report::daily_html,
            )
        }
    }
}

/// Writes `v` in `format` to `output` (standard output when none).
fn write<T: serde::Serialize>(
    format: ReportFormat,
    output: Option<PathBuf>,
    v: &T,
    markdown: fn(&T) -> String,
    html: fn(&T) -> String,
) -> Result<()> {
    let text = match format {
        ReportFormat::Md => markdown(v),
        ReportFormat::Html => html(v),
        ReportFormat::Json => json(v),
    };
    emit(output, &text)
}

fn json<T: serde::Serialize>(v: &T) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("a report serializes");
    s.push('\n');
    s
}
