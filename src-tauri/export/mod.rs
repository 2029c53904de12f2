//! Exports of a plan or a release for people and other tools.
//!
//! Owns: every export format (plan JSON, CSV, and the graph, calendar and report
//! formats). Must not touch: the database or the network; it reads plan values.

mod csv;
mod graph;
mod ical;
mod render;
mod report;

pub use self::csv::components_csv;
pub use graph::{dot, mermaid};
pub use ical::ical;
pub use render::{render, Format};
pub use report::status_report;

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes `text` to `path` atomically: a temporary file beside it, then a rename,
/// so a failed export never leaves a half-written file in place of a good one.
pub fn write_file_atomic(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e, false)
    })
}
