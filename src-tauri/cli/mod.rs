//! The `flotilla` command line (spec/cli.md): thin subcommands over the core.
//!
//! Owns: argument parsing, printing, exit codes. Must not hold logic a test
//! needs: that lives in plan, store, schedule and export.

mod analyze;
mod authoring;
mod commands;
mod exports;
mod merge;
mod outbox;
mod releases;
mod report;
mod runbook;
mod secret;

use crate::error::Error;
use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::path::PathBuf;

/// Plan, track and ship a release that several teams contribute to.
///
/// With no command, opens the desktop app (in a build that has it), on a plan
/// file when one is given. With a command, works headless: the same plans
/// serve a laptop and a CI job.
#[derive(Debug, Parser)]
#[command(name = "flotilla", version = VERSION, about, long_about = None, after_help = EXAMPLES,
          override_usage = "flotilla [OPTIONS] [PLAN_FILE | COMMAND]")]
pub struct Cli {
    /// The workspace database [default: flotilla.db in your data folder]
    #[arg(long, global = true, env = "FLOTILLA_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Say more on standard error: -v what is done, -vv also each HTTP call
    /// and store transaction, -vvv all of Flotilla's own (`RUST_LOG` wins when set)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `flotilla --version`: the version and the commit it was built from
/// (src-tauri/build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("FLOTILLA_COMMIT"),
    ")"
);

const EXAMPLES: &str = "Examples:
  flotilla q1-2025.flotilla.json     open the app on a plan file: import it or link to it
  flotilla import resources/samples/q1-2025-platform.json
  flotilla releases
  flotilla analyze --release q1-2025
  flotilla export --release q1-2025 --format csv -o q1.csv

