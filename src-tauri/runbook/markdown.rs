//! The runbook for people, as Markdown in the seeds' "release day runbook"
//! shape: pre-flight, deployment order with times, verification steps,
//! rollback triggers, contacts. Also the plain-text descriptions of each step
//! that the HTML export shares.

use super::model::{contact_line, Runbook, Step, StepAction};
use crate::plan::{Contacts, EndpointKind, RollbackTrigger};
use std::fmt::Write as _;

/// What a step does, in words.
pub(crate) struct StepText {
    pub trigger: String,
    pub status: String,
    pub verify: Vec<String>,
    pub rollback: String,
}

/// The URL a call to `endpoint` at `path` goes to, joined as the executor joins it.
fn url(rb: &Runbook, endpoint: &str, path: &str) -> String {
    match rb.endpoints.get(endpoint) {
        Some(e) => e.url(path),
        None => format!("{endpoint}:{path}"),
    }
}

pub(crate) fn describe(rb: &Runbook, step: &Step) -> StepText {
    let Some(d) = &step.deploy else {
        let what = match step.action {
            StepAction::Released => "already released: nothing to deploy",
            StepAction::Manual | StepAction::Deploy => {
                "manual: deployed by the team (no deploy endpoint)"
            }
        };
        return StepText {
            trigger: what.to_string(),
            status: String::new(),
            verify: Vec::new(),
            rollback: String::new(),
        };
    };
    let ep = rb.endpoints.get(&d.endpoint);
    // An endpoint missing from the runbook is described by its calls, as a webhook's.
    let kind = ep.map(|e| e.kind);
    // The poll's timing: the same values the executor uses (plan::Deploy).
    let timing = format!(
        "every {} s, timeout {} s",
        d.poll_interval_s(),
        d.poll_timeout_s()
    );
    let cancel = "on a timeout or an abort it is cancelled";
    let (trigger, status) = match kind {
        Some(EndpointKind::GithubActions) => (
            format!(
                "GitHub Actions: dispatch workflow `{}` on `{}` of {}",
                d.workflow.as_deref().unwrap_or("?"),
                d.git_ref.as_deref().unwrap_or("main"),
                ep.and_then(|e| e.repo.as_deref()).unwrap_or("?")
            ),
            format!(
                "poll the workflow run ({timing}) until it completes; success when its conclusion is `success`; {cancel}"
            ),
        ),
        Some(EndpointKind::Gitlab) => (
            format!(
                "GitLab: {} a pipeline on `{}` of project {}",
                if ep.is_some_and(|e| e.trigger_token.is_some()) {
                    "trigger (trigger token)"
                } else {
                    "create (pipeline API)"
                },
                d.git_ref.as_deref().unwrap_or("?"),
                ep.and_then(|e| e.project_id.as_deref()).unwrap_or("?")
            ),
            format!(
                "poll the pipeline ({timing}) until its status is `success` (failed, canceled, skipped: failure; manual: waits for someone to start it); {cancel}"
            ),
        ),
        Some(EndpointKind::Jenkins) => (
            format!(
                "Jenkins: build job `{}`{}",
                d.job
                    .as_deref()
                    .or(ep.and_then(|e| e.job.as_deref()))
                    .unwrap_or("?"),
                if d.parameters.as_ref().is_some_and(|p| !p.is_empty()) {
                    " with parameters"
                } else {
                    ""
                }
            ),
            format!(
                "follow the queue item to its build ({timing}); success when the build's result is `SUCCESS`; {cancel} (queue item or build)"
            ),
        ),
        Some(EndpointKind::Argocd) => (
            format!(
                "Argo CD: sync application `{}`{}",
                d.app
                    .as_deref()
                    .or(ep.and_then(|e| e.app.as_deref()))
                    .unwrap_or("?"),
                d.revision
                    .as_deref()
                    .map(|r| format!(" to revision `{r}`"))
                    .unwrap_or_default()
            ),
            format!(
                "poll the application ({timing}) until the sync operation has finished `Succeeded`, the application is reconciled after it, `Synced` and `Healthy`; {cancel} (operation terminated)"
            ),
        ),
        Some(EndpointKind::Prometheus) => (
            format!(
                "cannot deploy: endpoint `{}` is Prometheus, which only answers metric queries",
                d.endpoint
            ),
            String::new(),
        ),
        Some(EndpointKind::Webhook) | None => (
            match &d.trigger {
                Some(t) => format!("{} {}", t.method.as_str(), url(rb, &d.endpoint, &t.path)),
                None => "no trigger".to_string(),
            },
            match &d.status {
                Some(s) => format!(
                    "GET {} until `{}` is {}{} ({timing})",
                    url(rb, &d.endpoint, &s.path),
                    s.field,
                    s.success.join(" or "),
                    if s.failure.is_empty() {
                        String::new()
                    } else {
                        format!("; failed on {}", s.failure.join(" or "))
                    },
                ),
                None => "done when the trigger is accepted".to_string(),
            },
        ),
    };
    let verify = d
        .verify
        .iter()
        .map(|v| {
            let name = v.endpoint_or(&d.endpoint);
            format!(
                "GET {} expects {} (timeout {} s)",
                url(rb, name, &v.path),
                v.expect_status(),
                v.timeout_s(rb.endpoints.get(name))
            )
        })
        .collect();
    let rollback = match (&d.rollback, kind) {
        (Some(r), _) => format!("{} {}", r.method.as_str(), url(rb, &d.endpoint, &r.path)),
        (None, Some(EndpointKind::Argocd)) => {
            "Argo CD rollback to the previous deployed revision".to_string()
        }
        (
            None,
            Some(
                EndpointKind::Webhook
                | EndpointKind::GithubActions
                | EndpointKind::Gitlab
                | EndpointKind::Jenkins
                | EndpointKind::Prometheus,
            )
            | None,
        ) => format!("manual: call {}", step.who_to_call()),
    };
    StepText {
        trigger,
        status,
        verify,
        rollback,
    }
}

