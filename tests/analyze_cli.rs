//! `flotilla analyze` and `flotilla gen-plan` as a user runs them: golden
//! output on the sample plan, the workspace and plan-file paths, and every
//! bad input with exit code 2.
//!
//! Regenerate the goldens after an intended change with
//! `UPDATE_GOLDEN=1 cargo test --no-default-features --test analyze_cli`,
//! and read the diff before committing it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SAMPLE: &str = "resources/samples/q1-2025-platform.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from the repository root, with no workspace from the environment.
fn flotilla(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flotilla"))
        .args(args)
        .current_dir(root())
        .env_remove("FLOTILLA_DB")
        .env("FLOTILLA_ACTOR", "tester")
        .output()
        .expect("the flotilla binary runs")
}

fn ok(args: &[&str]) -> String {
    let o = flotilla(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Runs a command that must fail with exit code 2; returns its stderr.
fn bad(args: &[&str]) -> String {
    let o = flotilla(args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(
        o.stdout.is_empty(),
        "{args:?} printed {}",
        String::from_utf8_lossy(&o.stdout)
    );
    err
}

fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; create it with UPDATE_GOLDEN=1", path.display()));
    assert!(
        actual == want,
        "{name} differs from {}; if the change is intended, run with UPDATE_GOLDEN=1 and review the diff\n--- got ---\n{actual}",
        path.display()
    );
}

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn golden_json_on_the_sample_plan() {
    let out = ok(&[
        "analyze",
        "--plan",
        SAMPLE,
        "--json",
        "--today",
        "2025-01-20",
    ]);
    golden("analyze-q1-2025.json", &out);
    // The spec's fields, with dates as YYYY-MM-DD.
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["release"], "q1-2025");
    assert_eq!(v["plan_finish"], "2025-02-24");
    assert_eq!(
        v["critical_path"],
        serde_json::json!(["auth-service", "mobile-app"])
    );
    assert_eq!(v["components"].as_array().unwrap().len(), 14);
    let breach = v["freeze"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "code_freeze")
        .unwrap();
    assert_eq!(breach["component"], "mobile-app");
    assert_eq!(breach["by_days"], 1);
}

#[test]
fn golden_text_on_the_sample_plan() {
    let out = ok(&["analyze", "--plan", SAMPLE, "--today", "2025-01-20"]);
    golden("analyze-q1-2025.txt", &out);
    assert!(out.contains("Critical path (2 of 14 components critical): auth-service -> mobile-app"));
    assert!(out.contains("mobile-app breaks the code freeze (2025-02-22)"));
}

#[test]
fn golden_what_if_on_the_sample_plan() {
    let args = [
        "analyze",
        "--plan",
        SAMPLE,
        "--today",
        "2025-01-20",
        "--what-if",
        "api-endpoints=+3",
    ];
    let text = ok(&args);
    golden("what-if-q1-2025.txt", &text);
    let json = ok(&[&args[..], &["--json"]].concat());
    golden("what-if-q1-2025.json", &json);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["slips"],
        serde_json::json!([{"component": "api-endpoints", "days": 3}])
    );
    let late: Vec<_> = v["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["state_after"] == "late")
        .map(|d| {
            format!(
                "{} -> {}",
                d["from"].as_str().unwrap(),
                d["to"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(late, ["api-export -> frontend-export"]);
}

#[test]
fn the_workspace_gives_the_same_schedule_as_the_plan_file() {
    let dir = scratch();
    let db = dir.path().join("w.db");
    ok(&["--db", path_str(&db), "import", SAMPLE]);
    let from_file = ok(&[
        "analyze",
        "--plan",
        SAMPLE,
        "--json",
        "--today",
        "2025-02-05",
    ]);
    let from_db = ok(&[
        "--db",
        path_str(&db),
        "analyze",
        "--release",
        "q1-2025",
        "--json",
        "--today",
        "2025-02-05",
    ]);
    assert_eq!(from_db, from_file);
    // With a single release in the workspace, --release may be left out.
    let only = ok(&[
        "--db",
        path_str(&db),
        "analyze",
        "--json",
        "--today",
        "2025-02-05",
    ]);
    assert_eq!(only, from_file);
    let err = bad(&[
        "--db",
        path_str(&db),
        "analyze",
        "--release",
        "q9",
        "--today",
        "2025-02-05",
    ]);
    assert!(err.contains("release \"q9\" not found"), "{err}");
}

/// The sample plus a second, tiny release.
fn two_release_plan(dir: &Path) -> PathBuf {
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(SAMPLE)).unwrap()).unwrap();
    let second = serde_json::json!({
        "key": "q2-2025", "name": "Q2", "start": "2025-04-01", "release_date": "2025-06-30",
        "components": [{ "key": "x", "title": "X", "team": "backend", "duration_days": 3 }]
    });
    plan["releases"].as_array_mut().unwrap().push(second);
    let path = dir.join("two.json");
    std::fs::write(&path, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    path
}

#[test]
fn several_releases_need_release() {
    let dir = scratch();
    let plan = two_release_plan(dir.path());
    let err = bad(&["analyze", "--plan", path_str(&plan)]);
    assert!(err.contains("--release"), "{err}");
    assert!(err.contains("q1-2025, q2-2025"), "{err}");
    let out = ok(&[
        "analyze",
        "--plan",
        path_str(&plan),
        "--release",
        "q2-2025",
        "--json",
        "--today",
        "2025-04-01",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["plan_finish"], "2025-04-03");
    let err = bad(&["analyze", "--plan", path_str(&plan), "--release", "nope"]);
    assert!(err.contains("release \"nope\" not found"), "{err}");
}

#[test]
fn bad_what_if_and_today_are_exit_2() {
    for arg in [
        "api-endpoints",
        "api-endpoints=-2",
        "api-endpoints=+x",
        "=+3",
    ] {
        let err = bad(&["analyze", "--plan", SAMPLE, "--what-if", arg]);
        assert!(
            err.contains("--what-if") && err.contains(arg),
            "{arg}: {err}"
        );
    }
    let err = bad(&["analyze", "--plan", SAMPLE, "--what-if", "ghost=+1"]);
    assert!(err.contains("component \"ghost\" not found"), "{err}");
    let err = bad(&["analyze", "--plan", SAMPLE, "--today", "2025-13-01"]);
    assert!(err.contains("--today"), "{err}");
    // A bad argument is found before any workspace is opened or created.
    let dir = scratch();
    let db = dir.path().join("never.db");
    bad(&["--db", path_str(&db), "analyze", "--what-if", "x"]);
    assert!(!db.exists());
}

#[test]
fn a_cycle_in_the_plan_is_exit_2_and_lists_the_cycle() {
    let dir = scratch();
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(SAMPLE)).unwrap()).unwrap();
    plan["releases"][0]["dependencies"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({ "from": "frontend-dashboard", "to": "backend-pipeline" }));
    let path = dir.path().join("cycle.json");
    std::fs::write(&path, plan.to_string()).unwrap();
    let err = bad(&["analyze", "--plan", path_str(&path)]);
    assert!(
        err.contains("releases[0].dependencies: dependency cycle: backend-pipeline -> api-endpoints -> frontend-dashboard -> backend-pipeline"),
        "{err}"
    );
}

#[test]
fn a_missing_plan_file_is_exit_2() {
    let err = bad(&["analyze", "--plan", "no/such/plan.json"]);
    assert!(err.contains("no/such/plan.json"), "{err}");
}

#[test]
fn gen_plan_writes_a_deterministic_plan_that_analyzes() {
    let dir = scratch();
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    let args = [
        "gen-plan",
        "--components",
        "300",
        "--dependencies",
        "1000",
        "--teams",
        "5",
        "--seed",
        "9",
    ];
    ok(&[&args[..], &["-o", path_str(&a)]].concat());
    ok(&[&args[..], &["-o", path_str(&b)]].concat());
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let out = ok(&[
        "analyze",
        "--plan",
        path_str(&a),
        "--json",
        "--today",
        "2025-03-01",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["components"].as_array().unwrap().len(), 300);
    assert_eq!(v["dependencies"].as_array().unwrap().len(), 1000);
    assert!(!v["critical_path"].as_array().unwrap().is_empty());
    // Standard output without -o.
    let text = ok(&[
        "gen-plan",
        "--components",
        "3",
        "--dependencies",
        "2",
        "--teams",
        "1",
    ]);
    assert!(text.starts_with("{\n  \"format\": \"flotilla.plan\""));
}
