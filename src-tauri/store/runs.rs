//! Runbook runs in the workspace: each run's and step's state, written on
//! every transition so that a crashed run can be resumed, and the audit trail:
//! append-only (SQLite refuses updates and deletes) and hash-chained, each
//! record's hash covering the previous hash and the record's fields.

use super::{now, RunState, StepState, Store};
use crate::error::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `prev_hash` of a run's first audit record.
pub const AUDIT_GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One run of a runbook.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RunRecord {
    pub id: String,
    pub release_key: String,
    pub digest: String,
    pub actor: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub state: RunState,
    /// Started with pre-flight items open (`--force`).
    pub forced: bool,
    /// What stopped the run, when something did.
    pub reason: Option<String>,
    pub exit_code: Option<i32>,
}

/// One step of a run.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StepRecord {
    pub step_id: String,
    pub wave: u32,
    pub position: u32,
    pub state: StepState,
    /// What the provider answered to the trigger (run id, pipeline id, ...), JSON.
    pub provider_ref: Option<serde_json::Value>,
    /// Order of completion within the run (for rolling back in reverse).
    pub completed: Option<i64>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub message: Option<String>,
}

/// One record of the audit trail: a call, or an event of the run.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub step: Option<String>,
    /// `call` or `event`.
    pub kind: String,
    pub method: String,
    /// Secrets masked.
    pub url: String,
    pub status: Option<u16>,
    pub duration_ms: i64,
    pub note: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// An audit record to append (the store numbers, dates and chains it).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub step: Option<String>,
    pub kind: &'static str,
    pub method: String,
    pub url: String,
    pub status: Option<u16>,
    pub duration_ms: i64,
    pub note: Option<String>,
}

/// One write of a run's journal; a batch of them is one transaction.
#[derive(Debug, Clone)]
pub enum RunWrite {
    /// A new run and its steps (id, wave, position), all `pending`.
    Create {
        run: RunRecord,
        runbook: String,
        steps: Vec<(String, u32, u32)>,
    },
    Step {
        run: String,
        step: String,
        state: StepState,
        provider_ref: Option<serde_json::Value>,
        completed: Option<i64>,
        message: Option<String>,
    },
    Run {
        run: String,
        state: RunState,
        reason: Option<String>,
        exit_code: Option<i32>,
    },
    Audit {
        run: String,
        actor: String,
        entry: AuditEntry,
    },
    /// Messages for the outbox, queued with the records beside them; one
    /// already queued (the same key) is left as it is.
    Queue(Vec<super::Queued>),
}

/// The audit chain's last link (seq, hash) per run, as far as a transaction
/// has looked it up or written it.
pub(super) type LastLink = std::collections::HashMap<String, (i64, String)>;

/// Appends one record to a run's audit chain inside `tx`.
pub(super) fn append_audit(
    tx: &rusqlite::Transaction<'_>,
    last_link: &mut LastLink,
    run: &str,
    actor: &str,
    entry: &AuditEntry,
) -> Result<()> {
    let last: Option<(i64, String)> = match last_link.get(run) {
        Some(l) => Some(l.clone()),
        None => tx
            .query_row(
                "SELECT seq, hash FROM run_audit WHERE run_id = ?1 ORDER BY seq DESC LIMIT 1",
                [run],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
    };
    let (seq, prev_hash) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, AUDIT_GENESIS.to_string()),
    };
    let mut rec = AuditRecord {
        seq,
        at: now(),
        actor: actor.to_string(),
        step: entry.step.clone(),
        kind: entry.kind.to_string(),
        method: entry.method.clone(),
        url: entry.url.clone(),
        status: entry.status,
        duration_ms: entry.duration_ms,
        note: entry.note.clone(),
        prev_hash,
        hash: String::new(),
    };
    rec.hash = audit_hash(run, &rec);
    last_link.insert(run.to_string(), (rec.seq, rec.hash.clone()));
    tx.execute(
        "INSERT INTO run_audit (run_id, seq, at, actor, step, kind, method, url, status, duration_ms, note, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            run, rec.seq, rec.at, rec.actor, rec.step, rec.kind, rec.method, rec.url,
            rec.status, rec.duration_ms, rec.note, rec.prev_hash, rec.hash
        ],
    )?;
    Ok(())
}

