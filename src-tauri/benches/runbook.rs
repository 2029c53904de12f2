//! The executor's budget (shared DESIGN.md): a 1,000-step runbook against
//! local endpoints that answer at once finishes within 5% of the time its
//! slowest chain of waits takes; and the per-step overhead.
//!
//! The endpoint is the rehearsal target on 127.0.0.1: every call is answered
//! at once, and each status answers `running` once, then `succeeded`, so each
//! step waits exactly one poll interval (1 s). Ten waves of 100 steps make a
//! slowest chain of waits of 10 x 1 s = 10 s.
//! Run: `cargo bench --no-default-features --bench runbook`.

use flotilla::exec::{run_blocking, start_rehearsal_target, Abort, RunOptions};
use flotilla::plan::parse_plan;
use flotilla::runbook::{compile_plan, Runbook};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `waves` x `per_wave` components; each (after wave 1) depends on the one
/// `per_wave` before it. With `poll`, a status section polled every second.
fn runbook(base: &str, waves: usize, per_wave: usize, poll: bool) -> Runbook {
    let n = waves * per_wave;
    let components: Vec<Value> = (0..n)
        .map(|i| {
            let mut deploy = json!({
                "endpoint": "hook",
                "trigger": { "method": "POST", "path": format!("/deploy/c{i}"), "body": { "version": "1.0.0" } },
                "verify": [ { "path": format!("/health/c{i}"), "expect_status": 200 } ],
                "rollback": { "method": "POST", "path": format!("/rollback/c{i}") }
            });
            if poll {
                deploy["status"] = json!({ "path": format!("/deploy/c{i}/status"), "field": "state",
                    "success": ["succeeded"], "failure": ["failed"], "interval_s": 1, "timeout_s": 120 });
            }
            json!({ "key": format!("c{i}"), "title": format!("Component {i}"), "team": "ops",
                    "duration_days": 1, "deploy": deploy })
        })
        .collect();
    let deps: Vec<Value> = (per_wave..n)
        .map(|i| json!({ "from": format!("c{}", i - per_wave), "to": format!("c{i}") }))
        .collect();
    let plan = json!({
        "format": "flotilla.plan", "version": 1,
        "teams": [ { "key": "ops", "name": "Ops" } ],
        "endpoints": { "hook": { "kind": "webhook", "base_url": base,
                                 "auth": { "scheme": "bearer", "secret": "env:FLOTILLA_BENCH_TOKEN" } } },
        "releases": [ { "key": "bench", "name": "Bench", "start": "2025-01-06", "release_date": "2030-01-01",
                        "components": components, "dependencies": deps,
                        "rollback_triggers": [ { "kind": "verify_failed" } ] } ]
    });
    let plan = parse_plan(&plan.to_string()).expect("a valid plan");
    compile_plan(&plan, "bench").expect("a runbook")
}

/// One run's wall time.
fn time_run(rb: &Runbook, parallel: usize) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = RunOptions::new(dir.path().join("bench.db"));
    opts.max_parallel = parallel;
    opts.watch = Some(Duration::ZERO);
    let started = Instant::now();
    let report = run_blocking(rb.clone(), opts, Arc::new(|_| {}), Abort::new()).unwrap();
    let took = started.elapsed();
    assert_eq!(report.exit_code(), 0, "{:?}", report.run);
    took
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    // `cargo test --benches` runs this too: keep that short.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    std::env::set_var("FLOTILLA_BENCH_TOKEN", "bench-token-not-a-secret");
    let target = start_rehearsal_target("127.0.0.1:0", None, 1).unwrap();
    let base = format!("http://{}", target.deploy);

    // 1. The budget: 1,000 steps in 10 waves, each step waiting one 1 s poll.
    let rb = runbook(&base, 10, 100, true);
    let chain = Duration::from_secs(10);
    let runs: Vec<Duration> = (0..3).map(|_| time_run(&rb, 100)).collect();
    let m = median(runs.clone());
    let over = m.saturating_sub(chain);
    println!("1,000 steps, 10 waves x 100, each waiting one 1 s poll (chain of waits 10.000 s)");
    for (i, r) in runs.iter().enumerate() {
        println!("  run {}: {:.3} s", i + 1, r.as_secs_f64());
    }
    println!(
        "  median {:.3} s: {:.2}% over the chain of waits (budget 5%); {:.3} ms overhead per step",
        m.as_secs_f64(),
        over.as_secs_f64() / chain.as_secs_f64() * 100.0,
        over.as_secs_f64() * 1000.0 / 1000.0
    );

    // 2. Per-step overhead with no waits: trigger, verify, four journal writes.
    let rb = runbook(&base, 10, 100, false);
    let t = median((0..3).map(|_| time_run(&rb, 100)).collect());
    println!(
        "1,000 steps with no waits, 100 at once: {:.3} s, {:.3} ms per step",
        t.as_secs_f64(),
        t.as_secs_f64()
    );
    let rb = runbook(&base, 1, 200, false);
    let t = median((0..3).map(|_| time_run(&rb, 1)).collect());
    println!(
        "200 steps with no waits, one at a time: {:.3} s, {:.3} ms per step (latency)",
        t.as_secs_f64(),
        t.as_secs_f64() * 1000.0 / 200.0
    );
}