/// A rollback trigger, in words (`Error rate ... above 0.05 for 10 min`).
pub(crate) fn trigger_text(rb: &Runbook, t: &RollbackTrigger) -> String {
    match t {
        RollbackTrigger::Metric {
            endpoint,
            query,
            above,
            below,
            for_s,
            no_data,
        } => {
            let mut s = format!("`{query}`");
            if let Some(a) = above {
                let _ = write!(s, " above {a}");
            }
            if let Some(b) = below {
                let _ = write!(s, " below {b}");
            }
            let secs = for_s.unwrap_or(0);
            if secs >= 60 && secs % 60 == 0 {
                let _ = write!(s, " for {} min", secs / 60);
            } else if secs > 0 {
                let _ = write!(s, " for {secs} s");
            }
            let base = rb
                .endpoints
                .get(endpoint)
                .map(|e| e.base_url.as_str())
                .unwrap_or(endpoint);
            let _ = write!(s, " (Prometheus `{endpoint}` at {base})");
            s.push_str(match no_data.unwrap_or_default() {
                crate::plan::NoData::Ignore => "; no data (an empty result, NaN) is not a breach",
                crate::plan::NoData::Breach => {
                    "; no data (an empty result, NaN) counts as a breach"
                }
            });
            s
        }
        RollbackTrigger::VerifyFailed { text } => match text {
            Some(t) => format!("{t} (a deployment or a verification check fails)"),
            None => "A deployment or a verification check fails".to_string(),
        },
        RollbackTrigger::Manual { text } => match text {
            Some(t) => format!("{t} (manual abort)"),
            None => "Manual abort".to_string(),
        },
    }
}

pub(crate) fn contacts_text(c: &Contacts) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &c.primary {
        parts.push(format!("{} (primary)", contact_line(p)));
    }
    if let Some(b) = &c.backup {
        parts.push(format!("{} (backup)", contact_line(b)));
    }
    if parts.is_empty() {
        "no contacts on file".to_string()
    } else {
        parts.join(", ")
    }
}

fn at(step: &Step) -> String {
    step.at.clone().unwrap_or_else(|| "--:--".to_string())
}

