//! The semantic merge as a real git merge driver: a bare repository, two clones,
//! `flotilla git-setup`, concurrent edits pushed and pulled.

mod common;

use common::{flotilla, git, stderr, Scratch};
use flotilla::plan::{parse_plan, write_plan};
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output};

const FILE: &str = "q1.flotilla.json";

fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "git failed:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn base_plan() -> Value {
    json!({
      "format": "flotilla.plan", "version": 1,
      "teams": [ { "key": "backend", "name": "Backend" }, { "key": "api", "name": "API" } ],
      "releases": [{
        "key": "q1", "name": "Q1", "start": "2025-01-06", "release_date": "2025-03-03",
        "components": [
          { "key": "pipeline", "title": "Pipeline", "team": "backend", "duration_days": 5,
            "eta": "2025-01-17", "updates": [ { "date": "2025-01-08", "text": "Started" } ] },
          { "key": "endpoints", "title": "Endpoints", "team": "api", "duration_days": 4 }
        ],
        "dependencies": [ { "from": "pipeline", "to": "endpoints" } ]
      }]
    })
}

fn canonical(v: &Value) -> String {
    write_plan(&parse_plan(&v.to_string()).expect("valid plan"))
}

fn read_plan(dir: &Path) -> Value {
    let t = std::fs::read_to_string(dir.join(FILE)).unwrap();
    serde_json::to_value(parse_plan(&t).expect("a valid plan in the work tree")).unwrap()
}

fn commit_plan(dir: &Path, v: &Value, message: &str) {
    std::fs::write(dir.join(FILE), canonical(v)).unwrap();
    ok(git(dir, &["commit", "-q", "-am", message]));
}

/// A bare repository and two clones, both with the driver installed, holding
/// the base plan; returns (scratch, alice, bob).
fn two_clones() -> (Scratch, std::path::PathBuf, std::path::PathBuf) {
    let s = Scratch::new();
    let remote = s.path("remote.git");
    ok(git(
        s.dir.path(),
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            remote.to_str().unwrap(),
        ],
    ));
    let alice = s.path("alice");
    let bob = s.path("bob");
    ok(git(
        s.dir.path(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            alice.to_str().unwrap(),
        ],
    ));
    ok(git(&alice, &["symbolic-ref", "HEAD", "refs/heads/main"]));
    let r = flotilla(
        &s.path("w.db"),
        &["git-setup", "--repo", alice.to_str().unwrap()],
    );
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    std::fs::write(alice.join(FILE), canonical(&base_plan())).unwrap();
    ok(git(&alice, &["add", ".gitattributes", FILE]));
    ok(git(&alice, &["commit", "-q", "-m", "base plan"]));
    ok(git(&alice, &["push", "-q", "origin", "main"]));
    ok(git(
        s.dir.path(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            bob.to_str().unwrap(),
        ],
    ));
    let r = flotilla(
        &s.path("w.db"),
        &["git-setup", "--repo", bob.to_str().unwrap()],
    );
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    (s, alice, bob)
}

fn add_update(v: &mut Value, date: &str, text: &str) {
    v["releases"][0]["components"][0]["updates"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "date": date, "text": text }));
}

#[test]
fn git_setup_writes_both_lines_once() {
    let (s, alice, _) = two_clones();
    let r = flotilla(
        &s.path("w.db"),
        &["git-setup", "--repo", alice.to_str().unwrap()],
    );
    assert_eq!(r.status.code(), Some(0));
    let attrs = std::fs::read_to_string(alice.join(".gitattributes")).unwrap();
    assert_eq!(attrs, "*.flotilla.json merge=flotilla\n", "written once");
    let driver = text(&ok(git(&alice, &["config", "merge.flotilla.driver"])));
    let exe = common::bin();
    assert_eq!(driver.trim(), format!("'{exe}' merge %O %A %B -o %A"));
    let check = text(&ok(git(&alice, &["check-attr", "merge", FILE])));
    assert_eq!(check.trim(), format!("{FILE}: merge: flotilla"));
}

