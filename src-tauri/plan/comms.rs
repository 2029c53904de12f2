//! A release's communication plan: the channels messages go out on, the
//! audiences that hear about which run events, and the wording of each
//! message. docs/notifications.md describes the fields; `crate::notify`
//! drafts and sends the messages.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Who is told what while the release's runbook runs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Comms {
    /// Where messages go, by key.
    pub channels: IndexMap<String, Channel>,
    /// Who hears about which events, through which channels.
    pub audiences: Vec<Audience>,
    /// The wording of each event's message, replacing the built-in one.
    #[serde(default, skip_serializing_if = "Templates::is_empty")]
    pub templates: Templates,
}

/// The kinds of channel a message can go out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// A Slack incoming webhook.
    Slack,
    /// A Microsoft Teams incoming webhook (a Workflows "post to a channel
    /// when a webhook request is received" URL): an Adaptive Card.
    Teams,
    /// A Mattermost incoming webhook.
    Mattermost,
    /// Any URL that takes a JSON POST (Flotilla's own message shape).
    Webhook,
    /// Mail over SMTP.
    Email,
}

impl ChannelKind {
    /// Every kind, in the order of the docs.
    pub const ALL: [ChannelKind; 5] = [
        ChannelKind::Slack,
        ChannelKind::Teams,
        ChannelKind::Mattermost,
        ChannelKind::Webhook,
        ChannelKind::Email,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Slack => "slack",
            ChannelKind::Teams => "teams",
            ChannelKind::Mattermost => "mattermost",
            ChannelKind::Webhook => "webhook",
            ChannelKind::Email => "email",
        }
    }

    /// Does a message go out as an HTTP POST of JSON (every kind but email)?
    pub fn is_http(self) -> bool {
        match self {
            ChannelKind::Slack
            | ChannelKind::Teams
            | ChannelKind::Mattermost
            | ChannelKind::Webhook => true,
            ChannelKind::Email => false,
        }
    }
}

/// How an SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only to a loopback host (a local relay).
    None,
}

/// One channel. HTTP kinds take `url` or `url_secret` (a Slack, Teams or
/// Mattermost webhook URL is itself a credential: keep it as a secret
/// reference); `email` takes the `smtp_*` fields, `from` and `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    pub kind: ChannelKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Where the URL is kept: `env:NAME` or `keyring:NAME`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^(env|keyring):[A-Za-z0-9_./-]{1,128}$"))]
    pub url_secret: Option<String>,
    /// Allow plain `http` to a host that is not loopback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_http: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_host: Option<String>,
    /// Default 587 (`starttls`), 465 (`tls`) or 25 (`none`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_tls: Option<SmtpTls>,
    /// The SMTP user; with it, `smtp_password` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp_user: Option<String>,
    /// Where the SMTP password is kept: `env:NAME` or `keyring:NAME`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^(env|keyring):[A-Za-z0-9_./-]{1,128}$"))]
    pub smtp_password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Recipients of every message on this channel (an audience's team adds
    /// its contacts' addresses).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    /// Seconds before a send is given up and retried later (default 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_s: Option<u32>,
}

/// The run events a message can report.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum NotifyEvent {
    /// The run started (not on a resume).
    RunStarted,
    /// Every step of a wave succeeded.
    WaveDone,
    /// A step failed (deploy, poll or verification).
    StepFailed,
    /// The run began to roll back.
    RollbackStarted,
    /// The rollback ended (every step rolled back, or some need a person).
    RollbackFinished,
    /// The run ended, whatever the outcome.
    RunFinished,
}

impl NotifyEvent {
    pub const ALL: [NotifyEvent; 6] = [
        NotifyEvent::RunStarted,
        NotifyEvent::WaveDone,
        NotifyEvent::StepFailed,
        NotifyEvent::RollbackStarted,
        NotifyEvent::RollbackFinished,
        NotifyEvent::RunFinished,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotifyEvent::RunStarted => "run_started",
            NotifyEvent::WaveDone => "wave_done",
            NotifyEvent::StepFailed => "step_failed",
            NotifyEvent::RollbackStarted => "rollback_started",
            NotifyEvent::RollbackFinished => "rollback_finished",
            NotifyEvent::RunFinished => "run_finished",
        }
    }

    pub fn from_name(s: &str) -> Option<NotifyEvent> {
        NotifyEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// One audience: who they are, where they read, what they want to hear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Audience {
    #[schemars(extend("pattern" = "^[a-z0-9][a-z0-9._-]{0,63}$"))]
    pub key: String,
    pub name: String,
    /// A team of the plan: its primary and backup contacts' addresses join
    /// the recipients of the audience's email channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Channel keys.
    pub channels: Vec<String>,
    /// The events this audience is told of.
    pub events: Vec<NotifyEvent>,
}

/// A template per event: text with `{placeholders}` (docs/notifications.md
/// lists them); an absent one takes the built-in wording.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Templates {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_started: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave_done: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_failed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback_started: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback_finished: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_finished: Option<String>,
}

impl Templates {
    pub fn is_empty(&self) -> bool {
        NotifyEvent::ALL.iter().all(|e| self.get(*e).is_none())
    }

    /// The release's own template for `e`, if it has one.
    pub fn get(&self, e: NotifyEvent) -> Option<&str> {
        match e {
            NotifyEvent::RunStarted => self.run_started.as_deref(),
            NotifyEvent::WaveDone => self.wave_done.as_deref(),
            NotifyEvent::StepFailed => self.step_failed.as_deref(),
            NotifyEvent::RollbackStarted => self.rollback_started.as_deref(),
            NotifyEvent::RollbackFinished => self.rollback_finished.as_deref(),
            NotifyEvent::RunFinished => self.run_finished.as_deref(),
        }
    }
}

/// The placeholders a template may use, and what each is filled with.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("release", "the release's key"),
    ("release_name", "the release's name"),
    ("run_id", "the run's id"),
    ("actor", "who started the run"),
    (
        "expected_minutes",
        "minutes the whole runbook is expected to take",
    ),
    (
        "expected_end",
        "when the run is expected to end (UTC, HH:MM), from what remains",
    ),
    ("wave", "the wave's number (wave_done)"),
    ("waves", "the number of waves"),
    ("step", "the step's component key (step_failed)"),
    ("team", "the step's team (step_failed)"),
    ("contacts", "who to call about the step (step_failed)"),
    (
        "message",
        "what failed (step_failed), or why the run stopped",
    ),
    ("done", "steps finished so far"),
    ("total", "steps in the runbook"),
    ("remaining", "the components not yet deployed"),
    ("state", "how the run or the rollback ended"),
];

/// The placeholders in `template`, in order, and the first unclosed `{`'s
/// byte offset if there is one.
pub fn placeholders(template: &str) -> Result<Vec<&str>, usize> {
    let mut out = Vec::new();
    let mut rest = template;
    let mut offset = 0;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(offset + open);
        };
        out.push(&after[..close]);
        offset += open + 1 + close + 1;
        rest = &after[close + 1..];
    }
    Ok(out)
}
