//! `flotilla outbox`: the messages runs drafted for the communication plan:
//! list them, send what waits (after a run that ended offline, or from a
//! CI job), and queue refused ones again once the channel is fixed.

use super::commands::{emit, open_store};
use crate::error::{Error, Result};
use crate::notify::{self, PumpOptions};
use crate::store::{default_db_path, OutboxMessage};
use clap::{Args, Subcommand};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Subcommand)]
pub enum OutboxCmd {
    /// The messages, oldest first: state, tries, last error
    List(ListArgs),
    /// Send every message that is due; wait for retries up to --wait seconds
    Send(SendArgs),
    /// Queue refused (failed) messages again: one by id, or all
    Retry {
        /// The message's id (from `flotilla outbox list`); all failed ones without it
        id: Option<i64>,
    },
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only the messages of this run
    #[arg(long, value_name = "RUN_ID")]
    run: Option<String>,
    /// Print JSON instead of a table
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Only the messages of this run
    #[arg(long, value_name = "RUN_ID")]
    run: Option<String>,
    /// Wait this many seconds at most for retries to come due
    #[arg(long, value_name = "SECONDS", default_value_t = 0)]
    wait: u64,
    /// Print what was done as JSON
    #[arg(long)]
    json: bool,
}

pub fn run(db: Option<PathBuf>, cmd: OutboxCmd) -> Result<()> {
    match cmd {
        OutboxCmd::List(a) => {
            let messages = open_store(db)?.outbox(a.run.as_deref())?;
            if a.json {
                let text = serde_json::to_string_pretty(&messages).expect("messages serialize");
                return emit(None, &format!("{text}\n"));
            }
            emit(None, &table(&messages))
        }
        OutboxCmd::Send(a) => {
            // Opened here first: a bad workspace is refused before the runtime.
            let actor = open_store(db.clone())?.actor().to_string();
            let opts = PumpOptions {
                db: db.unwrap_or_else(default_db_path),
                actor,
                run: a.run,
                follow: None,
                linger: Duration::from_secs(a.wait),
            };
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::Run(format!("cannot start the runtime: {e}")))?;
            let report = rt.block_on(notify::pump(opts))?;
            if a.json {
                let text = serde_json::to_string_pretty(&report).expect("a report serializes");
                emit(None, &format!("{text}\n"))?;
            }
            eprintln!(
                "{} sent, {} to retry, {} refused; {} unsent",
                report.sent, report.retried, report.failed, report.unsent
            );
            if report.failed > 0 {
                return Err(Error::Run(format!(
                    "{} message(s) refused: `flotilla outbox list` shows why; fix the channel, then `flotilla outbox retry`",
                    report.failed
                )));
            }
            Ok(())
        }
        OutboxCmd::Retry { id } => {
            let mut store = open_store(db)?;
            let n = store.retry_messages(id)?;
            if n == 0 {
                if let Some(id) = id {
                    return Err(Error::invalid(
                        crate::error::Code::UnknownReference,
                        "id",
                        format!("no refused message with id {id}"),
                    ));
                }
            }
            eprintln!("{n} message(s) queued again: `flotilla outbox send` sends them");
            Ok(())
        }
    }
}

fn table(messages: &[OutboxMessage]) -> String {
    let mut out = String::new();
    if messages.is_empty() {
        out.push_str("The outbox is empty.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "{:>4}  {:<8}  {:>5}  {:<17}  {:<20}  {:<24}  SUBJECT",
        "ID", "STATE", "TRIES", "EVENT", "AUDIENCE", "CHANNEL"
    );
    for m in messages {
        let _ = writeln!(
            out,
            "{:>4}  {:<8}  {:>5}  {:<17}  {:<20}  {:<24}  {}",
            m.id,
            m.state.as_str(),
            m.attempts,
            m.event,
            m.audience,
            format!("{} ({})", m.channel, m.kind),
            m.subject
        );
        match (&m.state, &m.last_error) {
            (crate::store::OutboxState::Pending, Some(e)) => {
                let _ = writeln!(out, "      next try at {}: {e}", m.next_at);
            }
            (_, Some(e)) => {
                let _ = writeln!(out, "      {e}");
            }
            _ => {}
        }
    }
    out
}
