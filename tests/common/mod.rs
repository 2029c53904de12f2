//! Helpers shared by the integration tests: running the binary, temporary
//! workspaces, and a small but complete plan to mutate.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_flotilla")
}

/// Runs `flotilla --db DB ARGS...` with a fixed actor name.
pub fn flotilla(db: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env("FLOTILLA_ACTOR", "tester")
        .env_remove("FLOTILLA_DB")
        .output()
        .expect("the flotilla binary runs")
}

/// Runs git in `dir` with a fixed identity and no user or system config.
pub fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Tester")
        .env("GIT_AUTHOR_EMAIL", "tester@example.com")
        .env("GIT_COMMITTER_NAME", "Tester")
        .env("GIT_COMMITTER_EMAIL", "tester@example.com")
        .env("GIT_EDITOR", "true")
        .env("GIT_MERGE_AUTOEDIT", "no")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A temporary folder that lives as long as the value.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).expect("write");
        p
    }
    pub fn write_json(&self, name: &str, v: &Value) -> PathBuf {
        self.write(name, &serde_json::to_string_pretty(v).unwrap())
    }
}

pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// A small plan that uses every part of the format, valid as it stands.
pub fn full_plan(release_key: &str) -> Value {
    json!({
      "format": "flotilla.plan",
      "version": 1,
      "calendar": { "workdays": ["mon", "tue", "wed", "thu", "fri"], "holidays": ["2025-02-17"] },
      "teams": [
        { "key": "backend", "name": "Backend",
          "contacts": { "primary": { "name": "Alex", "handle": "@alex", "email": "alex@example.com" },
                        "backup": { "name": "Emma", "handle": "@emma" } } },
        { "key": "api", "name": "API" },
        { "key": "frontend", "name": "Frontend" }
      ],
      "endpoints": {
        "ci": { "kind": "webhook", "base_url": "https://deploy.example.com",
                "auth": { "scheme": "bearer", "secret": "env:DEPLOY_TOKEN" } },
        "prom": { "kind": "prometheus", "base_url": "http://127.0.0.1:9090" }
      },
      "releases": [{
        "key": release_key,
        "name": "Q1 2025 Platform Release",
        "status": "in_development",
        "start": "2025-01-06",
        "feature_freeze": "2025-02-15",
        "code_freeze": "2025-02-22",
        "release_date": "2025-03-01",
        "strategy": "rolling",
        "components": [
          { "key": "backend-pipeline", "title": "Data pipeline", "team": "backend",
            "status": "in_development", "duration_days": 15, "eta": "2025-02-01",
            "labels": ["dependency/blocking"],
            "updates": [ { "date": "2025-01-28", "text": "Started, on track" } ],
            "deploy": {
              "endpoint": "ci",
              "trigger": { "method": "POST", "path": "/deploy/backend", "body": { "version": "2.5.0" } },
              "status": { "path": "/deploy/backend/status", "field": "state",
                          "success": ["succeeded"], "failure": ["failed"], "interval_s": 5, "timeout_s": 1800 },
              "verify": [ { "endpoint": "ci", "path": "/health/backend", "expect_status": 200, "timeout_s": 30 } ],
              "rollback": { "method": "POST", "path": "/rollback/backend" } } },
          { "key": "api-endpoints", "title": "Analytics endpoints", "team": "api", "duration_days": 5 },
          { "key": "frontend-dashboard", "title": "New dashboard UI", "team": "frontend", "duration_days": 8 }
        ],
        "dependencies": [
          { "from": "backend-pipeline", "to": "api-endpoints", "needed_by": "2025-02-01", "buffer_days": 3, "lag_days": 0 },
          { "from": "api-endpoints", "to": "frontend-dashboard", "needed_by": "2025-02-08" }
        ],
        "milestones": [
          { "key": "api-backend", "name": "API + Backend", "phase": "component_pair",
            "components": ["api-endpoints", "backend-pipeline"], "due": "2025-02-05",
            "environment": "staging", "owners": ["api", "backend"],
            "scenarios": [ { "text": "Chart loads with real data", "done": false } ] }
        ],
        "checklist": [
          { "text": "Rollback procedures tested", "owner": "backend", "due": "2025-02-22", "done": false, "gate": true }
        ],
        "rollback_triggers": [
          { "kind": "metric", "endpoint": "prom", "query": "sum(rate(errors[1m]))", "above": 0.05, "for_s": 600 },
          { "kind": "verify_failed" },
          { "kind": "manual", "text": "P0 bug found" }
        ],
        "deploy_schedule": { "date": "2025-03-01",
          "slots": [ { "team": "backend", "at": "09:00" }, { "team": "api", "at": "09:30" } ] }
      }]
    })
}

