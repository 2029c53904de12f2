//! Authoring from a script: add and remove components, dependencies, teams,
//! milestones and endpoints; apply any edit written as JSON; undo and redo;
//! copy a release into the next one; import components from a CSV file.
//! Every change is one store edit: validated, one transaction, recorded in
//! the history under the actor, undoable (in the app too).

use super::commands::open_store;
use crate::error::{Code, Error, Result};
use crate::plan::{Component, Date, Dependency, Status, Team};
use crate::store::{Edit, Store, WORKSPACE};
use crate::views::{copy_release, import_csv, key_from_title, parse_mapping, CsvMapping};
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum AddWhat {
    /// A component: --title, --team and --duration (the key is derived from the title)
    Component {
        #[arg(long, value_name = "KEY")]
        release: String,
        #[arg(long)]
        title: String,
        /// The owning team's key
        #[arg(long)]
        team: String,
        /// Working days
        #[arg(long)]
        duration: u32,
        /// The key [default: from the title, lower case with dashes]
        #[arg(long)]
        key: Option<String>,
        #[arg(long, value_parser = super::parse_date)]
        start: Option<Date>,
        #[arg(long, value_parser = super::parse_date)]
        eta: Option<Date>,
    },
    /// A dependency: FROM blocks TO (refused when it closes a cycle)
    Dependency {
        #[arg(long, value_name = "KEY")]
        release: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long, value_parser = super::parse_date)]
        needed_by: Option<Date>,
        #[arg(long)]
        buffer_days: Option<u32>,
    },
    /// A team of the workspace
    Team {
        #[arg(long)]
        key: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RemoveWhat {
    /// A component, with its dependencies and milestone references (one undo)
    Component {
        #[arg(long, value_name = "KEY")]
        release: String,
        key: String,
    },
    Dependency {
        #[arg(long, value_name = "KEY")]
        release: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    Milestone {
        #[arg(long, value_name = "KEY")]
        release: String,
        key: String,
    },
    /// A team (refused while anything refers to it)
    Team { key: String },
    /// An endpoint (refused while a deploy section or trigger uses it)
    Endpoint { name: String },
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// A JSON file holding one edit (`-`: standard input); see docs/authoring.md
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct UndoArgs {
    /// The release whose newest edit to revert
    #[arg(long, value_name = "KEY", required_unless_present = "workspace")]
    pub release: Option<String>,
    /// The workspace's own edits (teams, endpoints, calendar) instead
    #[arg(long, conflicts_with = "release")]
    pub workspace: bool,
}

#[derive(Debug, Subcommand)]
pub enum ReleaseCmd {
    /// The next release from the last: everything copied, dates moved in working days
    Copy {
        #[arg(long, value_name = "KEY")]
        from: String,
        /// The new release's key
        #[arg(long, value_name = "NEW")]
        key: String,
        #[arg(long, value_parser = super::parse_date)]
        release_date: Date,
        /// Its name [default: the key]
        #[arg(long)]
        name: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ImportCsvArgs {
    /// The release the components join
    #[arg(long, value_name = "KEY")]
    pub release: String,
    /// The CSV file (first row: the column headers)
    pub file: PathBuf,
    /// FIELD=COLUMN pairs, comma-separated (fields: title, key, team, duration,
    /// start, eta, status, blocked_by); unmapped fields are guessed from the headers
    #[arg(long, value_name = "MAPPING")]
    pub map: Option<String>,
    /// Check and show what would be added; store nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print the preview as JSON
    #[arg(long)]
    pub json: bool,
}

fn apply(db: Option<PathBuf>, edit: Edit) -> Result<Store> {
    let mut store = open_store(db)?;
    store.apply(&edit)?;
    eprintln!("saved as {}", store.actor());
    Ok(store)
}

pub fn add(db: Option<PathBuf>, what: AddWhat) -> Result<()> {
    let edit = match what {
        AddWhat::Component {
            release,
            title,
            team,
            duration,
            key,
            start,
            eta,
        } => {
            let key = key.unwrap_or_else(|| key_from_title(&title));
            eprintln!("component {key}");
            Edit::AddComponent {
                release,
                component: Box::new(Component {
                    key,
                    title,
                    team,
                    status: Status::Planning,
                    duration_days: duration,
                    start,
                    eta,
                    done_on: None,
                    labels: vec![],
                    updates: vec![],
                    deploy: None,
                    notes: vec![],
                }),
                index: None,
            }
        }
        AddWhat::Dependency {
            release,
            from,
            to,
            needed_by,
            buffer_days,
        } => Edit::AddDependency {
            release,
            dependency: Dependency {
                from,
                to,
                needed_by,
                buffer_days,
                lag_days: None,
            },
            index: None,
        },
        AddWhat::Team { key, name } => Edit::PutTeam {
            team: Team {
                key,
                name,
                contacts: None,
            },
            index: None,
        },
    };
    apply(db, edit).map(drop)
}

pub fn remove(db: Option<PathBuf>, what: RemoveWhat) -> Result<()> {
    let edit = match what {
        RemoveWhat::Component { release, key } => Edit::RemoveComponent {
            release,
            component: key,
        },
        RemoveWhat::Dependency { release, from, to } => {
            Edit::RemoveDependency { release, from, to }
        }
        RemoveWhat::Milestone { release, key } => Edit::RemoveMilestone {
            release,
            milestone: key,
        },
        RemoveWhat::Team { key } => Edit::RemoveTeam { team: key },
        RemoveWhat::Endpoint { name } => Edit::RemoveEndpoint { name },
    };
    apply(db, edit).map(drop)
}

pub fn apply_file(db: Option<PathBuf>, args: ApplyArgs) -> Result<()> {
    let text = if args.file.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| Error::io(std::path::Path::new("<stdin>"), e, true))?
    } else {
        std::fs::read_to_string(&args.file).map_err(|e| Error::io(&args.file, e, true))?
    };
    let name = args.file.display().to_string();
    let de = &mut serde_json::Deserializer::from_str(&text);
    let edit: Edit = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        Error::invalid(
            Code::BadEdit,
            format!("{name}: {path}"),
            e.into_inner().to_string(),
        )
    })?;
    apply(db, edit).map(drop)
}

pub fn undo(db: Option<PathBuf>, args: UndoArgs, redo: bool) -> Result<()> {
    let scope = args.release.as_deref().unwrap_or(WORKSPACE);
    let mut store = open_store(db)?;
    let step = if redo {
        store.redo(scope)?
    } else {
        store.undo(scope)?
    };
    match step {
        Some(s) => eprintln!("{} {}", if redo { "redid" } else { "undid" }, s.summary),
        None => eprintln!("nothing to {}", if redo { "redo" } else { "undo" }),
    }
    Ok(())
}

pub fn release(db: Option<PathBuf>, cmd: ReleaseCmd) -> Result<()> {
    match cmd {
        ReleaseCmd::Copy {
            from,
            key,
            release_date,
            name,
        } => {
            let mut store = open_store(db)?;
            let r = copy_release(&mut store, &from, &key, release_date, name.as_deref())?;
            eprintln!(
                "release {key} copied from {from}: {} components, {} dependencies, starts {}, code freeze {}, release {}",
                r.components.len(),
                r.dependencies.len(),
                r.start,
                r.code_freeze.map(|d| d.to_string()).unwrap_or_else(|| "-".into()),
                r.release_date
            );
            Ok(())
        }
    }
}

pub fn import_csv_command(db: Option<PathBuf>, args: ImportCsvArgs) -> Result<()> {
    let mapping: CsvMapping = match &args.map {
        Some(m) => parse_mapping(m)?,
        None => vec![],
    };
    let bytes = std::fs::read(&args.file).map_err(|e| Error::io(&args.file, e, true))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::invalid(
            Code::Encoding,
            args.file.display().to_string(),
            "the file is not UTF-8 text: save it from the spreadsheet as \"CSV UTF-8\"",
        )
    })?;
    let mut store = open_store(db)?;
    let name = args.file.display().to_string();
    let preview = import_csv(&mut store, &args.release, &text, &mapping, args.dry_run).map_err(
        |e| match e {
            Error::Invalid(ps) => Error::Invalid(
                ps.into_iter()
                    .map(|mut p| {
                        p.path = format!("{name}: {}", p.path);
                        p
                    })
                    .collect(),
            ),
            other => other,
        },
    )?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&preview).expect("a preview serializes")
        );
    } else {
        for c in &preview.components {
            println!(
                "{:<32} {:<16} {:>3}d  {}",
                c.key, c.team, c.duration_days, c.title
            );
        }
        for d in &preview.dependencies {
            println!("{} -> {}", d.from, d.to);
        }
    }
    eprintln!(
        "{} {} components and {} dependencies into {}",
        if args.dry_run { "would add" } else { "added" },
        preview.components.len(),
        preview.dependencies.len(),
        args.release
    );
    Ok(())
}
