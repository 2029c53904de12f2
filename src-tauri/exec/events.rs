//! What a run reports as it happens: the CLI prints these on stderr, the
//! desktop app forwards them to the Runbook view.

use crate::store::{RunState, StepState};
use serde::Serialize;
use std::sync::Arc;

/// Receives every event of a run, in order, from the run's tasks.
pub type EventSink = Arc<dyn Fn(RunEvent) + Send + Sync>;

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RunEvent {
    /// The run began (or resumed).
    Started {
        run_id: String,
        release: String,
        total: usize,
        resumed: bool,
        forced: bool,
    },
    /// A wave begins.
    Wave { number: u32, steps: usize },
    /// A step changed state.
    Step {
        step: String,
        wave: u32,
        state: StepState,
        message: Option<String>,
        /// Steps finished so far, and in all: the progress bar.
        done: usize,
        total: usize,
    },
    /// An HTTP call was answered (or failed). The URL has secrets masked.
    Call {
        step: Option<String>,
        method: String,
        url: String,
        status: Option<u16>,
        ms: u64,
        error: Option<String>,
    },
    /// A metric trigger was evaluated.
    Metric {
        query: String,
        value: Option<f64>,
        breached: bool,
    },
    /// After the last step: watching the metric triggers for this long.
    Watch { seconds: u64 },
    /// No new step starts from now on.
    Stopping { reason: String, rollback: bool },
    /// The run ended.
    Finished {
        run_id: String,
        state: RunState,
        exit_code: i32,
        reason: Option<String>,
    },
}
