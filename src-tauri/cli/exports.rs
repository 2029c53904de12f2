//! `flotilla export`: the plan or one release in every export format.

use super::ExportFormat;
use crate::error::{Error, Result};
use crate::export::{components_csv, dot, ical, mermaid, status_report};
use crate::plan::{write_plan, Date, Plan};
use crate::schedule::analyze;

/// The text of `plan` (the whole workspace, or one release) in `format`.
/// The graph and report formats describe one release: with several in the
/// plan, the caller must pick one.
pub fn render(plan: &Plan, format: ExportFormat, today: Date) -> Result<String> {
    let calendar = plan.effective_calendar();
    match format {
        ExportFormat::Json => Ok(write_plan(plan)),
        ExportFormat::Csv => Ok(components_csv(plan)),
        ExportFormat::Ical => {
            let analyses = plan
                .releases
                .iter()
                .map(|r| analyze(&calendar, r, today))
                .collect::<Result<Vec<_>>>()?;
            let pairs: Vec<_> = plan.releases.iter().zip(analyses.iter()).collect();
            Ok(ical(&pairs, today))
        }
        ExportFormat::Md | ExportFormat::Dot | ExportFormat::Mermaid => {
            let release = match plan.releases.as_slice() {
                [one] => one,
                [] => {
                    return Err(Error::invalid(
                        "no_release",
                        "release",
                        "the workspace has no release to export",
                    ))
                }
                _ => {
                    return Err(Error::invalid(
                        "release_required",
                        "release",
                        "this format describes one release: choose it with --release KEY",
                    ))
                }
            };
            let a = analyze(&calendar, release, today)?;
            Ok(match format {
                ExportFormat::Md => status_report(plan, release, &a),
                ExportFormat::Dot => dot(plan, release, &a),
                _ => mermaid(plan, release, &a),
            })
        }
    }
}
