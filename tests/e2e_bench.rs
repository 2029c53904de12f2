//! Desktop benchmarks in the real app under Xvfb (docs/desktop.md has the
//! figures). A benchmark, not a timed test: it prints what it measured and
//! asserts only that the views were drawn. Run it with `make bench-desktop`
//! (`cargo test --release --test e2e_bench -- --ignored --nocapture`).
#![cfg(feature = "desktop")]

mod common;
use common::desktop::{memory_report, remember, settle, App};
use common::*;
use serde_json::{json, Value};
use std::time::Instant;

fn perf(app: &App) -> Value {
    app.exec("return window.__flotillaPerf || null;", json!([]))
}

#[test]
#[ignore = "benchmark: run with --ignored --nocapture"]
fn desktop_benchmarks() {
    let s = Scratch::new();

    // 1. First window with the sample plan drawn (the last open release: its graph).
    let db = s.path("sample.db");
    let out = flotilla(
        &db,
        &[
            "import",
            repo_path("resources/samples/q1-2025-platform.json")
                .to_str()
                .unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    remember(&db, "q1-2025");
    let started = Instant::now();
    let app = App::launch(&db);
    app.wait_for("[data-testid=node]", 30);
    let wall = started.elapsed();
    let p = perf(&app);
    println!(
        "first window, sample plan graph drawn: {:.0} ms after navigation start (page clock); {:.0} ms wall clock from spawning tauri-driver",
        p["drawn"]["graph"].as_f64().unwrap_or(f64::NAN),
        wall.as_secs_f64() * 1000.0
    );
    memory_report(&app, "sample plan, just drawn");
    settle();
    memory_report(&app, "sample plan, settled");
    drop(app);

    // 2. A 1,000-component release: graph and timeline drawn.
    let deps = 3000;
    let (big, key) = generated_workspace(&s, "big", 1000, deps, 10);
    let app = App::launch(&big);
    let started = Instant::now();
    app.click_css(&format!(
        "[data-testid=release-row][data-key='{key}'] [data-testid=open-release]"
    ));
    // Seen whole, a 1,000-component graph is painted on a canvas.
    app.wait_for("[data-testid=graph-canvas][data-nodes='1000']", 120);
    let graph_wall = started.elapsed();
    let p = perf(&app);
    println!(
        "1,000 components / {deps} dependencies: graph laid out in the worker in {:.0} ms, drawn in {:.0} ms (page clock); {:.0} ms from the click (WebDriver polling included)",
        p["drawMs"]["graph-layout"].as_f64().unwrap_or(f64::NAN),
        p["drawMs"]["graph"].as_f64().unwrap_or(f64::NAN),
        graph_wall.as_secs_f64() * 1000.0
    );
    settle();
    memory_report(&app, "1,000-component release, graph drawn, settled");
    let started = Instant::now();
    app.click_css("[data-testid=tab-timeline]");
    app.wait_for("[data-testid=timeline-svg][data-bars='1000']", 60);
    let tl_wall = started.elapsed();
    let p = perf(&app);
    println!(
        "1,000 components: timeline drawn in {:.0} ms (page clock); {:.0} ms from the click",
        p["drawMs"]["timeline"].as_f64().unwrap_or(f64::NAN),
        tl_wall.as_secs_f64() * 1000.0
    );

    // 3. Edits re-scheduled and redrawn on that release (timeline open): a
    // field edit for comparison, then adds.
    app.exec(
        "document.querySelector(arguments[0]).dispatchEvent(new MouseEvent('click', { bubbles: true })); return true;",
        json!(["[data-testid=bar]"]),
    );
    app.wait_for("[data-testid=field-duration]", 20);
    let timed = |act: &dyn Fn()| -> EditTiming {
        let before = perf(&app)["lastEdit"].clone();
        act();
        app.wait_until(20, "the edit to be redrawn", || {
            perf(&app)["lastEdit"] != before
        });
        let p = perf(&app);
        let e = &p["lastEdit"];
        let ms = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
        EditTiming {
            total: ms(&e["totalMs"]),
            answer: ms(&e["answerMs"]),
            update: ms(&e["updateMs"]),
            redraw: ms(&e["redrawMs"]),
            layout: ms(&p["drawMs"]["timeline-layout"]),
        }
    };
    let mut edits = Vec::new();
    for n in 0..7 {
        edits.push(timed(&|| {
            app.set_value("[data-testid=field-duration]", &(20 + n).to_string())
        }));
    }
    median(edits, "edit (duration)");

    // 4. Adds on that release (timeline open): a component by quick-add, then
    // a dependency from an existing component to it (no cycle possible).
    let plan: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("big.json")).unwrap()).unwrap();
    let team = plan["teams"][0]["key"].as_str().unwrap().to_string();
    let existing: Vec<String> = plan["releases"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .take(7)
        .map(|c| c["key"].as_str().unwrap().to_string())
        .collect();
    let mut adds = Vec::new();
    for n in 0..7 {
        adds.push(timed(&|| {
            app.set_value(
                "[data-testid=quick-add]",
                &format!("Bench add {n}, {team}, 3"),
            );
            app.exec(
                "document.querySelector(arguments[0]).requestSubmit(); return true;",
                json!(["[data-testid=quick-add-form]"]),
            );
        }));
        // The timeline draws only the rows in view: the count says it is there.
        app.wait_for(
            &format!("[data-testid=timeline-svg][data-bars='{}']", 1001 + n),
            20,
        );
    }
    median(adds, "add component (quick-add)");
    let mut links = Vec::new();
    for (n, from) in existing.iter().enumerate() {
        app.click_css("[data-testid=add-dependency]");
        app.wait_for("[data-testid=add-dependency-dialog]", 20);
        app.set_value("[data-testid=dep-from]", from);
        app.set_value("[data-testid=dep-to]", &format!("bench-add-{n}"));
        links.push(timed(&|| app.click_css("[data-testid=dep-save]")));
        app.wait_until(20, "the dialog to close", || {
            app.find_all("[data-testid=add-dependency-dialog]")
                .is_empty()
        });
    }
    median(links, "add dependency (dialog)");

    // For comparison, the whole view's round trip: the release view asked for
    // again, as the page's own `invoke` does it (last: the window then numbers
    // a view the page does not hold, and the next edit would answer whole).
    let mut trips = Vec::new();
    for _ in 0..7 {
        app.exec(
            "window.__trip = null; const t0 = performance.now();
             window.__TAURI_INTERNALS__.invoke('load_release', { release: arguments[0] })
               .then((v) => { window.__trip = [performance.now() - t0, JSON.stringify(v).length]; });
             return true;",
            json!([key]),
        );
        app.wait_until(20, "the view to come back", || {
            !app.exec("return window.__trip;", json!([])).is_null()
        });
        let t = app.exec("return window.__trip;", json!([]));
        trips.push((t[0].as_f64().unwrap(), t[1].as_u64().unwrap()));
    }
    trips.sort_by(|a, b| a.0.total_cmp(&b.0));
    println!(
        "load_release round trip on 1,000 components: median {:.0} ms for {} kB of JSON (of 7; min {:.0}, max {:.0})",
        trips[3].0,
        trips[3].1 / 1000,
        trips[0].0,
        trips[6].0
    );

    memory_report(&app, "1,000-component release, after the edits");
    settle();
    memory_report(
        &app,
        "1,000-component release, graph and timeline drawn, settled",
    );
}

/// One edit as the page clocked it (ui/src/lib/perf.ts), in ms.
#[derive(Clone, Copy)]
struct EditTiming {
    total: f64,
    answer: f64,
    update: f64,
    redraw: f64,
    layout: f64,
}

/// Prints the median edit (by total) of a series.
fn median(mut v: Vec<EditTiming>, what: &str) {
    v.sort_by(|a, b| a.total.total_cmp(&b.total));
    let m = v[v.len() / 2];
    println!(
        "{what} on 1,000 components, timeline open: median {:.0} ms = {:.0} ms apply + reschedule + answer, {:.0} ms redraw ({:.0} ms to the DOM updated, of which {:.0} ms timeline layout) (of {}; min {:.0}, max {:.0})",
        m.total,
        m.answer,
        m.redraw,
        m.update,
        m.layout,
        v.len(),
        v[0].total,
        v[v.len() - 1].total
    );
}
