//! `flotilla analyze`: the schedule of one release, as text or JSON.

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
pub struct GenPlanArgs {}

pub fn gen_plan(_args: GenPlanArgs) -> crate::Result<()> {
    Err(crate::Error::Workspace("gen-plan is not built yet".into()))
}

/// Placeholder until the scheduling engine lands (issue 3).
pub fn run(_db: Option<PathBuf>, _args: AnalyzeArgs) -> crate::Result<()> {
    Err(crate::Error::Workspace("analyze is not built yet".into()))
}
