//! Telling people: the messages of a release's communication plan, drafted
//! from a run as it happens, queued in the workspace's outbox, and sent to
//! Slack, Microsoft Teams and Mattermost incoming webhooks, a generic
//! webhook, or mail over SMTP. docs/notifications.md says how.
//!
//! How it works: [`draft`] turns a run event and what the run knows (steps
//! done, what remains, the expected end from the steps' `expected_minutes`)
//! into one [`Queued`] message per audience and channel, keyed so that a
//! second draft of the same message (a resumed run) is a no-op. The run
//! journal commits them with the record of the event. [`pump`] claims due
//! messages one by one, in order per channel, sends them ([`send`]: the
//! service's own message shape, secrets resolved at send time and masked in
//! every error), and records the outcome with the run's audit record: sent,
//! retried later with backoff (network, 408, 429, 5xx), or failed for good
//! (any other refusal).
//!
//! Owns: message wording and payload shapes, the sending loop. Must not
//! touch: the run's state (it only reads the runbook and what the run tells
//! it), SQL (the store owns the outbox table).

mod draft;
mod payload;
mod preview;
mod pump;
mod send;

pub use draft::{draft, Facts};
pub use payload::http_body;
pub use preview::{run_started, who_is_told, Preview, Told};
pub use pump::{pump, PumpOptions, PumpReport};
pub use send::{send, shown_target, SendFailure};

pub use crate::store::{OutboxMessage, Queued};
