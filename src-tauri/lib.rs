//! Flotilla: plan, track and ship a release that several teams contribute to.
//!
//! The core (plan, store, schedule, views, export, cli) builds without any GUI library;
//! only `desktop`, behind the `desktop` feature, names Tauri.

pub mod atomic_file;
pub mod cli;
pub mod error;
pub mod exec;
pub mod export;
pub mod logs;
pub mod merge;
pub mod notify;
pub mod plan;
pub mod report;
pub mod runbook;
pub mod schedule;
pub mod store;
pub mod views;

#[cfg(feature = "desktop")]
pub mod desktop;

pub use error::{Code, Detail, Error, Problem, Result};

/// The sample plan shipped with Flotilla (`resources/samples/q1-2025-platform.json`):
/// the seeds' Q1 2025 platform release, offered on first start.
pub const SAMPLE_PLAN: &str = include_str!("../resources/samples/q1-2025-platform.json");
