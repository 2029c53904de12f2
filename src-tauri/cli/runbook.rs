//! `flotilla runbook`: compile and export a release-day runbook.

use super::commands::{emit, open_store};
use crate::error::Result;
use crate::plan::read_plan_file;
use crate::runbook::{compile_plan, export, RunbookFormat};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RunbookFormatArg {
    Md,
    Html,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct RunbookArgs {
    /// The release
    #[arg(long, value_name = "KEY")]
    pub release: String,
    /// Work on this plan file directly, without the workspace
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// md and html for people; json for `flotilla run` (with a digest)
    #[arg(long, value_enum)]
    pub format: RunbookFormatArg,
    /// Write here instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn runbook(db: Option<PathBuf>, args: RunbookArgs) -> Result<()> {
    let plan = match &args.plan {
        Some(path) => read_plan_file(path)?,
        None => open_store(db)?.load_plan(Some(&args.release))?,
    };
    let rb = compile_plan(&plan, &args.release)?;
    let format = match args.format {
        RunbookFormatArg::Md => RunbookFormat::Markdown,
        RunbookFormatArg::Html => RunbookFormat::Html,
        RunbookFormatArg::Json => RunbookFormat::Json,
    };
    emit(args.output, &export(&rb, format))
}
