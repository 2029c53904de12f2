//! Drafting: a run event into the messages of the communication plan.

use crate::plan::{ChannelKind, Comms, NotifyEvent};
use crate::runbook::{Runbook, Step};
use crate::store::Queued;
use serde_json::Value;

/// What a run knows when an event happens.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub run_id: String,
    pub actor: String,
    /// The wave that is done (`wave_done`).
    pub wave: Option<u32>,
    /// The step that failed (`step_failed`).
    pub step: Option<String>,
    /// What failed, or why the run stopped.
    pub message: Option<String>,
    /// How the run or the rollback ended.
    pub state: Option<String>,
    pub done: usize,
    /// Steps not finished yet, by id.
    pub remaining: Vec<String>,
    /// Now, as the run's clock has it.
    pub now: chrono::DateTime<chrono::Utc>,
}

fn minutes_text((m, unknown): (u32, usize)) -> String {
    match unknown {
        0 => m.to_string(),
        n => format!("{m}+ ({n} step(s) without an estimate)"),
    }
}

/// The built-in wording: the first line is the subject, the rest the body.
fn builtin(e: NotifyEvent) -> &'static str {
    match e {
        NotifyEvent::RunStarted => "Deployment of {release_name} starting now\n\
            Deployment of {release_name} ({release}) is starting now: expect about {expected_minutes} minutes, until about {expected_end} UTC. \
            {total} step(s) in {waves} wave(s); run {run_id}, started by {actor}.",
        NotifyEvent::WaveDone => "{release_name}: wave {wave} of {waves} deployed\n\
            Wave {wave} of {waves} is deployed ({done} of {total} steps done). Still to come: {remaining}. Expected end: about {expected_end} UTC.",
        NotifyEvent::StepFailed => "{release_name}: {step} failed\n\
            The deployment of {step} ({team}) failed: {message}. Who to call: {contacts}. Run {run_id}.",
        NotifyEvent::RollbackStarted => "{release_name}: rolling back\n\
            The release is being rolled back: {message}. What was deployed is undone in reverse order; another message follows when it is done.",
        NotifyEvent::RollbackFinished => "{release_name}: rollback finished: {state}\n\
            The rollback of {release_name} ended: {state}. {message}",
        NotifyEvent::RunFinished => "{release_name}: deployment {state}\n\
            The deployment of {release_name} ended: {state} ({done} of {total} steps finished). Run {run_id}.",
    }
}

/// Fills `{name}` placeholders; an unknown one is left as written (the plan's
/// validation refuses those before a runbook exists).
fn fill(template: &str, value: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match value(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The messages `event` calls for: one per audience told of it and channel
/// of that audience. Empty when the runbook has no communication plan.
pub fn draft(rb: &Runbook, event: NotifyEvent, f: &Facts) -> Vec<Queued> {
    let Some(comms) = &rb.comms else {
        return Vec::new();
    };
    let step = f.step.as_deref().and_then(|id| rb.step(id));
    let remaining_steps = |s: &Step| f.remaining.contains(&s.id);
    let left = rb.expected_minutes(remaining_steps);
    let end = f.now + chrono::Duration::minutes(i64::from(left.0));
    let remaining = if f.remaining.is_empty() {
        "nothing".to_string()
    } else {
        f.remaining.join(", ")
    };
    let value = |name: &str| -> Option<String> {
        Some(match name {
            "release" => rb.release.key.clone(),
            "release_name" => rb.release.name.clone(),
            "run_id" => f.run_id.clone(),
            "actor" => f.actor.clone(),
            "expected_minutes" => minutes_text(rb.expected_minutes(|_| true)),
            "expected_end" => end.format("%H:%M").to_string(),
            "wave" => f.wave.map(|w| w.to_string()).unwrap_or_default(),
            "waves" => rb.waves.len().to_string(),
            "step" => f.step.clone().unwrap_or_default(),
            "team" => step.map(|s| s.team_name.clone()).unwrap_or_default(),
            "contacts" => step.map(Step::who_to_call).unwrap_or_default(),
            "message" => f.message.clone().unwrap_or_default(),
            "done" => f.done.to_string(),
            "total" => rb.steps().count().to_string(),
            "remaining" => remaining.clone(),
            "state" => f.state.clone().unwrap_or_default(),
            _ => return None,
        })
    };
    let text = fill(comms.templates.get(event).unwrap_or(builtin(event)), &value);
    let (subject, body) = match text.split_once('\n') {
        Some((s, b)) => (s.trim().to_string(), b.trim().to_string()),
        None => (text.trim().to_string(), text.trim().to_string()),
    };
    let disc = match event {
        NotifyEvent::WaveDone => f.wave.map(|w| w.to_string()).unwrap_or_default(),
        NotifyEvent::StepFailed => f.step.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let mut out = Vec::new();
    for a in comms.audiences.iter().filter(|a| a.events.contains(&event)) {
        for ch_key in &a.channels {
            let Some(ch) = comms.channels.get(ch_key) else {
                continue;
            };
            out.push(Queued {
                key: format!(
                    "{}/{}/{}/{}/{}",
                    f.run_id,
                    event.as_str(),
                    disc,
                    a.key,
                    ch_key
                ),
                run_id: Some(f.run_id.clone()),
                release_key: rb.release.key.clone(),
                event: event.as_str().to_string(),
                audience: a.key.clone(),
                channel: ch_key.clone(),
                kind: ch.kind.as_str().to_string(),
                target: target(rb, comms, ch_key, a.team.as_deref()),
                subject: subject.clone(),
                body: body.clone(),
            });
        }
    }
    out
}

/// The channel as the plan has it (secret references only), with an email
/// channel's recipients resolved: its `to` and the team's contacts.
fn target(rb: &Runbook, comms: &Comms, key: &str, team: Option<&str>) -> Value {
    let ch = &comms.channels[key];
    let mut v = serde_json::to_value(ch).unwrap_or(Value::Null);
    if ch.kind == ChannelKind::Email {
        let mut to = ch.to.clone();
        if let Some(t) = team.and_then(|t| rb.contacts.iter().find(|c| c.team == t)) {
            for c in [&t.contacts.primary, &t.contacts.backup]
                .into_iter()
                .flatten()
            {
                if let Some(e) = &c.email {
                    if !to.contains(e) {
                        to.push(e.clone());
                    }
                }
            }
        }
        v["to"] = Value::from(to);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_known_names_and_keeps_the_rest() {
        let v = |n: &str| (n == "a").then(|| "1".to_string());
        assert_eq!(fill("x{a}y{b}z{", &v), "x1y{b}z{");
    }
}
