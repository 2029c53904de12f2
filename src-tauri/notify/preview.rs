//! Before a run: who the communication plan tells of which event on which
//! channel, and the first message as it would read now. The dry run prints
//! this; the app's runbook view shows it.

use super::draft::{draft, Facts};
use super::send::shown_target;
use crate::plan::NotifyEvent;
use crate::runbook::Runbook;
use serde::Serialize;

/// One audience told of one event on one channel.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Told {
    pub event: NotifyEvent,
    pub audience: String,
    pub channel: String,
    pub kind: crate::plan::ChannelKind,
    /// Where it goes, secrets as their references (`<env:NAME>`).
    pub target: String,
}

/// A drafted message as it would read.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Preview {
    pub event: NotifyEvent,
    pub subject: String,
    pub body: String,
}

/// Every (event, audience, channel) of the runbook's communication plan, in
/// the order of the events; empty without a plan.
pub fn who_is_told(rb: &Runbook) -> Vec<Told> {
    let Some(comms) = &rb.comms else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for event in NotifyEvent::ALL {
        for a in comms.audiences.iter().filter(|a| a.events.contains(&event)) {
            for key in &a.channels {
                if let Some(ch) = comms.channels.get(key) {
                    out.push(Told {
                        event,
                        audience: a.name.clone(),
                        channel: key.clone(),
                        kind: ch.kind,
                        target: shown_target(ch),
                    });
                }
            }
        }
    }
    out
}

/// The `run_started` message as it would read if the run started `now`
/// (`run_id` and `actor` as given), if anyone is told of it.
pub fn run_started(
    rb: &Runbook,
    run_id: &str,
    actor: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Preview> {
    let facts = Facts {
        run_id: run_id.into(),
        actor: actor.into(),
        remaining: rb.steps().map(|s| s.id.clone()).collect(),
        now,
        ..Facts::default()
    };
    draft(rb, NotifyEvent::RunStarted, &facts)
        .into_iter()
        .next()
        .map(|m| Preview {
            event: NotifyEvent::RunStarted,
            subject: m.subject,
            body: m.body,
        })
}
