//! `merge`, `git-setup`, `link`, `save`, `sync`, and team packets on `export`
//! and `import`: thin over the `merge` module (docs/merge.md).
//!
//! Exit codes: 0 clean, 1 conflicts left for a person, 2 bad input.

use super::commands::{emit, open_store};
use crate::error::{Code, Error, Result};
use crate::export::Format;
use crate::merge::{self, conflicts_text, Conflict, Resolutions, Side};
use crate::plan::write_plan;
use crate::Problem;
use clap::Args;
use std::path::{Path, PathBuf};

/// `flotilla merge BASE OURS THEIRS -o OUT`
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The common ancestor (an empty file: none)
    pub base: PathBuf,
    /// Our version
    pub ours: PathBuf,
    /// Their version
    pub theirs: PathBuf,
    /// Where the merged plan goes (may be OURS, as in a git merge driver)
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// Print the conflicts as JSON on standard output
    #[arg(long)]
    pub json: bool,
}

/// `flotilla git-setup [--repo DIR] [--pattern GLOB]`
#[derive(Debug, Args)]
pub struct GitSetupArgs {
    /// A folder inside the repository
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
    /// The plan files git merges with Flotilla
    #[arg(long, value_name = "GLOB", default_value = merge::DEFAULT_PATTERN)]
    pub pattern: String,
}

/// `flotilla link --release KEY FILE`
#[derive(Debug, Args)]
pub struct LinkArgs {
    #[arg(long, value_name = "KEY")]
    pub release: String,
    /// The plan file (written from the workspace when it does not exist)
    pub file: PathBuf,
}

/// `flotilla save --release KEY`
#[derive(Debug, Args)]
pub struct SaveArgs {
    #[arg(long, value_name = "KEY")]
    pub release: String,
    /// Overwrite the file even if it changed since the last sync
    #[arg(long)]
    pub force: bool,
}

/// `flotilla sync --release KEY [--take PATH=ours|theirs|base]... [--json]`
#[derive(Debug, Args)]
pub struct SyncArgs {
    #[arg(long, value_name = "KEY")]
    pub release: String,
    /// Resolve a conflict: its path as listed, = ours, theirs or base
    #[arg(long, value_name = "PATH=SIDE")]
    pub take: Vec<String>,
    /// Print the sync report as JSON on standard output
    #[arg(long)]
    pub json: bool,
}

pub fn merge(args: MergeArgs) -> Result<()> {
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| Error::io(p, e, true));
    let base = read(&args.base)?;
    let ours = read(&args.ours)?;
    let theirs = read(&args.theirs)?;
    let merged = merge::merge_texts(Some(&base), &ours, &theirs, &Resolutions::new())?;
    let text = match &merged.plan {
        Some(plan) => write_plan(plan),
        None => {
            let mut s = serde_json::to_string_pretty(&merged.value).expect("serializes");
            s.push('\n');
            s
        }
    };
    crate::export::write_file_atomic(&args.output, &text)?;
    if args.json {
        let out = serde_json::json!({
            "output": args.output.display().to_string(),
            "clean": merged.is_clean(),
            "conflicts": merged.conflicts,
            "problems": merged.problems,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&out).expect("serializes")
        );
    }
    finish(&merged.conflicts, &merged.problems, args.json, || {
        format!("merged cleanly into {}", args.output.display())
    })
}

pub fn git_setup(args: GitSetupArgs) -> Result<()> {
    let exe = std::env::current_exe().map_err(|e| Error::Io {
        path: "flotilla".into(),
        message: format!("cannot find this program's own path: {e}"),
        input: false,
    })?;
    let s = merge::git_setup(&args.repo, &args.pattern, &exe)?;
    let attributes = s.root.join(".gitattributes");
    if s.attributes_added {
        eprintln!("added to {}: {}", attributes.display(), s.attributes_line);
    } else {
        eprintln!("already in {}: {}", attributes.display(), s.attributes_line);
    }
    eprintln!("git config merge.{}.driver \"{}\"", merge::DRIVER, s.driver);
    eprintln!("commit .gitattributes; every clone runs `flotilla git-setup` once");
    Ok(())
}

