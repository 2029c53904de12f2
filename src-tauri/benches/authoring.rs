//! Authoring speed (docs/authoring.md, "Speed"), on a 1,000-component,
//! 4,000-dependency release in a real SQLite file, measured as the window
//! does it: the edit validated and saved in one transaction, then the release
//! read back, re-scheduled and turned into the view the window draws
//! (`views::release_view`), and answered as the `apply_edit` command does it:
//! what changed since the view last sent (`views::SentViews::answer`), as
//! the JSON text the IPC carries. The redraw is measured in the real window
//! by `make bench-desktop`.
//! Run: `cargo bench --no-default-features --bench authoring`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use flotilla::plan::{Component, Date, Dependency, Status};
use flotilla::schedule::generate_plan;
use flotilla::store::{Edit, Store};
use flotilla::views::{copy_release, release_view, ReleaseView, SentViews, ViewAnswer};
use std::hint::black_box;

fn component(key: &str, team: &str) -> Component {
    Component {
        key: key.to_string(),
        title: format!("Bench {key}"),
        team: team.to_string(),
        status: Status::Planning,
        duration_days: 3,
        start: None,
        eta: None,
        done_on: None,
        labels: Vec::new(),
        updates: Vec::new(),
        deploy: None,
        notes: vec![],
    }
}

/// The window's answer to an edit whose page holds the last view sent, as
/// JSON text; the sent record then names the new view.
fn answer(sent: &mut SentViews, held: &mut u64, view: ReleaseView) -> String {
    let a = sent.answer(view, Some(*held));
    *held = match &a {
        ViewAnswer::View { view } => view.version,
        ViewAnswer::Patch { base, .. } => base + 1,
    };
    serde_json::to_string(&a).unwrap()
}

fn authoring(c: &mut Criterion) {
    let plan = generate_plan(1_000, 4_000, 10, 7);
    let key = plan.releases[0].key.clone();
    let team = plan.releases[0].components[0].team.clone();
    let some = plan.releases[0].components[500].key.clone();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.db");
    let mut store = Store::open(&path).unwrap();
    store.import(&plan, false).unwrap();
    let today = Date::ymd(2025, 3, 1);

    let mut g = c.benchmark_group("release of 1,000 components");
    g.sample_size(30);
    let mut sent = SentViews::default();
    let mut held = sent
        .send(release_view(&store, &key, today).unwrap())
        .version;
    let mut n = 0u32;
    g.bench_function("add a component: saved, re-scheduled, answered", |b| {
        b.iter(|| {
            n += 1;
            store
                .apply(&Edit::AddComponent {
                    release: key.clone(),
                    component: Box::new(component(&format!("bench-c{n}"), &team)),
                    index: None,
                })
                .unwrap();
            let view = release_view(&store, &key, today).unwrap();
            black_box(answer(&mut sent, &mut held, view))
        })
    });

    let mut m = 0u32;
    // Both the set-up and the measured part write to the store.
    let cell = std::cell::RefCell::new(store);
    g.bench_function("add a dependency: saved, re-scheduled, answered", |b| {
        b.iter_batched(
            || {
                // A new leaf for each dependency (not measured), so none closes a cycle.
                m += 1;
                let leaf = format!("bench-d{m}");
                cell.borrow_mut()
                    .apply(&Edit::AddComponent {
                        release: key.clone(),
                        component: Box::new(component(&leaf, &team)),
                        index: None,
                    })
                    .unwrap();
                leaf
            },
            |leaf| {
                let mut store = cell.borrow_mut();
                store
                    .apply(&Edit::AddDependency {
                        release: key.clone(),
                        dependency: Dependency {
                            from: some.clone(),
                            to: leaf,
                            needed_by: None,
                            buffer_days: Some(2),
                            lag_days: None,
                        },
                        index: None,
                    })
                    .unwrap();
                let view = release_view(&store, &key, today).unwrap();
                black_box(answer(&mut sent, &mut held, view))
            },
            BatchSize::PerIteration,
        )
    });

    let mut store = cell.into_inner();
    let mut k = 0u32;
    g.bench_function("copy the release into the next quarter", |b| {
        b.iter(|| {
            k += 1;
            copy_release(
                &mut store,
                &key,
                &format!("next-{k}"),
                Date::ymd(2026, 9, 30),
                None,
            )
            .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, authoring);
criterion_main!(benches);
