//! Flotilla: plan, track and ship a release that several teams contribute to.
//!
//! The core (plan, store, schedule, export, cli) builds without any GUI library;
//! only `desktop`, behind the `desktop` feature, names Tauri.

pub mod cli;
pub mod error;
pub mod exec;
pub mod export;
pub mod merge;
pub mod plan;
pub mod runbook;
pub mod schedule;
pub mod store;

#[cfg(feature = "desktop")]
pub mod desktop;

pub use error::{Error, Problem, Result};

/// The sample plan shipped with Flotilla (`resources/samples/q1-2025-platform.json`):
/// the seeds' Q1 2025 platform release, offered on first start.
pub const SAMPLE_PLAN: &str = include_str!("../resources/samples/q1-2025-platform.json");
