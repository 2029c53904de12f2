//! `flotilla run --dry-run`: every call a run would make, in order, with
//! secrets shown as `***`. Nothing is called and nothing is recorded.

use super::metric::{metric_triggers, query_request};
use super::providers::{self, Target};
use crate::notify;
use crate::runbook::{Runbook, StepAction};
use std::fmt::Write as _;

/// The run's id in a dry run, where the real one does not exist yet.
pub const DRY_RUN_ID: &str = "{run_id}";

/// The dry run as text: waves, each step's calls, the metric queries, and the
/// rollback calls in reverse deployment order.
pub fn dry_run_text(rb: &Runbook) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "Dry run of the {} runbook ({}): nothing is called; secrets are shown as ***.",
        rb.release.key, rb.digest
    );
    if rb.preflight_open() > 0 {
        let _ = writeln!(
            w,
            "Pre-flight: {} item(s) open; a real run needs --force to start.",
            rb.preflight_open()
        );
    }
    let mut rollbacks = Vec::new();
    for wave in &rb.waves {
        let _ = writeln!(
            w,
            "\nwave {} ({} steps at once)",
            wave.number,
            wave.steps.len()
        );
        for step in &wave.steps {
            let (Some(deploy), StepAction::Deploy) = (&step.deploy, step.action) else {
                let what = match step.action {
                    StepAction::Released => "already released: nothing to do".to_string(),
                    StepAction::Manual | StepAction::Deploy => {
                        format!("manual: deployed by hand ({})", step.who_to_call())
                    }
                };
                let _ = writeln!(w, "  {}  {what}", step.id);
                continue;
            };
            let Some(endpoint) = rb.endpoints.get(&deploy.endpoint) else {
                let _ = writeln!(w, "  {}  unknown endpoint {}", step.id, deploy.endpoint);
                continue;
            };
            let t = Target {
                step,
                deploy,
                endpoint,
                run_id: DRY_RUN_ID,
            };
            let (every, limit) = providers::timing(&t);
            for (what, req) in providers::planned(&t) {
                let extra = if what == "status" {
                    format!(
                        "  [polled every {} s, timeout {} s]",
                        every.as_secs(),
                        limit.as_secs()
                    )
                } else {
                    String::new()
                };
                let _ = writeln!(w, "  {}  {what:<8} {}{extra}", step.id, req.shown());
            }
            for v in &deploy.verify {
                if let Ok(req) = providers::verify_request(rb, &deploy.endpoint, v) {
                    let _ = writeln!(
                        w,
                        "  {}  verify   {}  [expects {}]",
                        step.id,
                        req.shown(),
                        v.expect_status()
                    );
                }
            }
            rollbacks.push(match providers::planned_rollback(&t) {
                Some(req) => format!("  {}  rollback {}", step.id, req.shown()),
                None => format!(
                    "  {}  rollback by hand: call {}",
                    step.id,
                    step.who_to_call()
                ),
            });
        }
    }
    let metrics = metric_triggers(&rb.rollback_triggers);
    if !metrics.is_empty() {
        let _ = writeln!(
            w,
            "\nmetric triggers, evaluated during the run and the watch window after it"
        );
        for t in &metrics {
            if let Some(req) = query_request(rb, t) {
                let bound = match (t.above, t.below) {
                    (Some(a), _) => format!("above {a}"),
                    (_, Some(b)) => format!("below {b}"),
                    _ => String::new(),
                };
                let _ = writeln!(
                    w,
                    "  metric   {}  [rolls back when {bound} for {} s]",
                    req.shown(),
                    t.for_s
                );
            }
        }
    }
    let _ = writeln!(
        w,
        "\non a rollback trigger, every triggered step in reverse order of completion (here: reverse deployment order)"
    );
    for line in rollbacks.iter().rev() {
        let _ = writeln!(w, "{line}");
    }
    messages(w, rb);
    out
}

/// Who the communication plan tells of what, and the first message in full.
fn messages(w: &mut String, rb: &Runbook) {
    if rb.comms.is_none() {
        return;
    }
    let _ = writeln!(
        w,
        "
messages (queued in the outbox, sent as the run goes)"
    );
    for t in notify::who_is_told(rb) {
        let _ = writeln!(
            w,
            "  {:<17} to {} via {} ({} {})",
            t.event.as_str(),
            t.audience,
            t.channel,
            t.kind.as_str(),
            t.target
        );
    }
    if let Some(m) = notify::run_started(rb, DRY_RUN_ID, "{actor}", chrono::Utc::now()) {
        let _ = writeln!(
            w,
            "
  run_started, as it would read now:"
        );
        let _ = writeln!(w, "    {}", m.subject);
        for line in m.body.lines() {
            let _ = writeln!(w, "    {line}");
        }
    }
}