Exit codes: 0 done, 2 bad input (nothing changed), 1 any other failure.";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a plan file and load it into the workspace, all or nothing
    Import {
        /// The plan file (JSON, format flotilla.plan version 1)
        file: PathBuf,
        /// Replace releases whose key is already in the workspace
        #[arg(long)]
        replace: bool,
    },
    /// Write the workspace, or one release, as a file
    Export {
        /// Only this release (with the teams and endpoints it uses)
        #[arg(long, value_name = "KEY")]
        release: Option<String>,
        /// Only what this team owns in the release: its update packet (json)
        #[arg(long, value_name = "TEAM", requires = "release")]
        team: Option<String>,
        /// What to write (md, dot and mermaid describe one release)
        #[arg(long, value_enum)]
        format: crate::export::Format,
        /// Write here instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The date the schedule is judged by [default: today]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<crate::plan::Date>,
    },
    /// List releases: status, dates, and what is late or at risk
    Releases {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
        /// The date to judge lateness by [default: today]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<crate::plan::Date>,
    },
    /// Schedule a release: critical path, float, risks, freezes, waves
    Analyze(analyze::AnalyzeArgs),
    /// The release-day runbook: Markdown, printable HTML, or JSON for `run`
    Runbook(runbook::RunbookArgs),
    /// Execute a runbook: waves in order, rollback on a trigger, resumable, audited
    Run(runbook::RunArgs),
    /// Past runs, one run's steps, or its audit trail (verified)
    Runs(runbook::RunsArgs),
    /// The messages of the communication plan: list, send what waits, retry refused ones
    #[command(subcommand)]
    Outbox(outbox::OutboxCmd),
    /// The keyring:NAME secrets of endpoints, in the system keyring: set, check, delete
    Secret(secret::SecretArgs),
    /// Serve a local stand-in for the sample plan's deploy target, for rehearsals
    #[command(hide = true)]
    RehearsalTarget(runbook::RehearsalTargetArgs),
    /// Change one field of a component or release, recorded in the history
    Set {
        #[arg(long, value_name = "KEY")]
        release: String,
        /// The component to change; without it, the release itself
        #[arg(long, value_name = "KEY")]
        component: Option<String>,
        /// FIELD=VALUE, the value as in the plan file (eta=2025-02-03, duration_days=12,
        /// status=testing); FIELD= clears an optional field
        assignment: String,
    },
    /// Add a component, a dependency or a team, recorded in the history
    #[command(subcommand)]
    Add(authoring::AddWhat),
    /// Remove a component (with its dependencies), a dependency, a milestone,
    /// a team or an endpoint
    #[command(subcommand)]
    Remove(authoring::RemoveWhat),
    /// Apply one edit written as JSON (any change the app can make)
    Apply(authoring::ApplyArgs),
    /// Revert the newest edit of a release (or of the workspace)
    Undo(authoring::UndoArgs),
    /// Re-apply the edit undone last
    Redo(authoring::UndoArgs),
    /// Work on whole releases: copy one into the next
    #[command(subcommand)]
    Release(authoring::ReleaseCmd),
    /// Add components and dependencies from a CSV file, all or nothing
    ImportCsv(authoring::ImportCsvArgs),
    /// The reports of the weeks before release day: the weekly sync, a team's daily update
    #[command(subcommand)]
    Report(report::ReportCmd),
    /// The release notes: what's new, enhancements, fixes, breaking changes,
    /// known issues, upgrade instructions
    Notes(report::NotesArgs),
    /// The post-release review: planned against actual, what caused delays,
    /// buffers, surprises, the checklist, the run, the team's questions
    Review(report::ReviewArgs),
    /// Delivery metrics: deployment frequency, lead time, change failure rate,
    /// time to restore, schedule accuracy, buffer use, late dependencies
    Metrics(report::MetricsArgs),
    /// Who changed what, newest first
    History {
        #[arg(long, value_name = "KEY")]
        release: Option<String>,
        /// Only this component (or FROM->TO dependency)
        #[arg(long, value_name = "KEY")]
        component: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Three-way merge of plan files, key by key and field by field
    Merge(merge::MergeArgs),
    /// Install `flotilla merge` as the git merge driver of a repository
    GitSetup(merge::GitSetupArgs),
    /// Link a release to a plan file on disk (a git checkout, a shared folder)
    Link(merge::LinkArgs),
    /// Write a linked release's canonical plan file
    Save(merge::SaveArgs),
    /// Merge a linked plan file into the workspace; conflicts are listed
    Sync(merge::SyncArgs),
    /// Print the JSON Schema of the plan file
    Schema,
    /// Print the shell completion script for bash, zsh, fish, elvish or PowerShell
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the manual pages (flotilla.1 and one per command) into a folder
    #[command(hide = true)]
    ManPages {
        /// The folder to write into (created when missing)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Write a large generated plan, for benchmarks (developer tool)
    #[command(hide = true)]
    GenPlan(analyze::GenPlanArgs),
    /// `flotilla PLAN_FILE`: open the app on a plan file (any word that is not
    /// a command lands here; see `open_argument`)
    #[command(external_subcommand)]
    Open(Vec<OsString>),
    /// The desktop app's file chooser, run in its own process (desktop/dialogs.rs)
    #[cfg(feature = "desktop")]
    #[command(hide = true)]
    ChooseFile(crate::desktop::dialogs::ChooserArgs),
}

/// The plan file of `flotilla PLAN_FILE`. A word that is neither a command
/// nor a file (a mistyped command) is refused as clap refuses one, exit 2.
fn open_argument(words: Vec<OsString>) -> Result<PathBuf, i32> {
    let mut words = words.into_iter();
    let file = PathBuf::from(words.next().unwrap_or_default());
    let rest: Vec<_> = words.collect();
    let looks_like_file = file.is_file()
        || file.components().count() > 1
        || file.extension().is_some_and(|e| e == "json");
    if !rest.is_empty() || !looks_like_file {
        eprintln!(
            "error: unrecognized command '{}'\n\nUsage: flotilla [OPTIONS] [PLAN_FILE | COMMAND]\n\nFor more information, try '--help'.",
            file.display()
        );
        return Err(2);
    }
    Ok(file)
}

/// A `YYYY-MM-DD` argument.
fn parse_date(s: &str) -> Result<crate::plan::Date, String> {
    crate::plan::Date::parse(s)
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    use clap::{CommandFactory, FromArgMatches};
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (m, cli)));
    let (matches, cli) = match parsed {
        Ok(p) => p,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let (command, open) = match cli.command {
        Some(Command::Open(words)) => match open_argument(words) {
            Ok(file) => (None, Some(file)),
            Err(code) => return code,
        },
        other => (other, None),
    };
    // The desktop app installs its own subscriber (a log file).
    if command.is_some() {
        crate::logs::init_cli(cli.verbose);
    }
    let name = matches.subcommand_name().unwrap_or("desktop");
    let _span = tracing::info_span!("command", name).entered();
    let started = std::time::Instant::now();
    let code = match command {
        None => open_desktop(cli.db, open),
        // `run` has exit codes of its own (3 rolled back, 4 needs a person).
        Some(Command::Run(args)) => runbook::run_command(cli.db, args),
        Some(cmd) => match commands::run(cli.db, cmd) {
            Ok(()) => 0,
            Err(e) => {
                tracing::debug!(code = %e.code(), "failed");
                report(&e)
            }
        },
    };
    tracing::info!(
        exit_code = code,
        ms = started.elapsed().as_millis() as u64,
        "finished"
    );
    code
}

/// Prints an error on stderr the way every subcommand does, and gives its exit code.
pub fn report(e: &Error) -> i32 {
    match e {
        Error::Invalid(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            if problems.len() > 1 {
                eprintln!("{} problems; nothing was changed", problems.len());
            } else {
                eprintln!("nothing was changed");
            }
        }
        other if other.is_bad_input() => {
            eprintln!("error: {other}");
            eprintln!("nothing was changed");
        }
        other => eprintln!("error: {other}"),
    }
    e.exit_code()
}

#[cfg(feature = "desktop")]
fn open_desktop(db: Option<PathBuf>, open: Option<PathBuf>) -> i32 {
    match crate::desktop::run(db, open) {
        Ok(()) => 0,
        Err(e) => report(&e),
    }
}

#[cfg(not(feature = "desktop"))]
fn open_desktop(_db: Option<PathBuf>, _open: Option<PathBuf>) -> i32 {
    use clap::CommandFactory;
    eprintln!("this build of flotilla has no desktop app (built without the `desktop` feature)\n");
    let _ = Cli::command().print_help();
    2
}

/// `flotilla man-pages --out DIR`: flotilla.1 and a page per command
/// (flotilla-import.1, ...), from the same definitions as `--help`. The
/// package build (`make package`) installs them.
fn man_pages(out: &std::path::Path) -> crate::Result<()> {
    use clap::CommandFactory;
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e, false))?;
    clap_mangen::generate_to(Cli::command(), out).map_err(|e| Error::io(out, e, false))
}
