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
pub use render::{render, Format, FormatInfo, FORMATS};
pub use report::status_report;

pub use crate::atomic_file::write_file_atomic;
