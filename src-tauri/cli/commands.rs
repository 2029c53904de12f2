//! The subcommands that read and write the workspace.

use super::{analyze, merge, runbook, Command};
use crate::error::{Code, Error, Result};
use crate::export::write_file_atomic;
use crate::plan::{plan_schema, read_plan_file};
use crate::store::{default_db_path, ComponentField, Edit, ReleaseField, Store};
use serde_json::Value;
use std::path::PathBuf;

/// Opens the workspace named by `--db` / `FLOTILLA_DB`, or the default one.
pub fn open_store(db: Option<PathBuf>) -> Result<Store> {
    Store::open(&db.unwrap_or_else(default_db_path))
}

pub fn run(db: Option<PathBuf>, cmd: Command) -> Result<()> {
    match cmd {
        Command::Import { file, replace } => {
            if merge::is_packet_file(&file) {
                return merge::import_packet(db, &file);
            }
            // Read and validate first: a bad file never opens (or creates) a workspace.
            let plan = read_plan_file(&file)?;
            let mut store = open_store(db)?;
            let r = store.import(&plan, replace)?;
            for k in &r.releases_added {
                eprintln!("imported release {k}");
            }
            for k in &r.releases_replaced {
                eprintln!("replaced release {k}");
            }
            eprintln!(
                "{} teams, {} endpoints, {} components, {} dependencies",
                r.teams, r.endpoints, r.components, r.dependencies
            );
            Ok(())
        }
        Command::Export {
            release,
            team,
            format,
            output,
            today,
        } => {
            if let Some(team) = team {
                return merge::export_packet(db, release, team, format, output);
            }
            let store = open_store(db)?;
            let plan = store.load_plan(release.as_deref())?;
            let text = crate::export::render(&plan, format, crate::views::today(today))?;
            emit(output, &text)
        }
        Command::Releases { json, today } => super::releases::run(db, json, today),
        Command::Analyze(args) => analyze::run(db, args),
        Command::GenPlan(args) => analyze::gen_plan(args),
        #[cfg(feature = "desktop")]
        Command::ChooseFile(args) => crate::desktop::dialogs::chooser_main(args),
        Command::Runbook(args) => runbook::runbook(db, args),
        Command::Runs(args) => runbook::runs(db, args),
        Command::Secret(args) => super::secret::run(args),
        Command::RehearsalTarget(args) => runbook::rehearsal_target(args),
        // `run` has exit codes of its own and is dispatched by `cli::main`.
        Command::Run(_) => unreachable!("cli::main runs `run` itself"),
        Command::Set {
            release,
            component,
            assignment,
        } => {
            let (field, value) = parse_assignment(&assignment)?;
            let edit = match component {
                Some(component) => Edit::SetComponent {
                    release,
                    component,
                    field: ComponentField::parse(field).ok_or_else(|| {
                        Error::invalid(
                            Code::BadField,
                            field,
                            format!(
                                "\"{field}\" is not a component field ({})",
                                ComponentField::names()
                            ),
                        )
                    })?,
                    value,
                },
                None => Edit::SetRelease {
                    release,
                    field: ReleaseField::parse(field).ok_or_else(|| {
                        Error::invalid(
                            Code::BadField,
                            field,
                            format!(
                                "\"{field}\" is not a release field ({})",
                                ReleaseField::names()
                            ),
                        )
                    })?,
                    value,
                },
            };
            let mut store = open_store(db)?;
            store.apply(&edit)?;
            eprintln!("saved as {}", store.actor());
            Ok(())
        }
        Command::History {
            release,
            component,
            limit,
            json,
        } => {
            let store = open_store(db)?;
            let rows = store.history(release.as_deref(), component.as_deref(), limit)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&rows).expect("serializes")
                );
                return Ok(());
            }
            for c in rows {
                let what = match &c.field {
                    Some(f) => format!("{} {}.{}", c.entity, c.key, f),
                    None => format!("{} {}", c.entity, c.key),
                };
                println!(
                    "{}  {:<12} {:<40} {} -> {}",
                    c.at,
                    c.actor,
                    what,
                    c.old.as_deref().unwrap_or("-"),
                    c.new.as_deref().unwrap_or("-")
                );
            }
            Ok(())
        }
        Command::Add(what) => super::authoring::add(db, what),
        Command::Remove(what) => super::authoring::remove(db, what),
        Command::Apply(args) => super::authoring::apply_file(db, args),
        Command::Undo(args) => super::authoring::undo(db, args, false),
        Command::Redo(args) => super::authoring::undo(db, args, true),
        Command::Release(cmd) => super::authoring::release(db, cmd),
        Command::ImportCsv(args) => super::authoring::import_csv_command(db, args),
        Command::Merge(args) => merge::merge(args),
        Command::GitSetup(args) => merge::git_setup(args),
        Command::Link(args) => merge::link(db, args),
        Command::Save(args) => merge::save(db, args),
        Command::Sync(args) => merge::sync(db, args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut super::Cli::command(), "flotilla", &mut script);
            emit(None, &String::from_utf8_lossy(&script))
        }
        Command::ManPages { out } => super::man_pages(&out),
        Command::Report(cmd) => super::report::run(db, cmd),
        Command::Notes(args) => super::report::notes(db, args),
        Command::Review(args) => super::report::review(db, args),
        Command::Metrics(args) => super::report::metrics(db, args),
        Command::Outbox(cmd) => super::outbox::run(db, cmd),
        // Taken apart in `cli::main` before any command runs.
        Command::Open(_) => Err(Error::Desktop(
            "a plan file opens in the desktop app".into(),
        )),
        Command::Schema => {
            print!("{}", plan_schema());
            Ok(())
        }
    }
}

/// Writes to the file named by `-o`, atomically, or to standard output.
pub fn emit(output: Option<PathBuf>, text: &str) -> Result<()> {
    match output {
        Some(path) => write_file_atomic(&path, text),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|_| out.flush())
                .map_err(|e| Error::io(std::path::Path::new("<stdout>"), e, false))
        }
    }
}

/// `FIELD=VALUE`: the value is read as JSON when it parses (numbers, lists,
/// `null`), else as a string; an empty value clears the field.
fn parse_assignment(s: &str) -> Result<(&str, Value)> {
    let (field, raw) = s
        .split_once('=')
        .ok_or_else(|| Error::invalid(Code::BadValue, s, "expected FIELD=VALUE"))?;
    let value = if raw.is_empty() {
        Value::Null
    } else {
        match serde_json::from_str::<Value>(raw) {
            Ok(
                v @ (Value::Number(_)
                | Value::Array(_)
                | Value::Object(_)
                | Value::Bool(_)
                | Value::Null),
            ) => v,
            _ => Value::String(raw.to_string()),
        }
    };
    Ok((field.trim(), value))
}
