//! A process killed at any moment during an import or an edit never corrupts
//! the workspace nor loses an edit that was committed.

mod common;
use common::*;
use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A plan with `n` components in a chain-ish graph, big enough that an import
/// takes a while and a kill lands inside it.
fn big_plan(key: &str, n: usize) -> Value {
    let mut plan = full_plan(key);
    let comps: Vec<Value> = (0..n)
        .map(|i| {
            let team = ["backend", "api", "frontend"][i % 3];
            json!({ "key": format!("c{i}"), "title": format!("Component {i}"), "team": team,
                    "duration_days": 1 + i % 7,
                    "updates": [ { "date": "2025-01-10", "text": format!("update for {i}") } ] })
        })
        .collect();
    let deps: Vec<Value> = (1..n)
        .flat_map(|i| {
            let mut v = vec![json!({ "from": format!("c{}", i - 1), "to": format!("c{i}") })];
            if i >= 7 {
                v.push(json!({ "from": format!("c{}", i - 7), "to": format!("c{i}"), "buffer_days": 1 }));
            }
            v
        })
        .collect();
    let r = &mut plan["releases"][0];
    r["components"] = Value::Array(comps);
    r["dependencies"] = Value::Array(deps);
    r["milestones"] = json!([]);
    r.as_object_mut().unwrap().remove("deploy_schedule");
    plan
}

/// A tiny deterministic random source (xorshift), so a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Starts `flotilla ARGS`, kills it after `after`, and says whether it had
/// already finished successfully by then.
fn run_and_kill(db: &std::path::Path, args: &[&str], after: Duration) -> bool {
    let mut child = Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env("FLOTILLA_ACTOR", "crash-test")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + after;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.success();
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn check_integrity(db: &std::path::Path) {
    let conn = rusqlite::Connection::open(db).expect("open");
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let fk: i64 = conn
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk, 0, "foreign keys broken");
}

fn component_count(db: &std::path::Path, release: &str) -> Option<i64> {
    let conn = rusqlite::Connection::open(db).expect("open");
    conn.query_row(
        "SELECT (SELECT COUNT(*) FROM components c WHERE c.release_id = r.id) FROM releases r WHERE r.key = ?1",
        [release],
        |r| r.get(0),
    )
    .ok()
}

#[test]
fn killed_imports_leave_nothing_or_everything() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    const N: usize = 1500;
    let plan = s.write_json("big.json", &big_plan("big", N));
    let plan = plan.to_str().unwrap();
    // How long a whole import takes here, to spread the kills across it.
    let t = Instant::now();
    assert!(run_and_kill(
        &db,
        &["import", plan],
        Duration::from_secs(120)
    ));
    let full = t.elapsed().as_micros() as u64;
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    let mut finished = 0;
    let mut killed = 0;
    for _ in 0..40 {
        let after = Duration::from_micros(rng.below(full + full / 4) + 1);
        if run_and_kill(&db, &["import", "--replace", plan], after) {
            finished += 1;
        } else {
            killed += 1;
        }
        check_integrity(&db);
        // The release is there whole: the old one or the new one, never a part.
        assert_eq!(component_count(&db, "big"), Some(N as i64));
    }
    assert!(
        killed > 5,
        "the kills did not land inside imports ({killed} killed, {finished} finished)"
    );
    // Into an empty workspace: either no release or the whole one.
    for i in 0..15 {
        let fresh = s.path(&format!("fresh{i}.db"));
        let after = Duration::from_micros(rng.below(full) + 1);
        let done = run_and_kill(&fresh, &["import", plan], after);
        if fresh.exists() {
            check_integrity(&fresh);
            let n = component_count(&fresh, "big");
            assert!(n.is_none() || n == Some(N as i64), "partial import: {n:?}");
            if done {
                assert_eq!(n, Some(N as i64));
            }
        }
    }
}

#[test]
fn killed_edits_never_lose_a_committed_edit() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let plan = s.write_json("p.json", &big_plan("rel", 300));
    assert!(run_and_kill(
        &db,
        &["import", plan.to_str().unwrap()],
        Duration::from_secs(120)
    ));
    let t = Instant::now();
    assert!(run_and_kill(
        &db,
        &[
            "set",
            "--release",
            "rel",
            "--component",
            "c5",
            "duration_days=2"
        ],
        Duration::from_secs(60)
    ));
    let full = t.elapsed().as_micros() as u64;
    let mut rng = Rng(0xdead_beef_0bad_f00d);
    let mut last_ok: Option<u32> = None;
    let mut attempts_since_ok: Vec<u32> = Vec::new();
    let mut committed = 1; // the edit above
    for i in 0..60u32 {
        let value = 10 + i;
        let after = Duration::from_micros(rng.below(full + full / 2) + 1);
        let arg = format!("duration_days={value}");
        let ok = run_and_kill(
            &db,
            &["set", "--release", "rel", "--component", "c5", &arg],
            after,
        );
        check_integrity(&db);
        if ok {
            last_ok = Some(value);
            attempts_since_ok.clear();
            committed += 1;
        } else {
            attempts_since_ok.push(value);
        }
        let conn = rusqlite::Connection::open(&db).unwrap();
        let now: u32 = conn
            .query_row(
                "SELECT duration_days FROM components WHERE key = 'c5'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        if let Some(v) = last_ok {
            // The last reported success is kept, unless a later (killed) edit committed after it.
            assert!(
                now == v || attempts_since_ok.contains(&now),
                "lost edit: have {now}, committed {v}"
            );
        }
        // History and data agree: the newest recorded value is the stored one.
        let newest: String = conn
            .query_row(
                "SELECT new_value FROM changes WHERE entity_key = 'c5' ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(newest, now.to_string());
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let recorded: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM changes WHERE entity_key = 'c5'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        recorded >= committed,
        "history lost edits: {recorded} < {committed}"
    );
}
