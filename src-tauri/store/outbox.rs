//! The outbox: messages drafted by runs, kept until a channel took them.
//!
//! A run queues a message in the same transaction as its record of the event
//! the message reports ([`super::RunWrite::Queue`]), so a crash never leaves
//! an event without its message or a message without its event. Senders
//! claim one message at a time (`pending` → `sending`, in one transaction, so
//! two senders never take the same one), in queueing order per channel (a
//! message waiting for a retry holds back the later ones of its channel), and
//! record the outcome together with the run's audit record of it. A claim
//! holds until its lease ends (kept in `next_at` while the row is `sending`:
//! the sender sets it from the channel's send timeout); after that the
//! message is taken over, its sender having died mid-send.

use super::runs::{append_audit, LastLink};
use super::{now, AuditEntry, OutboxState, Store};
use crate::error::Result;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

/// A message to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Queued {
    /// The idempotency key: the same message is never queued twice.
    pub key: String,
    pub run_id: Option<String>,
    pub release_key: String,
    pub event: String,
    pub audience: String,
    pub channel: String,
    pub kind: String,
    /// The channel (plan JSON: secret references only) with the resolved
    /// recipients of an email channel.
    pub target: serde_json::Value,
    pub subject: String,
    pub body: String,
}

/// A message of the outbox as stored.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct OutboxMessage {
    pub id: i64,
    pub key: String,
    pub run_id: Option<String>,
    pub release_key: String,
    pub event: String,
    pub audience: String,
    pub channel: String,
    pub kind: String,
    pub target: serde_json::Value,
    pub subject: String,
    pub body: String,
    pub state: OutboxState,
    pub attempts: u32,
    /// When a pending message is next tried (RFC 3339, UTC).
    pub next_at: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

const COLUMNS: &str = "id, key, run_id, release_key, event, audience, channel, kind, target,
     subject, body, state, attempts, next_at, last_error, created_at, sent_at";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxMessage> {
    let target: String = r.get(8)?;
    Ok(OutboxMessage {
        id: r.get(0)?,
        key: r.get(1)?,
        run_id: r.get(2)?,
        release_key: r.get(3)?,
        event: r.get(4)?,
        audience: r.get(5)?,
        channel: r.get(6)?,
        kind: r.get(7)?,
        target: serde_json::from_str(&target).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(8, rusqlite::types::Type::Text, Box::new(e))
        })?,
        subject: r.get(9)?,
        body: r.get(10)?,
        state: r.get(11)?,
        attempts: r.get(12)?,
        next_at: r.get(13)?,
        last_error: r.get(14)?,
        created_at: r.get(15)?,
        sent_at: r.get(16)?,
    })
}

/// Queues `messages` inside `tx`; a key already queued is skipped.
pub(super) fn queue_in(tx: &Transaction<'_>, messages: &[Queued]) -> Result<()> {
    let at = now();
    let mut st = tx.prepare_cached(
        "INSERT OR IGNORE INTO outbox (key, run_id, release_key, event, audience, channel, kind,
                                       target, subject, body, state, next_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?;
    for m in messages {
        st.execute(params![
            m.key,
            m.run_id,
            m.release_key,
            m.event,
            m.audience,
            m.channel,
            m.kind,
            m.target.to_string(),
            m.subject,
            m.body,
            OutboxState::Pending,
            at,
        ])?;
    }
    Ok(())
}

/// How a send ended, to record.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Sent,
    /// Try again at `next_at` (RFC 3339).
    Retry {
        error: String,
        next_at: String,
    },
    /// Refused for good.
    Failed {
        error: String,
    },
}

impl Store {
    /// Queues messages outside a run (one transaction).
    pub fn queue_messages(&mut self, messages: &[Queued]) -> Result<()> {
        let tx = self.conn.transaction()?;
        queue_in(&tx, messages)?;
        tx.commit()?;
        Ok(())
    }