#[cfg(feature = "desktop")]
pub mod desktop;
pub mod keyring;
pub mod prometheus;

/// Fails when the workspace database at `db`, its main file or its WAL, holds
/// `secret`'s bytes anywhere.
pub fn assert_db_holds_no(db: &Path, secret: &str) {
    for ext in ["", "-wal"] {
        let p = PathBuf::from(format!("{}{ext}", db.display()));
        if let Ok(bytes) = std::fs::read(&p) {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "secret in {}",
                p.display()
            );
        }
    }
}

/// Compiles the plan's runbook (release `r1`, as JSON) into `s` and returns
/// its path.
pub fn compile_runbook(s: &Scratch, plan: &Value) -> PathBuf {
    compile_release_runbook(s, plan, "r1")
}

/// Compiles the runbook of the plan's `release` (as JSON) into `s`, with the
/// workspace `w.db` of `s`, and returns its path.
pub fn compile_release_runbook(s: &Scratch, plan: &Value, release: &str) -> PathBuf {
    let p = s.write_json("plan.json", plan);
    let out = s.path("runbook.json");
    let o = flotilla(
        &s.path("w.db"),
        &[
            "runbook",
            "--release",
            release,
            "--plan",
            p.to_str().unwrap(),
            "--format",
            "json",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

/// A workspace `NAME.db` in `s` holding one release generated by `flotilla
/// gen-plan` (components, dependencies, teams); returns the database and the
/// release's key.
pub fn generated_workspace(
    s: &Scratch,
    name: &str,
    components: usize,
    dependencies: usize,
    teams: usize,
) -> (PathBuf, String) {
    let plan = s.path(&format!("{name}.json"));
    let (c, d, t) = (
        components.to_string(),
        dependencies.to_string(),
        teams.to_string(),
    );
    let db = s.path(&format!("{name}.db"));
    let out = flotilla(
        &db,
        &[
            "gen-plan",
            "--components",
            &c,
            "--dependencies",
            &d,
            "--teams",
            &t,
            "-o",
            plan.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = flotilla(&db, &["import", plan.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&plan).unwrap()).unwrap();
    let key = v["releases"][0]["key"].as_str().unwrap().to_string();
    (db, key)
}

/// `flotilla rehearsal-target --for 60` on its default ports (the sample's
/// endpoints), one at a time in a test binary, stopped on drop.
pub struct RehearsalTarget(Child, MutexGuard<'static, ()>);

impl RehearsalTarget {
    /// Each status answers `running` `running_polls` times, then `succeeded`.
    pub fn start(running_polls: u32) -> RehearsalTarget {
        static PORT: Mutex<()> = Mutex::new(());
        let port = PORT.lock().unwrap_or_else(|e| e.into_inner());
        let child = Command::new(bin())
            .args(["rehearsal-target", "--for", "60", "--running-polls"])
            .arg(running_polls.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the rehearsal target");
        let mut target = RehearsalTarget(child, port);
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", 8787)).is_err() {
            if let Ok(Some(status)) = target.0.try_wait() {
                panic!("the rehearsal target exited: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "the rehearsal target did not listen on 127.0.0.1:8787"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        target
    }
}

impl Drop for RehearsalTarget {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