/// The runbook as Markdown.
pub fn runbook_markdown(rb: &Runbook) -> String {
    let mut out = String::new();
    let w = &mut out;
    let r = &rb.release;
    let _ = writeln!(w, "# {} Runbook\n", r.name);
    let _ = writeln!(
        w,
        "Release `{}`, release date {}, deploy day {} ({}){}.\n",
        r.key,
        r.release_date,
        r.deploy_date,
        r.deploy_date.weekday(),
        r.strategy
            .map(|s| format!(", strategy {}", s.as_str()))
            .unwrap_or_default()
    );
    let _ = writeln!(w, "Runbook digest: `{}`\n", rb.digest);

    let _ = writeln!(w, "## Pre-flight\n");
    if rb.preflight_open() == 0 {
        let _ = writeln!(w, "All gate items and milestones are done.\n");
    } else {
        for i in &rb.preflight.checklist {
            let _ = write!(w, "- [ ] {}", i.text);
            let mut extra = Vec::new();
            if let Some(o) = &i.owner {
                extra.push(format!("owner {o}"));
            }
            if let Some(d) = i.due {
                extra.push(format!("due {d}"));
            }
            if !extra.is_empty() {
                let _ = write!(w, " ({})", extra.join(", "));
            }
            let _ = writeln!(w);
        }
        for m in &rb.preflight.milestones {
            let _ = write!(w, "- [ ] Milestone {} (due {})", m.name, m.due);
            if !m.open_scenarios.is_empty() {
                let _ = write!(w, ": open scenarios: {}", m.open_scenarios.join("; "));
            }
            if !m.open_components.is_empty() {
                let _ = write!(w, ": components not done: {}", m.open_components.join(", "));
            }
            let _ = writeln!(w);
        }
        let _ = writeln!(w);
    }

    let _ = writeln!(w, "## Deployment Order\n");
    let mut n = 0;
    for wave in &rb.waves {
        let _ = writeln!(w, "### Wave {}\n", wave.number);
        for s in &wave.steps {
            n += 1;
            let text = describe(rb, s);
            let _ = writeln!(
                w,
                "{n}. **{}** `{}` ({}) - {}",
                s.title,
                s.id,
                s.team_name,
                at(s)
            );
            let _ = writeln!(w, "   - Trigger: {}", text.trigger);
            if !text.status.is_empty() {
                let _ = writeln!(w, "   - Status: {}", text.status);
            }
            for v in &text.verify {
                let _ = writeln!(w, "   - Verify: {v}");
            }
            if !text.rollback.is_empty() {
                let _ = writeln!(w, "   - Rollback: {}", text.rollback);
            }
            let _ = writeln!(w, "   - Contacts: {}", contacts_text(&s.contacts));
        }
        let _ = writeln!(w);
    }

    let _ = writeln!(w, "## Verification Steps\n");
    let _ = writeln!(w, "After each component:\n");
    for s in rb.steps() {
        let text = describe(rb, s);
        if text.verify.is_empty() {
            continue;
        }
        let _ = writeln!(w, "- {} (`{}`): {}", s.title, s.id, text.verify.join("; "));
    }
    let _ = writeln!(w);

    let _ = writeln!(w, "## Rollback Triggers\n");
    if rb.rollback_triggers.is_empty() {
        let _ = writeln!(w, "- Manual abort only");
    }
    for t in &rb.rollback_triggers {
        let _ = writeln!(w, "- {}", trigger_text(rb, t));
    }
    let _ = writeln!(
        w,
        "\nOn a trigger: no new step starts; every triggered step is rolled back in reverse order of completion.\n"
    );

    let _ = writeln!(w, "## Contacts\n");
    for t in &rb.contacts {
        let _ = writeln!(w, "- {}: {}", t.name, contacts_text(&t.contacts));
    }
    if let Some(expected) = expected_text(rb) {
        let _ = writeln!(w, "\n## Communication\n\n{expected}\n");
        for [who, events, channels] in comms_rows(rb) {
            let _ = writeln!(w, "- {who}: told of {events}, on {channels}");
        }
    }
    out
}

/// How long the run is expected to take, for the Communication section; none
/// without a communication plan.
pub(crate) fn expected_text(rb: &Runbook) -> Option<String> {
    rb.comms.as_ref()?;
    let (m, unknown) = rb.expected_minutes(|_| true);
    Some(match unknown {
        0 => format!("Expected duration: about {m} minutes (each wave's slowest step)."),
        n => format!(
            "Expected duration: at least {m} minutes; {n} step(s) have no expected_minutes."
        ),
    })
}

/// The communication plan, one row per audience: who (with its team), the
/// events it is told of, and its channels (kind; mail's recipients). Channel
/// URLs are left out: a chat webhook's URL is its credential.
pub(crate) fn comms_rows(rb: &Runbook) -> Vec<[String; 3]> {
    let Some(c) = &rb.comms else {
        return Vec::new();
    };
    c.audiences
        .iter()
        .map(|a| {
            let who = match &a.team {
                Some(t) => format!("{} (team {t})", a.name),
                None => a.name.clone(),
            };
            let events: Vec<String> = a
                .events
                .iter()
                .map(|e| e.as_str().replace('_', " "))
                .collect();
            let channels: Vec<String> = a
                .channels
                .iter()
                .map(|k| match c.channels.get(k) {
                    Some(ch) if !ch.to.is_empty() => {
                        format!("{k} ({}, to {})", ch.kind.as_str(), ch.to.join(", "))
                    }
                    Some(ch) => format!("{k} ({})", ch.kind.as_str()),
                    None => k.clone(),
                })
                .collect();
            [who, events.join(", "), channels.join("; ")]
        })
        .collect()
}