/// The result of checking a run's audit chain.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct AuditCheck {
    pub records: usize,
    /// The first record whose hash or link does not match, if any.
    pub broken_at: Option<i64>,
}

/// The hash of an audit record: SHA-256 over the previous hash and the
/// record's fields, one per line, in a fixed order.
pub fn audit_hash(run: &str, r: &AuditRecord) -> String {
    let mut h = Sha256::new();
    let fields = [
        r.prev_hash.clone(),
        run.to_string(),
        r.seq.to_string(),
        r.at.clone(),
        r.actor.clone(),
        r.step.clone().unwrap_or_default(),
        r.kind.clone(),
        r.method.clone(),
        r.url.clone(),
        r.status.map(|s| s.to_string()).unwrap_or_default(),
        r.duration_ms.to_string(),
        r.note.clone().unwrap_or_default(),
    ];
    for f in fields {
        // Length-prefixed, so that no two records hash the same bytes.
        h.update((f.len() as u64).to_le_bytes());
        h.update(f.as_bytes());
    }
    hex::encode(h.finalize())
}

impl Store {
    /// The run journal writes often and concurrently: WAL with `synchronous =
    /// NORMAL` keeps every committed transition across a crash of the process.
    pub fn tune_for_run_journal(&self) -> Result<()> {
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        Ok(())
    }

    /// Applies a batch of journal writes in one transaction.
    pub fn write_runs(&mut self, writes: &[RunWrite]) -> Result<()> {
        // Immediate: the outbox's sender writes to the same chain from another
        // connection; a deferred transaction that read first could not write.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // The chain's last link per run, looked up once per batch.
        let mut last_link = LastLink::new();
        for w in writes {
            match w {
                RunWrite::Create {
                    run,
                    runbook,
                    steps,
                } => {
                    tx.execute(
                        "INSERT INTO runs (id, release_key, digest, runbook, actor, started_at, state, forced)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![run.id, run.release_key, run.digest, runbook, run.actor, run.started_at, run.state, run.forced],
                    )?;
                    for (id, wave, pos) in steps {
                        tx.execute(
                            "INSERT INTO run_steps (run_id, step_id, wave, position, state) VALUES (?1, ?2, ?3, ?4, ?5)",
                            params![run.id, id, wave, pos, StepState::Pending],
                        )?;
                    }
                }
                RunWrite::Step {
                    run,
                    step,
                    state,
                    provider_ref,
                    completed,
                    message,
                } => {
                    let at = now();
                    tx.execute(
                        "UPDATE run_steps SET state = ?3,
                             provider_ref = COALESCE(?4, provider_ref),
                             completed = COALESCE(?5, completed),
                             message = COALESCE(?6, message),
                             started_at = COALESCE(started_at, CASE WHEN ?8 THEN ?7 END),
                             finished_at = CASE WHEN ?5 IS NOT NULL THEN ?7 ELSE finished_at END
                         WHERE run_id = ?1 AND step_id = ?2",
                        params![
                            run,
                            step,
                            state,
                            provider_ref.as_ref().map(|v| v.to_string()),
                            completed,
                            message,
                            at,
                            *state != StepState::Pending
                        ],
                    )?;
                }
                RunWrite::Run {
                    run,
                    state,
                    reason,
                    exit_code,
                } => {
                    tx.execute(
                        "UPDATE runs SET state = ?2, reason = COALESCE(?3, reason), exit_code = ?4,
                             finished_at = CASE WHEN ?4 IS NOT NULL THEN ?5 ELSE NULL END
                         WHERE id = ?1",
                        params![run, state, reason, exit_code, now()],
                    )?;
                }
                RunWrite::Audit { run, actor, entry } => {
                    append_audit(&tx, &mut last_link, run, actor, entry)?;
                }
                RunWrite::Queue(messages) => super::outbox::queue_in(&tx, messages)?,
            }
        }
        tx.commit()?;
        tracing::debug!(writes = writes.len(), "run journal batch committed");
        Ok(())
    }