#[test]
fn git_merge_is_clean_where_a_line_merge_conflicts() {
    let (_s, alice, bob) = two_clones();
    // Bob adds a status update and an ETA for the pipeline, and pushes.
    let mut theirs = base_plan();
    add_update(&mut theirs, "2025-01-10", "Schema done");
    theirs["releases"][0]["components"][0]["eta"] = json!("2025-01-20");
    commit_plan(&bob, &theirs, "bob: pipeline update");
    ok(git(&bob, &["push", "-q", "origin", "main"]));
    // Alice, offline, adds her own status update to the same component and
    // moves the other component to testing.
    let mut ours = base_plan();
    add_update(&mut ours, "2025-01-10", "Load test passed");
    ours["releases"][0]["components"][1]["status"] = json!("testing");
    commit_plan(&alice, &ours, "alice: pipeline update");

    // A line merge of these three files conflicts (both inserted at one place).
    let lines = Scratch::new();
    let b = lines.write("base", &canonical(&base_plan()));
    let o = lines.write("ours", &canonical(&ours));
    let t = lines.write("theirs", &canonical(&theirs));
    let line_merge = Command::new("git")
        .args(["merge-file", "-p", "-q"])
        .args([&o, &b, &t])
        .output()
        .unwrap();
    assert!(
        line_merge.status.code().unwrap_or(0) > 0,
        "a line merge should conflict here:\n{}",
        text(&line_merge)
    );

    // git with the driver merges cleanly: every edit kept.
    let pull = git(
        &alice,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    );
    assert!(pull.status.success(), "pull failed:\n{}", text(&pull));
    let merged = read_plan(&alice);
    let pipeline = &merged["releases"][0]["components"][0];
    assert_eq!(pipeline["eta"], "2025-01-20");
    assert_eq!(
        pipeline["updates"],
        json!([
            { "date": "2025-01-08", "text": "Started" },
            { "date": "2025-01-10", "text": "Load test passed" },
            { "date": "2025-01-10", "text": "Schema done" }
        ])
    );
    assert_eq!(merged["releases"][0]["components"][1]["status"], "testing");
    let on_disk = std::fs::read_to_string(alice.join(FILE)).unwrap();
    assert_eq!(on_disk, canonical(&merged), "the merged file is canonical");

    // Alice pushes; Bob pulls and has the same file.
    ok(git(&alice, &["push", "-q", "origin", "main"]));
    ok(git(
        &bob,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    ));
    assert_eq!(std::fs::read_to_string(bob.join(FILE)).unwrap(), on_disk);
}

#[test]
fn git_merge_stops_with_the_conflict_list_on_a_true_conflict() {
    let (_s, alice, bob) = two_clones();
    let mut theirs = base_plan();
    theirs["releases"][0]["components"][0]["eta"] = json!("2025-01-24");
    theirs["releases"][0]["components"][1]["duration_days"] = json!(6);
    commit_plan(&bob, &theirs, "bob: later ETA");
    ok(git(&bob, &["push", "-q", "origin", "main"]));
    let mut ours = base_plan();
    ours["releases"][0]["components"][0]["eta"] = json!("2025-01-20");
    commit_plan(&alice, &ours, "alice: earlier ETA");

    let pull = git(
        &alice,
        &["pull", "--no-rebase", "--no-edit", "origin", "main"],
    );
    assert!(
        !pull.status.success(),
        "the pull should stop:\n{}",
        text(&pull)
    );
    let out = text(&pull);
    assert!(
        out.contains(r#"conflict: releases["q1"].components["pipeline"].eta: base "2025-01-17", ours "2025-01-20", theirs "2025-01-24""#),
        "{out}"
    );
    let unmerged = text(&ok(git(
        &alice,
        &["diff", "--name-only", "--diff-filter=U"],
    )));
    assert_eq!(unmerged.trim(), FILE);
    // The file holds ours at the conflict and everything else merged.
    let merged = read_plan(&alice);
    assert_eq!(merged["releases"][0]["components"][0]["eta"], "2025-01-20");
    assert_eq!(merged["releases"][0]["components"][1]["duration_days"], 6);
}
