//! Diagnostics through `tracing`: where they go and how much of them.
//!
//! The core emits spans and events (a span per command, per run, per step
//! and per HTTP call, with secrets masked; store transactions at debug).
//! This module only installs a subscriber: the CLI writes to standard error
//! at the level of `-v` (or `RUST_LOG`), the desktop app to a daily-rotated
//! file in its data folder (`logs/flotilla.log.YYYY-MM-DD`).
//!
//! Owns: the subscriber and the log folder. Must not touch: what is logged.

use std::path::PathBuf;
use tracing_subscriber::EnvFilter;

/// Overrides the desktop app's log folder (tests, or a user who wants the
/// logs elsewhere).
pub const LOG_DIR_ENV: &str = "FLOTILLA_LOG_DIR";

/// The filter: `RUST_LOG` when set, else `default` for Flotilla's own
/// targets and warnings from every library.
fn filter(default: &str) -> EnvFilter {
    EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("warn,flotilla={default}")))
}

/// The level `-v` given `count` times asks for: none shows only warnings,
/// `-v` info, `-vv` debug, `-vvv` trace.
pub fn level_for(count: u8) -> &'static str {
    match count {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    }
}

/// The CLI's subscriber: plain lines on standard error. Safe to call twice
/// (the second call does nothing).
pub fn init_cli(verbosity: u8) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter(level_for(verbosity)))
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_target(false)
        .try_init();
}

/// Where the desktop app writes its log: `FLOTILLA_LOG_DIR`, else `logs/` in
/// the same data folder as the default workspace.
pub fn log_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(LOG_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::data_dir()
        .unwrap_or_else(std::env::temp_dir)
        .join("flotilla")
        .join("logs")
}

/// The desktop app's subscriber: a file per day in [`log_dir`], at info
/// unless `RUST_LOG` says otherwise. Keep the guard alive for as long as the
/// app runs: dropping it flushes the file.
pub fn init_app() -> std::io::Result<tracing_appender::non_blocking::WorkerGuard> {
    let dir = log_dir();
    std::fs::create_dir_all(&dir)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("flotilla.log")
        .max_log_files(14)
        .build(&dir)
        .map_err(std::io::Error::other)?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter("info"))
        .with_writer(writer)
        .with_ansi(false)
        .try_init();
    Ok(guard)
}