    /// Every run, newest first.
    pub fn runs(&self) -> Result<Vec<RunRecord>> {
        let mut st = self.conn.prepare(
            "SELECT id, release_key, digest, actor, started_at, finished_at, state, forced, reason, exit_code
             FROM runs ORDER BY started_at DESC, id DESC",
        )?;
        let rows = st.query_map([], run_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One run, or `NotFound`.
    pub fn run(&self, id: &str) -> Result<RunRecord> {
        self.conn
            .query_row(
                "SELECT id, release_key, digest, actor, started_at, finished_at, state, forced, reason, exit_code
                 FROM runs WHERE id = ?1",
                [id],
                run_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: "run",
                key: id.to_string(),
            })
    }

    /// The runbook JSON a run executes.
    pub fn run_runbook(&self, id: &str) -> Result<String> {
        Ok(self
            .conn
            .query_row("SELECT runbook FROM runs WHERE id = ?1", [id], |r| r.get(0))?)
    }

    /// A run's steps in runbook order.
    pub fn run_steps(&self, id: &str) -> Result<Vec<StepRecord>> {
        let mut st = self.conn.prepare(
            "SELECT step_id, wave, position, state, provider_ref, completed, started_at, finished_at, message
             FROM run_steps WHERE run_id = ?1 ORDER BY position",
        )?;
        let rows = st.query_map([id], |r| {
            let pref: Option<String> = r.get(4)?;
            Ok(StepRecord {
                step_id: r.get(0)?,
                wave: r.get(1)?,
                position: r.get(2)?,
                state: r.get(3)?,
                provider_ref: pref.and_then(|s| serde_json::from_str(&s).ok()),
                completed: r.get(5)?,
                started_at: r.get(6)?,
                finished_at: r.get(7)?,
                message: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A run's audit trail in order.
    pub fn run_audit(&self, id: &str) -> Result<Vec<AuditRecord>> {
        let mut st = self.conn.prepare(
            "SELECT seq, at, actor, step, kind, method, url, status, duration_ms, note, prev_hash, hash
             FROM run_audit WHERE run_id = ?1 ORDER BY seq",
        )?;
        let rows = st.query_map([id], |r| {
            Ok(AuditRecord {
                seq: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                step: r.get(3)?,
                kind: r.get(4)?,
                method: r.get(5)?,
                url: r.get(6)?,
                status: r.get(7)?,
                duration_ms: r.get(8)?,
                note: r.get(9)?,
                prev_hash: r.get(10)?,
                hash: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Checks a run's chain: numbering from 1, each record linked to the one
    /// before, each hash matching its record.
    pub fn verify_run_audit(&self, id: &str) -> Result<AuditCheck> {
        let records = self.run_audit(id)?;
        Ok(verify_chain(id, &records))
    }
}

/// Checks an audit chain (see [`Store::verify_run_audit`]).
pub fn verify_chain(run: &str, records: &[AuditRecord]) -> AuditCheck {
    let mut prev = AUDIT_GENESIS.to_string();
    for (i, r) in records.iter().enumerate() {
        if r.seq != i as i64 + 1 || r.prev_hash != prev || audit_hash(run, r) != r.hash {
            return AuditCheck {
                records: records.len(),
                broken_at: Some(r.seq),
            };
        }
        prev = r.hash.clone();
    }
    AuditCheck {
        records: records.len(),
        broken_at: None,
    }
}

fn run_row(r: &rusqlite::Row) -> rusqlite::Result<RunRecord> {
    Ok(RunRecord {
        id: r.get(0)?,
        release_key: r.get(1)?,
        digest: r.get(2)?,
        actor: r.get(3)?,
        started_at: r.get(4)?,
        finished_at: r.get(5)?,
        state: r.get(6)?,
        forced: r.get(7)?,
        reason: r.get(8)?,
        exit_code: r.get(9)?,
    })
}
