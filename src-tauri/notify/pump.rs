//! The sending loop: claims due messages of the outbox one at a time, sends
//! each, and records the outcome (with the run's audit record of it).
//!
//! A message that failed in a way worth retrying waits 5 s, then 10 s, 20 s
//! … (at most 15 minutes, or what the service's `Retry-After` asked for, at
//! most an hour) and is given up after [`MAX_ATTEMPTS`] tries. Messages of
//! one channel go out in the order they were queued: one waiting for its
//! retry holds back the later ones of its channel, so that "rollback
//! finished" never arrives before "rolling back".

use super::send::{send, shown_target, SendFailure};
use crate::error::{Error, Result};
use crate::plan::Channel;
use crate::store::{AuditEntry, OutboxMessage, Outcome, Store};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tracing::Instrument;

/// Tries before a message is given up (about 85 minutes of backoff).
pub const MAX_ATTEMPTS: u32 = 10;
/// Added to a claim's lease beyond the send's own time limit.
const LEASE_MARGIN: Duration = Duration::from_secs(10);
/// How often a following pump looks for new messages.
const POLL: Duration = Duration::from_millis(250);

/// How long a claim of `m` holds: longer than its send can take (the
/// channel's timeout, twice for mail, whose time limit is per SMTP command
/// group), so that a message is taken over only when its sender is gone.
pub fn lease(m: &OutboxMessage) -> chrono::Duration {
    let timeout = m
        .target
        .get("timeout_s")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(u64::from(super::send::DEFAULT_TIMEOUT_S));
    let secs = if m.kind == crate::plan::ChannelKind::Email.as_str() {
        2 * timeout
    } else {
        timeout
    };
    chrono::Duration::seconds(secs as i64)
        + chrono::Duration::from_std(LEASE_MARGIN).unwrap_or_default()
}

/// What to pump.
#[derive(Debug, Clone)]
pub struct PumpOptions {
    /// The workspace.
    pub db: PathBuf,
    /// Who sends, for the audit trail.
    pub actor: String,
    /// Only the messages of this run.
    pub run: Option<String>,
    /// Keep looking for new messages until this is set (a run's sender);
    /// `None`: only what is queued now.
    pub follow: Option<Arc<AtomicBool>>,
    /// Once not following (or from the start, when not following), wait this
    /// long at most for retries to come due; zero: stop as soon as nothing is
    /// due.
    pub linger: Duration,
}

/// What a pump did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct PumpReport {
    pub sent: usize,
    /// Sends that failed and wait for another try.
    pub retried: usize,
    /// Messages refused for good (or given up).
    pub failed: usize,
    /// Messages still unsent when the pump stopped.
    pub unsent: usize,
}

type Shared = Arc<Mutex<Store>>;

/// Runs `f` on the store off the async threads.
async fn with_store<T: Send + 'static>(
    store: &Shared,
    f: impl FnOnce(&mut Store) -> Result<T> + Send + 'static,
) -> Result<T> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || {
        let mut s = store.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut s)
    })
    .await
    .map_err(|e| Error::Run(format!("the outbox sender stopped: {e}")))?
}

fn stamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The wait before try `attempts + 1`.
pub fn backoff(attempts: u32, retry_after: Option<Duration>) -> Duration {
    if let Some(r) = retry_after {
        return r.min(Duration::from_secs(3600));
    }
    let exp = attempts.saturating_sub(1).min(16);
    Duration::from_secs(5u64 << exp).min(Duration::from_secs(15 * 60))
}

fn outcome(m: &OutboxMessage, r: &std::result::Result<(), SendFailure>) -> Outcome {
    match r {
        Ok(()) => Outcome::Sent,
        Err(f) if f.retry && m.attempts < MAX_ATTEMPTS => {
            let wait = backoff(m.attempts, f.retry_after);
            let next = chrono::Utc::now()
                + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::seconds(5));
            Outcome::Retry {
                error: f.message.clone(),
                next_at: stamp(next),
            }
        }
        Err(f) if f.retry => Outcome::Failed {
            error: format!("given up after {} tries: {}", m.attempts, f.message),
        },
        Err(f) => Outcome::Failed {
            error: f.message.clone(),
        },
    }
}

