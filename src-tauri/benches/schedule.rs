//! The schedule's speed budget (shared DESIGN.md): a 10,000-component,
//! 40,000-dependency release in under 5 ms in process. Also the other parts
//! of `flotilla analyze --plan big.json --json`: reading the plan file and
//! writing the JSON. Run: `cargo bench --no-default-features --bench schedule`.

use criterion::{criterion_group, criterion_main, Criterion};
use flotilla::plan::{parse_plan, validate, write_plan, Date};
use flotilla::schedule::{analyze, generate_plan, what_if};
use std::hint::black_box;
use std::time::Duration;

fn schedule(c: &mut Criterion) {
    let plan = generate_plan(10_000, 40_000, 20, 1);
    let release = &plan.releases[0];
    let calendar = plan.effective_calendar();
    let today = Date::ymd(2025, 3, 1);

    c.bench_function("analyze 10k components, 40k dependencies", |b| {
        b.iter(|| analyze(&calendar, black_box(release), today).unwrap())
    });
    // The same, timed by this thread's CPU time: on a shared machine the wall
    // clock also counts the time other processes held the CPU.
    if thread_cpu_ns().is_some() {
        c.bench_function(
            "analyze 10k components, 40k dependencies (thread CPU time)",
            |b| {
                b.iter_custom(|iters| {
                    let start = thread_cpu_ns().unwrap_or(0);
                    for _ in 0..iters {
                        black_box(analyze(&calendar, black_box(release), today).unwrap());
                    }
                    Duration::from_nanos(thread_cpu_ns().unwrap_or(0).saturating_sub(start))
                })
            },
        );
    }
    let slip = vec![(release.components[0].key.clone(), 5)];
    c.bench_function("what-if one slip, 10k/40k", |b| {
        b.iter(|| what_if(&calendar, black_box(release), today, &slip).unwrap())
    });

    let analysis = analyze(&calendar, release, today).unwrap();
    c.bench_function("analysis to pretty JSON, 10k/40k", |b| {
        b.iter(|| serde_json::to_string_pretty(black_box(&analysis)).unwrap())
    });

    let text = write_plan(&plan);
    let mut slow = c.benchmark_group("plan file");
    slow.sample_size(20);
    slow.bench_function("parse and validate the 10k/40k plan file", |b| {
        b.iter(|| parse_plan(black_box(&text)).unwrap())
    });
    // The two halves of that, apart.
    slow.bench_function("validate the 10k/40k plan (no parsing)", |b| {
        b.iter(|| assert!(validate(black_box(&plan)).is_empty()))
    });
    slow.bench_function("deserialize the 10k/40k plan file (no validation)", |b| {
        b.iter(|| serde_json::from_str::<flotilla::plan::Plan>(black_box(&text)).unwrap())
    });
    slow.finish();
}

/// CPU time this thread has run, in nanoseconds (Linux: the first field of
/// `/proc/thread-self/schedstat`); `None` elsewhere.
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

criterion_group!(benches, schedule);
criterion_main!(benches);