pub fn link(db: Option<PathBuf>, args: LinkArgs) -> Result<()> {
    let mut store = open_store(db)?;
    let r = merge::link(&mut store, &args.release, &args.file)?;
    if r.written {
        eprintln!("wrote release {} to {}", r.release, r.path);
    }
    eprintln!("linked release {} to {}", r.release, r.path);
    if !r.same_as_workspace {
        eprintln!("the file differs from the workspace: the first sync has no common version, so every field both changed is a conflict");
    }
    Ok(())
}

pub fn save(db: Option<PathBuf>, args: SaveArgs) -> Result<()> {
    let mut store = open_store(db)?;
    let path = merge::save(&mut store, &args.release, args.force)?;
    eprintln!("saved release {} to {path}", args.release);
    Ok(())
}

pub fn sync(db: Option<PathBuf>, args: SyncArgs) -> Result<()> {
    let mut choices = Resolutions::new();
    for t in &args.take {
        let (path, side) = parse_take(t)?;
        choices = choices.choose(path, side);
    }
    let mut store = open_store(db)?;
    let r = merge::resolve(&mut store, &args.release, &choices)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&r).expect("serializes"));
    } else {
        for d in &r.applied {
            eprintln!("applied: {}", difference_line(d));
        }
    }
    finish(&r.conflicts, &r.problems, args.json, || {
        format!(
            "release {} in step with {} ({} change{} applied)",
            r.release,
            r.path,
            r.applied.len(),
            if r.applied.len() == 1 { "" } else { "s" }
        )
    })
}

/// `export --release KEY --team TEAM`: the team's update packet.
pub fn export_packet(
    db: Option<PathBuf>,
    release: Option<String>,
    team: String,
    format: Format,
    output: Option<PathBuf>,
) -> Result<()> {
    let release = release.ok_or_else(|| {
        Error::invalid(
            Code::MissingValue,
            "--release",
            "--team needs --release KEY",
        )
    })?;
    if format != Format::Json {
        return Err(Error::invalid(
            Code::BadValue,
            "--format",
            "a team packet is JSON: use --format json",
        ));
    }
    let store = open_store(db)?;
    let packet = merge::export_packet(&store, &release, &team)?;
    emit(output, &merge::write_packet(&packet))
}

/// Is `file` a team packet (so `import` merges it instead)?
pub fn is_packet_file(file: &Path) -> bool {
    std::fs::read_to_string(file).is_ok_and(|t| merge::is_packet(&t))
}

/// `import PACKET`: merges a team's packet into its release, and says what changed.
pub fn import_packet(db: Option<PathBuf>, file: &Path) -> Result<()> {
    let text = std::fs::read_to_string(file).map_err(|e| Error::io(file, e, true))?;
    let packet = merge::parse_packet(&text)?;
    let mut store = open_store(db)?;
    let r = merge::import_packet(&mut store, &packet)?;
    for d in &r.changes {
        println!("{}", difference_line(d));
    }
    eprintln!(
        "team {} packet merged into release {}: {} change{}",
        r.team,
        r.release,
        r.changes.len(),
        if r.changes.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

fn difference_line(d: &merge::Difference) -> String {
    match (&d.old, &d.new) {
        (None, Some(n)) => format!("added {} = {n}", d.path),
        (Some(o), None) => format!("removed {} (was {o})", d.path),
        (Some(o), Some(n)) => format!("changed {}: {o} -> {n}", d.path),
        (None, None) => d.path.clone(),
    }
}

fn parse_take(s: &str) -> Result<(String, Side)> {
    let bad = || {
        Error::invalid(
            Code::BadValue,
            "--take",
            format!("\"{s}\": expected PATH=ours, PATH=theirs or PATH=base"),
        )
    };
    let (path, side) = s.rsplit_once('=').ok_or_else(bad)?;
    let side = match side.trim() {
        "ours" => Side::Ours,
        "theirs" => Side::Theirs,
        "base" => Side::Base,
        _ => return Err(bad()),
    };
    Ok((path.trim().to_string(), side))
}

/// Prints the outcome; with conflicts (or a result that cannot be applied),
/// ends the process with exit code 1 as spec'd for a merge left to a person.
fn finish(
    conflicts: &[Conflict],
    problems: &[Problem],
    json: bool,
    clean: impl FnOnce() -> String,
) -> Result<()> {
    if conflicts.is_empty() && problems.is_empty() {
        eprintln!("{}", clean());
        return Ok(());
    }
    if !json {
        eprint!("{}", conflicts_text(conflicts));
    }
    for p in problems {
        eprintln!("error: {p}");
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();
    std::process::exit(1)
}
