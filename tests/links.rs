//! Linked plan files: `link`, `save`, `sync` (with `--take` to resolve), the
//! library's resolve API for the desktop app, and the whole offline round trip
//! of a release manager and two team leads meeting through git.

mod common;

use common::{flotilla, full_plan, stderr, stdout, Scratch};
use flotilla::merge::{self, Resolutions, Side};
use flotilla::plan::{parse_plan, write_plan};
use flotilla::store::Store;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ETA: &str = r#"releases["q1"].components["api-endpoints"].eta"#;

fn workspace(s: &Scratch, name: &str) -> PathBuf {
    let db = s.path(name);
    let plan = s.write_json("plan.json", &full_plan("q1"));
    let r = flotilla(&db, &["import", plan.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    db
}

fn run(db: &Path, args: &[&str]) -> Output {
    flotilla(db, args)
}

fn file_plan(path: &Path) -> Value {
    serde_json::to_value(parse_plan(&std::fs::read_to_string(path).unwrap()).unwrap()).unwrap()
}

/// Rewrites the linked file as another person would: changed by `edit`, canonical.
fn edit_file(path: &Path, edit: impl FnOnce(&mut Value)) {
    let mut v = file_plan(path);
    edit(&mut v);
    std::fs::write(path, write_plan(&parse_plan(&v.to_string()).unwrap())).unwrap();
}

fn comp<'a>(v: &'a mut Value, key: &str) -> &'a mut Value {
    v["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["key"] == key)
        .unwrap()
}

fn exported(db: &Path) -> Value {
    let r = run(db, &["export", "--release", "q1", "--format", "json"]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    serde_json::from_str(&stdout(&r)).unwrap()
}

fn set(db: &Path, component: &str, assignment: &str) {
    let r = run(
        db,
        &[
            "set",
            "--release",
            "q1",
            "--component",
            component,
            assignment,
        ],
    );
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
}

#[test]
fn link_writes_a_missing_file_and_save_writes_the_canonical_release() {
    let s = Scratch::new();
    let db = workspace(&s, "w.db");
    let file = s.path("q1.flotilla.json");
    let r = run(&db, &["link", "--release", "q1", file.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let export = run(&db, &["export", "--release", "q1", "--format", "json"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout(&export));
    set(&db, "api-endpoints", "eta=2025-02-07");
    let r = run(&db, &["save", "--release", "q1"]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let export = run(&db, &["export", "--release", "q1", "--format", "json"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout(&export));
}

#[test]
fn sync_applies_the_files_changes_and_keeps_the_workspaces() {
    let s = Scratch::new();
    let db = workspace(&s, "w.db");
    let file = s.path("q1.flotilla.json");
    run(&db, &["link", "--release", "q1", file.to_str().unwrap()]);
    // The file moves on (a pull) while the workspace is edited.
    edit_file(&file, |v| {
        comp(v, "backend-pipeline")["eta"] = json!("2025-02-05");
        v["releases"][0]["checklist"][0]["done"] = json!(true);
    });
    set(&db, "frontend-dashboard", "status=testing");
    let r = run(&db, &["sync", "--release", "q1"]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert!(
        stderr(&r).contains(r#"applied: changed releases["q1"].components["backend-pipeline"].eta: "2025-02-01" -> "2025-02-05""#),
        "{}",
        stderr(&r)
    );
    let mut v = exported(&db);
    assert_eq!(comp(&mut v, "backend-pipeline")["eta"], "2025-02-05");
    assert_eq!(comp(&mut v, "frontend-dashboard")["status"], "testing");
    assert_eq!(v["releases"][0]["checklist"][0]["done"], true);
    // A second sync has nothing to do; save then writes both sides' edits.
    let r = run(&db, &["sync", "--release", "q1", "--json"]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let report: Value = serde_json::from_str(&stdout(&r)).unwrap();
    assert_eq!(report["applied"], json!([]));
    assert_eq!(report["conflicts"], json!([]));
    let r = run(&db, &["save", "--release", "q1"]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert_eq!(file_plan(&file), exported(&db));
}

#[test]
fn a_conflict_stays_until_a_person_resolves_it() {
    let s = Scratch::new();
    let db = workspace(&s, "w.db");
    let file = s.path("q1.flotilla.json");
    run(&db, &["link", "--release", "q1", file.to_str().unwrap()]);
    edit_file(&file, |v| {
        comp(v, "api-endpoints")["eta"] = json!("2025-02-10");
        comp(v, "backend-pipeline")["status"] = json!("testing");
    });
    set(&db, "api-endpoints", "eta=2025-02-07");

    let r = run(&db, &["sync", "--release", "q1", "--json"]);
    assert_eq!(r.status.code(), Some(1), "{}", stderr(&r));
    let report: Value = serde_json::from_str(&stdout(&r)).unwrap();
    assert_eq!(
        report["conflicts"],
        json!([{ "path": ETA, "base": null, "ours": "2025-02-07", "theirs": "2025-02-10" }])
    );
    // What merged cleanly is applied; ours is kept at the conflict.
    let mut v = exported(&db);
    assert_eq!(comp(&mut v, "backend-pipeline")["status"], "testing");
    assert_eq!(comp(&mut v, "api-endpoints")["eta"], "2025-02-07");
    // Saving now would drop the file's side of the conflict: refused.
    let r = run(&db, &["save", "--release", "q1"]);
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert!(stderr(&r).contains("the file changed since release \"q1\" was last synced"));
    // Syncing again shows the same conflict: it is not forgotten.
    let r = run(&db, &["sync", "--release", "q1"]);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        stderr(&r).contains(&format!(
            r#"conflict: {ETA}: base (absent), ours "2025-02-07", theirs "2025-02-10""#
        )),
        "{}",
        stderr(&r)
    );

    // A person takes theirs.
    let take = format!("{ETA}=theirs");
    let r = run(&db, &["sync", "--release", "q1", "--take", &take]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let mut v = exported(&db);
    assert_eq!(comp(&mut v, "api-endpoints")["eta"], "2025-02-10");
    let r = run(&db, &["sync", "--release", "q1"]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let r = run(&db, &["save", "--release", "q1"]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert_eq!(file_plan(&file), exported(&db));
}

#[test]
fn the_resolve_api_applies_chosen_sides() {
    let s = Scratch::new();
    let db = workspace(&s, "w.db");
    let file = s.path("q1.flotilla.json");
    let mut store = Store::open(&db).unwrap();
    let linked = merge::link(&mut store, "q1", &file).unwrap();
    assert!(linked.written && linked.same_as_workspace);
    drop(store);
    edit_file(&file, |v| {
        comp(v, "frontend-dashboard")["duration_days"] = json!(12)
    });
    set(&db, "frontend-dashboard", "duration_days=10");
    let mut store = Store::open(&db).unwrap();
    let report = merge::sync(&mut store, "q1").unwrap();
    assert!(!report.is_clean());
    let path = r#"releases["q1"].components["frontend-dashboard"].duration_days"#;
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(report.conflicts[0].path, path);
    assert_eq!(report.conflicts[0].base, Some(json!(8)));
    assert_eq!(report.conflicts[0].ours, Some(json!(10)));
    assert_eq!(report.conflicts[0].theirs, Some(json!(12)));
    let report = merge::resolve(
        &mut store,
        "q1",
        &Resolutions::new().choose(path, Side::Ours),
    )
    .unwrap();
    assert!(report.is_clean(), "{:?}", report.conflicts);
    let rel = store.load_release("q1").unwrap();
    assert_eq!(
        rel.component("frontend-dashboard").unwrap().duration_days,
        10
    );
    // Resolved: the next sync is clean, and save writes ours.
    assert!(merge::sync(&mut store, "q1").unwrap().is_clean());
    merge::save(&mut store, "q1", false).unwrap();
    let saved = parse_plan(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        saved.releases[0]
            .component("frontend-dashboard")
            .unwrap()
            .duration_days,
        10
    );
}

#[test]
fn linking_an_existing_different_file_has_no_base_for_the_first_sync() {
    let s = Scratch::new();
    let db = workspace(&s, "w.db");
    let mut other = full_plan("q1");
    other["releases"][0]["components"][1]["eta"] = json!("2025-02-11");
    other["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "key": "docs", "title": "Docs", "team": "frontend", "duration_days": 2 }));
    let file = s.write(
        "q1.flotilla.json",
        &write_plan(&parse_plan(&other.to_string()).unwrap()),
    );
    let r = run(&db, &["link", "--release", "q1", file.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert!(stderr(&r).contains("the file differs from the workspace"));
    set(&db, "api-endpoints", "eta=2025-02-07");
    let r = run(&db, &["sync", "--release", "q1", "--json"]);
    assert_eq!(r.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&r)).unwrap();
    assert_eq!(report["conflicts"].as_array().unwrap().len(), 1);
    assert_eq!(report["conflicts"][0]["path"], ETA);
    let mut v = exported(&db);
    assert_eq!(
        comp(&mut v, "docs")["title"],
        "Docs",
        "entities only the file has are added"
    );
}

#[test]
fn sync_save_and_link_refuse_bad_input() {
    let s = Scratch::new();
    let db = workspace(&s, "w.db");
    let r = run(&db, &["sync", "--release", "q1"]);
    assert_eq!(r.status.code(), Some(2));
    assert!(
        stderr(&r).contains("release \"q1\" is not linked to a file"),
        "{}",
        stderr(&r)
    );
    let r = run(
        &db,
        &[
            "link",
            "--release",
            "nope",
            s.path("x.json").to_str().unwrap(),
        ],
    );
    assert_eq!(r.status.code(), Some(2));
    let file = s.path("q1.flotilla.json");
    run(&db, &["link", "--release", "q1", file.to_str().unwrap()]);
    std::fs::write(&file, "{ not json").unwrap();
    let r = run(&db, &["sync", "--release", "q1"]);
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    let r = run(&db, &["save", "--release", "q1"]);
    assert_eq!(
        r.status.code(),
        Some(2),
        "a changed file is not overwritten"
    );
    let r = run(&db, &["save", "--release", "q1", "--force"]);
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    assert_eq!(file_plan(&file), exported(&db));
}

// ---- The whole story: a release manager and two team leads, offline, git ----

fn git(dir: &Path, args: &[&str]) -> Output {
    let o = common::git(dir, args);
    assert!(
        o.status.success(),
        "git {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// One person: a clone and a workspace whose release is linked into it.
struct Person {
    clone: PathBuf,
    db: PathBuf,
}

impl Person {
    fn join(s: &Scratch, remote: &Path, name: &str) -> Person {
        let clone = s.path(name);
        git(
            s.dir.path(),
            &[
                "clone",
                "-q",
                remote.to_str().unwrap(),
                clone.to_str().unwrap(),
            ],
        );
        let r = flotilla(
            &s.path("x.db"),
            &["git-setup", "--repo", clone.to_str().unwrap()],
        );
        assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
        let db = s.path(&format!("{name}.db"));
        let file = clone.join("q1.flotilla.json");
        let r = flotilla(&db, &["import", file.to_str().unwrap()]);
        assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
        let r = flotilla(&db, &["link", "--release", "q1", file.to_str().unwrap()]);
        assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
        Person { clone, db }
    }

    fn set(&self, component: &str, assignment: &str) {
        set(&self.db, component, assignment);
    }

    /// Save, commit, pull (the driver merges), sync, save, commit, push.
    fn meet(&self) -> Output {
        let r = flotilla(&self.db, &["save", "--release", "q1"]);
        assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
        self.commit_if_changed("edits");
        git(
            &self.clone,
            &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
        );
        let r = flotilla(&self.db, &["sync", "--release", "q1"]);
        if r.status.code() == Some(0) {
            let s = flotilla(&self.db, &["save", "--release", "q1"]);
            assert_eq!(s.status.code(), Some(0), "{}", stderr(&s));
            self.commit_if_changed("synced");
            git(&self.clone, &["push", "-q", "origin", "main"]);
        }
        r
    }

    fn commit_if_changed(&self, message: &str) {
        let st = git(&self.clone, &["status", "--porcelain"]);
        if !st.stdout.is_empty() {
            git(&self.clone, &["commit", "-q", "-am", message]);
        }
    }
}

#[test]
fn a_release_manager_and_two_team_leads_meet_through_git_with_no_lost_edit() {
    let s = Scratch::new();
    let remote = s.path("remote.git");
    git(
        s.dir.path(),
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            remote.to_str().unwrap(),
        ],
    );
    let seed = s.path("seed");
    git(
        s.dir.path(),
        &[
            "clone",
            "-q",
            remote.to_str().unwrap(),
            seed.to_str().unwrap(),
        ],
    );
    git(&seed, &["symbolic-ref", "HEAD", "refs/heads/main"]);
    let r = flotilla(
        &s.path("x.db"),
        &["git-setup", "--repo", seed.to_str().unwrap()],
    );
    assert_eq!(r.status.code(), Some(0));
    let plan = write_plan(&parse_plan(&full_plan("q1").to_string()).unwrap());
    std::fs::write(seed.join("q1.flotilla.json"), plan).unwrap();
    git(&seed, &["add", ".gitattributes", "q1.flotilla.json"]);
    git(&seed, &["commit", "-q", "-m", "plan"]);
    git(&seed, &["push", "-q", "origin", "main"]);

    let manager = Person::join(&s, &remote, "manager");
    let backend = Person::join(&s, &remote, "backend");
    let api = Person::join(&s, &remote, "api");

    // Everyone edits offline, in parallel.
    manager.set("frontend-dashboard", "status=in_development");
    backend.set("backend-pipeline", "eta=2025-02-04");
    backend.set("backend-pipeline", "status=testing");
    api.set("api-endpoints", "eta=2025-02-12");
    api.set("api-endpoints", "duration_days=7");

    // They meet one after the other; each pull merges through the driver.
    for p in [&backend, &api, &manager] {
        let r = p.meet();
        assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    }
    // The first two pull once more to catch up.
    for p in [&backend, &api] {
        let r = p.meet();
        assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    }
    let all = [&manager, &backend, &api].map(|p| exported(&p.db));
    assert_eq!(all[0], all[1]);
    assert_eq!(all[1], all[2]);
    let mut v = all[0].clone();
    assert_eq!(
        comp(&mut v, "frontend-dashboard")["status"],
        "in_development"
    );
    assert_eq!(comp(&mut v, "backend-pipeline")["eta"], "2025-02-04");
    assert_eq!(comp(&mut v, "backend-pipeline")["status"], "testing");
    assert_eq!(comp(&mut v, "api-endpoints")["eta"], "2025-02-12");
    assert_eq!(comp(&mut v, "api-endpoints")["duration_days"], 7);

    // A true conflict: two people move the same ETA. The second to pull is
    // stopped by git with the conflict shown.
    backend.set("api-endpoints", "eta=2025-02-14");
    api.set("api-endpoints", "eta=2025-02-13");
    assert_eq!(backend.meet().status.code(), Some(0));
    let r = flotilla(&api.db, &["save", "--release", "q1"]);
    assert_eq!(r.status.code(), Some(0));
    git(&api.clone, &["commit", "-q", "-am", "eta"]);
    let pull = Command::new("git")
        .arg("-C")
        .arg(&api.clone)
        .args(["pull", "--no-rebase", "--no-edit", "origin", "main"])
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Tester")
        .env("GIT_AUTHOR_EMAIL", "tester@example.com")
        .env("GIT_COMMITTER_NAME", "Tester")
        .env("GIT_COMMITTER_EMAIL", "tester@example.com")
        .output()
        .unwrap();
    assert!(!pull.status.success());
    let shown = String::from_utf8_lossy(&pull.stderr);
    assert!(
        shown.contains(r#"conflict: releases["q1"].components["api-endpoints"].eta: base "2025-02-12", ours "2025-02-13", theirs "2025-02-14""#),
        "{shown}"
    );
}
