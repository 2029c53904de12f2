//! The workspace's speed budgets (shared DESIGN.md), on a 10,000-component,
//! 40,000-dependency release in a real SQLite file:
//! import under 1 s; open the workspace and schedule the release from it under
//! 150 ms; and one edit (an ETA) validated and saved.
//! Run: `cargo bench --no-default-features --bench store`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use flotilla::plan::Date;
use flotilla::schedule::{analyze, generate_plan};
use flotilla::store::{ComponentField, Edit, Store};
use std::hint::black_box;

fn store(c: &mut Criterion) {
    let plan = generate_plan(10_000, 40_000, 20, 1);
    let key = plan.releases[0].key.clone();
    let dir = tempfile::tempdir().unwrap();
    let today = Date::ymd(2025, 3, 1);

    let mut g = c.benchmark_group("workspace 10k/40k");
    g.sample_size(10);
    let mut n = 0;
    g.bench_function("import into a new workspace file", |b| {
        b.iter_batched(
            || {
                n += 1;
                let path = dir.path().join(format!("import-{n}.db"));
                Store::open(&path).unwrap()
            },
            |mut store| store.import(black_box(&plan), false).unwrap(),
            BatchSize::PerIteration,
        )
    });

    let path = dir.path().join("ws.db");
    Store::open(&path).unwrap().import(&plan, false).unwrap();
    g.bench_function("open the workspace and schedule the release", |b| {
        b.iter(|| {
            let store = Store::open(black_box(&path)).unwrap();
            let p = store.load_plan(Some(&key)).unwrap();
            analyze(&p.effective_calendar(), &p.releases[0], today)
                .unwrap()
                .counts
        })
    });

    let mut store = Store::open(&path).unwrap();
    let comp = plan.releases[0].components[5000].key.clone();
    let mut day = 0u32;
    g.bench_function("one edit (set an ETA), validated and saved", |b| {
        b.iter(|| {
            day = (day + 1) % 20;
            store
                .apply(&Edit::SetComponent {
                    release: key.clone(),
                    component: comp.clone(),
                    field: ComponentField::Eta,
                    value: serde_json::json!(format!("2025-06-{:02}", day + 1)),
                })
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, store);
criterion_main!(benches);