fn audit_entry(
    m: &OutboxMessage,
    o: &Outcome,
    r: &std::result::Result<(), SendFailure>,
    ms: i64,
) -> AuditEntry {
    let ch: Option<Channel> = serde_json::from_value(m.target.clone()).ok();
    let email = m.kind == "email";
    let what = format!(
        "{} to {} via {} (try {})",
        m.event, m.audience, m.channel, m.attempts
    );
    AuditEntry {
        step: None,
        kind: "message",
        method: if email { "SMTP" } else { "POST" }.into(),
        url: ch.as_ref().map(shown_target).unwrap_or_default(),
        status: r.as_ref().err().and_then(|f| f.status),
        duration_ms: ms,
        note: Some(match o {
            Outcome::Sent => format!("{what}: sent"),
            Outcome::Retry { error, next_at } => format!("{what}: {error}; next try at {next_at}"),
            Outcome::Failed { error } => format!("{what}: failed: {error}"),
        }),
    }
}

/// Sends what is due, as `opts` says, and reports what it did.
pub async fn pump(opts: PumpOptions) -> Result<PumpReport> {
    let store: Shared = {
        let db = opts.db.clone();
        let s = tokio::task::spawn_blocking(move || Store::open(&db))
            .await
            .map_err(|e| Error::Run(format!("the outbox sender stopped: {e}")))??;
        Arc::new(Mutex::new(s))
    };
    // The TLS provider, as the run's own client has it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| Error::Run(format!("cannot start the HTTP client: {e}")))?;
    let mut report = PumpReport::default();
    let following = || {
        opts.follow
            .as_ref()
            .is_some_and(|f| !f.load(Ordering::SeqCst))
    };
    // Set when following stops.
    let mut deadline: Option<Instant> = None;
    loop {
        let now = chrono::Utc::now();
        let at = stamp(now);
        let run = opts.run.clone();
        let claimed = with_store(&store, move |s| {
            s.claim_message(&at, run.as_deref(), |m| stamp(now + lease(m)))
        })
        .await?;
        if let Some(m) = claimed {
            let span =
                tracing::info_span!("message", id = m.id, event = %m.event, channel = %m.channel);
            let started = Instant::now();
            let r = send(&client, &m).instrument(span.clone()).await;
            let _g = span.enter();
            let ms = started.elapsed().as_millis() as i64;
            let o = outcome(&m, &r);
            match &o {
                Outcome::Sent => {
                    tracing::info!(ms, "sent");
                    report.sent += 1;
                }
                Outcome::Retry { error, next_at } => {
                    tracing::warn!(%error, %next_at, "send failed; will retry");
                    report.retried += 1;
                }
                Outcome::Failed { error } => {
                    tracing::warn!(%error, "send refused");
                    report.failed += 1;
                }
            }
            drop(_g);
            let entry = audit_entry(&m, &o, &r, ms);
            let actor = opts.actor.clone();
            with_store(&store, move |s| s.record_send(&m, &o, &actor, Some(entry))).await?;
            continue;
        }
        // Nothing due now.
        if following() {
            tokio::time::sleep(POLL).await;
            continue;
        }
        let deadline = *deadline.get_or_insert_with(|| Instant::now() + opts.linger);
        let run = opts.run.clone();
        let next = with_store(&store, move |s| s.next_message_at(run.as_deref())).await?;
        let wait = next
            .and_then(|n| chrono::DateTime::parse_from_rfc3339(&n).ok())
            .map(|n| {
                (n.with_timezone(&chrono::Utc) - chrono::Utc::now())
                    .to_std()
                    .unwrap_or_default()
            });
        match wait {
            Some(w) if Instant::now() + w <= deadline => {
                tokio::time::sleep(w.max(Duration::from_millis(20))).await;
            }
            _ => break,
        }
    }
    let run = opts.run.clone();
    report.unsent = with_store(&store, move |s| s.unsent_messages(run.as_deref())).await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_a_cap_and_honours_retry_after() {
        assert_eq!(backoff(1, None), Duration::from_secs(5));
        assert_eq!(backoff(2, None), Duration::from_secs(10));
        assert_eq!(backoff(4, None), Duration::from_secs(40));
        assert_eq!(backoff(9, None), Duration::from_secs(900));
        assert_eq!(backoff(40, None), Duration::from_secs(900));
        assert_eq!(
            backoff(1, Some(Duration::from_secs(30))),
            Duration::from_secs(30)
        );
        assert_eq!(
            backoff(1, Some(Duration::from_secs(86_400))),
            Duration::from_secs(3600)
        );
    }
}