    /// Every message, oldest first; of one run when `run` is given.
    pub fn outbox(&self, run: Option<&str>) -> Result<Vec<OutboxMessage>> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE ?1 IS NULL OR run_id = ?1 ORDER BY id"
        ))?;
        let rows = st.query_map([run], row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Claims the next message (of `run`, when given) due at `at` (RFC 3339), if any: the oldest
    /// pending one whose retry time has come, or one whose claim's lease has
    /// ended, and that no earlier unsent message of its channel holds back.
    /// `lease_until` gives the claim's end (RFC 3339) for the message found.
    /// The claim is committed before this returns.
    pub fn claim_message(
        &mut self,
        at: &str,
        run: Option<&str>,
        lease_until: impl FnOnce(&OutboxMessage) -> String,
    ) -> Result<Option<OutboxMessage>> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let found = tx
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM outbox o
                     WHERE o.state IN ('pending', 'sending') AND o.next_at <= ?1
                       AND (?2 IS NULL OR o.run_id = ?2)
                       AND NOT EXISTS (
                           SELECT 1 FROM outbox e
                           WHERE e.release_key = o.release_key AND e.channel = o.channel
                             AND e.id < o.id AND e.state IN ('pending', 'sending'))
                     ORDER BY o.id LIMIT 1"
                ),
                params![at, run],
                row,
            )
            .optional()?;
        let Some(mut m) = found else {
            return Ok(None);
        };
        let until = lease_until(&m);
        tx.execute(
            "UPDATE outbox SET state = 'sending', claimed_at = ?2, next_at = ?3,
                               attempts = attempts + 1
             WHERE id = ?1",
            params![m.id, at, until],
        )?;
        tx.commit()?;
        m.state = OutboxState::Sending;
        m.attempts += 1;
        m.next_at = until;
        Ok(Some(m))
    }

    /// Records how a claimed message's send ended, and (for a run's message)
    /// the run's audit record of it, in one transaction.
    pub fn record_send(
        &mut self,
        m: &OutboxMessage,
        outcome: &Outcome,
        actor: &str,
        audit: Option<AuditEntry>,
    ) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let at = now();
        match outcome {
            Outcome::Sent => tx.execute(
                "UPDATE outbox SET state = 'sent', sent_at = ?2, claimed_at = NULL, last_error = NULL
                 WHERE id = ?1",
                params![m.id, at],
            )?,
            Outcome::Retry { error, next_at } => tx.execute(
                "UPDATE outbox SET state = 'pending', next_at = ?2, claimed_at = NULL, last_error = ?3
                 WHERE id = ?1",
                params![m.id, next_at, error],
            )?,
            Outcome::Failed { error } => tx.execute(
                "UPDATE outbox SET state = 'failed', claimed_at = NULL, last_error = ?2 WHERE id = ?1",
                params![m.id, error],
            )?,
        };
        if let (Some(run), Some(entry)) = (&m.run_id, audit) {
            let exists: bool = tx
                .query_row("SELECT 1 FROM runs WHERE id = ?1", [run], |_| Ok(true))
                .optional()?
                .unwrap_or(false);
            if exists {
                append_audit(&tx, &mut LastLink::new(), run, actor, &entry)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Queues failed messages again (all of them, or one by id); returns how
    /// many.
    pub fn retry_messages(&mut self, id: Option<i64>) -> Result<usize> {
        let n = self.conn.execute(
            "UPDATE outbox SET state = 'pending', next_at = ?2, last_error = NULL
             WHERE state = 'failed' AND (?1 IS NULL OR id = ?1)",
            params![id, now()],
        )?;
        Ok(n)
    }

    /// Makes every unsent message of `run` due now: pending ones waiting for
    /// a retry, and refused ones queued again (a person asked to send them).
    /// A message being sent is left to its sender. Returns how many.
    pub fn hurry_messages(&mut self, run: &str) -> Result<usize> {
        let n = self.conn.execute(
            "UPDATE outbox SET state = 'pending', next_at = ?2
             WHERE run_id = ?1 AND state IN ('pending', 'failed')",
            params![run, now()],
        )?;
        Ok(n)
    }

    /// How many messages (of `run`, when given) are not sent yet (pending or
    /// sending).
    pub fn unsent_messages(&self, run: Option<&str>) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')
               AND (?1 IS NULL OR run_id = ?1)",
            [run],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// When the next message (of `run`, when given) comes due, if any: a
    /// pending one's retry time, or the end of a claim's lease.
    pub fn next_message_at(&self, run: Option<&str>) -> Result<Option<String>> {
        Ok(self.conn.query_row(
            "SELECT MIN(next_at) FROM outbox WHERE state IN ('pending', 'sending')
               AND (?1 IS NULL OR run_id = ?1)",
            [run],
            |r| r.get(0),
        )?)
    }
}
