//! Named fixtures for every rule of the semantic three-way merge (docs/merge.md),
//! through the library and through `flotilla merge`.

mod common;

use common::{flotilla, stderr, stdout, Scratch};
use flotilla::merge::{merge_plans, Conflict, Merged, Resolutions, Side};
use flotilla::plan::{parse_plan, write_plan, Plan};
use flotilla::Error;
use serde_json::{json, Value};

/// Three teams, three components in a chain a -> b -> c, a checklist item, a
/// milestone; small enough to read, every merged kind of list present.
fn base() -> Value {
    json!({
      "format": "flotilla.plan", "version": 1,
      "teams": [
        { "key": "backend", "name": "Backend" },
        { "key": "api", "name": "API" },
        { "key": "web", "name": "Web" }
      ],
      "releases": [{
        "key": "r1", "name": "Release 1", "start": "2025-01-06", "release_date": "2025-03-03",
        "components": [
          { "key": "a", "title": "Pipeline", "team": "backend", "duration_days": 5,
            "eta": "2025-01-17", "labels": ["core"],
            "updates": [ { "date": "2025-01-08", "text": "Started" } ] },
          { "key": "b", "title": "Endpoints", "team": "api", "duration_days": 4 },
          { "key": "c", "title": "Dashboard", "team": "web", "duration_days": 6 }
        ],
        "dependencies": [ { "from": "a", "to": "b" }, { "from": "b", "to": "c" } ],
        "milestones": [ { "key": "m1", "name": "API + Backend", "components": ["a", "b"], "due": "2025-02-03" } ],
        "checklist": [ { "text": "Rollback tested", "owner": "backend", "done": false, "gate": true } ]
      }]
    })
}

fn plan(v: &Value) -> Plan {
    parse_plan(&v.to_string()).expect("fixture is a valid plan")
}

fn comp<'a>(v: &'a mut Value, key: &str) -> &'a mut Value {
    v["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["key"] == key)
        .expect("component in fixture")
}

fn merge(b: &Value, o: &Value, t: &Value) -> Merged {
    merge_plans(Some(&plan(b)), &plan(o), &plan(t), &Resolutions::new()).expect("merges")
}

fn clean(b: &Value, o: &Value, t: &Value) -> Value {
    let m = merge(b, o, t);
    assert!(
        m.conflicts.is_empty(),
        "unexpected conflicts: {:?}",
        m.conflicts
    );
    serde_json::to_value(m.plan.expect("valid")).unwrap()
}

fn component(merged: &Value, key: &str) -> Option<Value> {
    merged["releases"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .cloned()
}

#[test]
fn both_sides_edit_different_components() {
    let b = base();
    let mut o = base();
    comp(&mut o, "a")["eta"] = json!("2025-01-20");
    let mut t = base();
    comp(&mut t, "c")["status"] = json!("testing");
    let m = clean(&b, &o, &t);
    assert_eq!(component(&m, "a").unwrap()["eta"], "2025-01-20");
    assert_eq!(component(&m, "c").unwrap()["status"], "testing");
    assert_eq!(
        component(&m, "b").unwrap(),
        component(&serde_json::to_value(plan(&b)).unwrap(), "b").unwrap()
    );
}

#[test]
fn both_sides_edit_different_fields_of_one_component() {
    let b = base();
    let mut o = base();
    comp(&mut o, "a")["eta"] = json!("2025-01-21");
    let mut t = base();
    comp(&mut t, "a")["status"] = json!("in_development");
    comp(&mut t, "a")["duration_days"] = json!(7);
    let m = clean(&b, &o, &t);
    let a = component(&m, "a").unwrap();
    assert_eq!(a["eta"], "2025-01-21");
    assert_eq!(a["status"], "in_development");
    assert_eq!(a["duration_days"], 7);
}

#[test]
fn same_field_changed_to_different_values_is_a_conflict_and_ours_is_kept() {
    let b = base();
    let mut o = base();
    comp(&mut o, "a")["eta"] = json!("2025-01-20");
    comp(&mut o, "b")["title"] = json!("Endpoints v2");
    let mut t = base();
    comp(&mut t, "a")["eta"] = json!("2025-01-24");
    let m = merge(&b, &o, &t);
    assert_eq!(
        m.conflicts,
        vec![Conflict {
            path: r#"releases["r1"].components["a"].eta"#.into(),
            base: Some(json!("2025-01-17")),
            ours: Some(json!("2025-01-20")),
            theirs: Some(json!("2025-01-24")),
        }]
    );
    let merged = serde_json::to_value(m.plan.unwrap()).unwrap();
    assert_eq!(component(&merged, "a").unwrap()["eta"], "2025-01-20");
    assert_eq!(component(&merged, "b").unwrap()["title"], "Endpoints v2");
}

#[test]
fn same_field_changed_to_the_same_value_is_not_a_conflict() {
    let b = base();
    let mut o = base();
    comp(&mut o, "a")["eta"] = json!("2025-01-20");
    let t = o.clone();
    assert_eq!(
        component(&clean(&b, &o, &t), "a").unwrap()["eta"],
        "2025-01-20"
    );
}

#[test]
fn a_chosen_side_resolves_the_conflict() {
    let b = base();
    let mut o = base();
    comp(&mut o, "a")["eta"] = json!("2025-01-20");
    let mut t = base();
    comp(&mut t, "a")["eta"] = json!("2025-01-24");
    let path = r#"releases["r1"].components["a"].eta"#;
    for (side, want) in [
        (Side::Theirs, "2025-01-24"),
        (Side::Ours, "2025-01-20"),
        (Side::Base, "2025-01-17"),
    ] {
        let m = merge_plans(
            Some(&plan(&b)),
            &plan(&o),
            &plan(&t),
            &Resolutions::new().choose(path, side),
        )
        .unwrap();
        assert!(m.conflicts.is_empty());
        let merged = serde_json::to_value(m.plan.unwrap()).unwrap();
        assert_eq!(component(&merged, "a").unwrap()["eta"], want, "{side:?}");
    }
}

#[test]
fn add_versus_add_of_the_same_key() {
    let b = base();
    let new = json!({ "key": "d", "title": "Mobile", "team": "web", "duration_days": 3 });
    let mut o = base();
    o["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .push(new.clone());
    // The same entity added on both sides: one copy.
    let m = clean(&b, &o, &o.clone());
    assert_eq!(m["releases"][0]["components"].as_array().unwrap().len(), 4);
    // Different content under the same key: the fields that differ conflict,
    // with no base; the fields that agree merge.
    let mut t = base();
    let mut other = new.clone();
    other["duration_days"] = json!(8);
    other["eta"] = json!("2025-02-07");
    t["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .push(other);
    let m = merge(&b, &o, &t);
    assert_eq!(
        m.conflicts,
        vec![Conflict {
            path: r#"releases["r1"].components["d"].duration_days"#.into(),
            base: None,
            ours: Some(json!(3)),
            theirs: Some(json!(8)),
        }]
    );
    let merged = serde_json::to_value(m.plan.unwrap()).unwrap();
    let d = component(&merged, "d").unwrap();
    assert_eq!(d["duration_days"], 3);
    assert_eq!(
        d["eta"], "2025-02-07",
        "a field only one side gave is taken"
    );
}

#[test]
fn additions_on_both_sides_merge_in_order_ours_then_theirs() {
    let b = base();
    let mut o = base();
    o["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "key": "o1", "title": "Ours", "team": "api", "duration_days": 1 }));
    let mut t = base();
    t["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "key": "t1", "title": "Theirs", "team": "web", "duration_days": 2 }));
    let m = clean(&b, &o, &t);
    let keys: Vec<&str> = m["releases"][0]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["a", "b", "c", "o1", "t1"]);
}

#[test]
fn deletion_on_one_side_merges() {
    let b = base();
    let o = base();
    let mut t = base();
    // Theirs removes c and the dependency into it.
    t["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .retain(|c| c["key"] != "c");
    t["releases"][0]["dependencies"]
        .as_array_mut()
        .unwrap()
        .retain(|d| d["to"] != "c");
    let m = clean(&b, &o, &t);
    assert!(component(&m, "c").is_none());
    assert_eq!(
        m["releases"][0]["dependencies"],
        json!([{ "from": "a", "to": "b" }])
    );
}

#[test]
fn delete_versus_edit_is_a_conflict() {
    let b = base();
    let mut o = base();
    o["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .retain(|c| c["key"] != "c");
    o["releases"][0]["dependencies"]
        .as_array_mut()
        .unwrap()
        .retain(|d| d["to"] != "c");
    let mut t = base();
    comp(&mut t, "c")["eta"] = json!("2025-02-14");
    let m = merge(&b, &o, &t);
    assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
    let c = &m.conflicts[0];
    assert_eq!(c.path, r#"releases["r1"].components["c"]"#);
    assert_eq!(c.ours, None);
    assert_eq!(c.base.as_ref().unwrap()["key"], "c");
    assert_eq!(c.theirs.as_ref().unwrap()["eta"], "2025-02-14");
    // Ours (deleted) is kept meanwhile.
    let merged = serde_json::to_value(m.plan.unwrap()).unwrap();
    assert!(component(&merged, "c").is_none());

    // Edit (ours) against delete (theirs): the same conflict, the other way round.
    let m = merge(&b, &t, &o);
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].theirs, None);
    let merged = serde_json::to_value(m.plan.unwrap()).unwrap();
    assert_eq!(component(&merged, "c").unwrap()["eta"], "2025-02-14");
}

#[test]
fn dependency_added_on_both_sides() {
    let b = base();
    let mut o = base();
    o["releases"][0]["dependencies"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "from": "a", "to": "c", "buffer_days": 2 }));
    // The same dependency on both sides: one.
    let m = clean(&b, &o, &o.clone());
    assert_eq!(
        m["releases"][0]["dependencies"].as_array().unwrap().len(),
        3
    );
    // Different dependencies on each side: both.
    let mut t = base();
    t["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "key": "d", "title": "Docs", "team": "web", "duration_days": 2 }));
    t["releases"][0]["dependencies"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "from": "b", "to": "d" }));
    let m = clean(&b, &o, &t);
    assert_eq!(
        m["releases"][0]["dependencies"],
        json!([{ "from": "a", "to": "b" }, { "from": "b", "to": "c" }, { "from": "a", "to": "c", "buffer_days": 2 }, { "from": "b", "to": "d" }])
    );
    // The same dependency with different buffers: a conflict on that field.
    let mut t2 = base();
    t2["releases"][0]["dependencies"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "from": "a", "to": "c", "buffer_days": 5 }));
    let m = merge(&b, &o, &t2);
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(
        m.conflicts[0].path,
        r#"releases["r1"].dependencies["a -> c"].buffer_days"#
    );
}

#[test]
fn a_merge_that_closes_a_cycle_is_refused_with_the_cycle() {
    let b = base();
    // Ours: c blocks a new component d. Theirs: d blocks a. Each is acyclic;
    // together: a -> b -> c -> d -> a.
    let d = json!({ "key": "d", "title": "Docs", "team": "web", "duration_days": 2 });
    let mut o = base();
    o["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .push(d.clone());
    o["releases"][0]["dependencies"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "from": "c", "to": "d" }));
    let mut t = base();
    t["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .push(d);
    t["releases"][0]["dependencies"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "from": "d", "to": "a" }));
    plan(&o);
    plan(&t);
    let err = merge_plans(Some(&plan(&b)), &plan(&o), &plan(&t), &Resolutions::new()).unwrap_err();
    match &err {
        Error::Invalid(ps) => {
            assert_eq!(ps[0].code, "cycle");
            assert!(
                ps[0].message.contains("a -> b -> c -> d -> a"),
                "{}",
                ps[0].message
            );
        }
        other => panic!("expected a cycle, got {other}"),
    }
    assert_eq!(err.exit_code(), 2);

    // The same through the command line: exit 2, the cycle named, no output.
    let s = Scratch::new();
    let (bp, op, tp) = (
        s.write_json("b.json", &b),
        s.write_json("o.json", &o),
        s.write_json("t.json", &t),
    );
    let out = s.path("out.json");
    let r = flotilla(
        &s.path("w.db"),
        &[
            "merge",
            bp.to_str().unwrap(),
            op.to_str().unwrap(),
            tp.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert!(
        stderr(&r).contains("dependency cycle: a -> b -> c -> d -> a"),
        "{}",
        stderr(&r)
    );
    assert!(!out.exists());
}

#[test]
fn a_deleted_component_referenced_by_the_other_side_is_refused() {
    let b = base();
    let mut o = base();
    o["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .retain(|c| c["key"] != "c");
    o["releases"][0]["dependencies"]
        .as_array_mut()
        .unwrap()
        .retain(|d| d["to"] != "c");
    let mut t = base();
    t["releases"][0]["dependencies"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "from": "a", "to": "c" }));
    let err = merge_plans(Some(&plan(&b)), &plan(&o), &plan(&t), &Resolutions::new()).unwrap_err();
    assert!(err.to_string().contains("unknown component \"c\""), "{err}");
}

#[test]
fn status_updates_from_both_sides_are_kept() {
    let b = base();
    let mut o = base();
    comp(&mut o, "a")["updates"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "date": "2025-01-10", "text": "Schema done" }));
    let mut t = base();
    comp(&mut t, "a")["updates"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "date": "2025-01-10", "text": "Blocked on infra" }));
    let m = clean(&b, &o, &t);
    assert_eq!(
        component(&m, "a").unwrap()["updates"],
        json!([
            { "date": "2025-01-08", "text": "Started" },
            { "date": "2025-01-10", "text": "Schema done" },
            { "date": "2025-01-10", "text": "Blocked on infra" }
        ])
    );
}

#[test]
fn checklist_items_match_by_text_and_done_is_a_field() {
    let b = base();
    let mut o = base();
    o["releases"][0]["checklist"][0]["done"] = json!(true);
    let mut t = base();
    t["releases"][0]["checklist"][0]["owner"] = json!("api");
    t["releases"][0]["checklist"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "text": "Docs published", "done": false, "gate": false }));
    let m = clean(&b, &o, &t);
    assert_eq!(
        m["releases"][0]["checklist"],
        json!([
            { "text": "Rollback tested", "owner": "api", "done": true, "gate": true },
            { "text": "Docs published", "done": false, "gate": false }
        ])
    );
    // The same field changed both ways: a conflict named by the item's text.
    let mut o2 = base();
    o2["releases"][0]["checklist"][0]["owner"] = json!("api");
    let mut t2 = base();
    t2["releases"][0]["checklist"][0]["owner"] = json!("web");
    t2["releases"][0]["checklist"][0]["done"] = json!(true);
    let m = merge(&b, &o2, &t2);
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(
        m.conflicts[0].path,
        r#"releases["r1"].checklist["Rollback tested"].owner"#
    );
    let merged = serde_json::to_value(m.plan.unwrap()).unwrap();
    assert_eq!(merged["releases"][0]["checklist"][0]["owner"], "api");
    assert_eq!(merged["releases"][0]["checklist"][0]["done"], true);
}

#[test]
fn labels_and_milestone_components_merge_as_sets() {
    let b = base();
    let mut o = base();
    comp(&mut o, "a")["labels"] = json!(["core", "risky"]);
    o["releases"][0]["milestones"][0]["components"] = json!(["a", "b", "c"]);
    let mut t = base();
    comp(&mut t, "a")["labels"] = json!(["urgent"]);
    let m = clean(&b, &o, &t);
    assert_eq!(
        component(&m, "a").unwrap()["labels"],
        json!(["risky", "urgent"])
    );
    assert_eq!(
        m["releases"][0]["milestones"][0]["components"],
        json!(["a", "b", "c"])
    );
}

#[test]
fn no_common_version_unions_entities_and_conflicts_on_differing_fields() {
    let mut o = base();
    comp(&mut o, "a")["eta"] = json!("2025-01-20");
    let mut t = base();
    t["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "key": "d", "title": "Docs", "team": "web", "duration_days": 2 }));
    let m = merge_plans(None, &plan(&o), &plan(&t), &Resolutions::new()).unwrap();
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].path, r#"releases["r1"].components["a"].eta"#);
    assert_eq!(m.conflicts[0].base, None);
    let merged = serde_json::to_value(m.plan.unwrap()).unwrap();
    assert!(component(&merged, "d").is_some());
}

#[test]
fn cli_merge_writes_the_canonical_result_and_exits_0() {
    let s = Scratch::new();
    let b = base();
    let mut o = base();
    comp(&mut o, "a")["eta"] = json!("2025-01-20");
    let mut t = base();
    comp(&mut t, "c")["status"] = json!("testing");
    let (bp, op, tp) = (
        s.write_json("b.json", &b),
        s.write_json("o.json", &o),
        s.write_json("t.json", &t),
    );
    let out = s.path("out.json");
    let r = flotilla(
        &s.path("w.db"),
        &[
            "merge",
            bp.to_str().unwrap(),
            op.to_str().unwrap(),
            tp.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let text = std::fs::read_to_string(&out).unwrap();
    let merged = parse_plan(&text).unwrap();
    assert_eq!(text, write_plan(&merged), "the output is canonical");
    let v = serde_json::to_value(&merged).unwrap();
    assert_eq!(component(&v, "a").unwrap()["eta"], "2025-01-20");
    assert_eq!(component(&v, "c").unwrap()["status"], "testing");
}

#[test]
fn cli_merge_with_conflicts_exits_1_lists_them_and_keeps_ours() {
    let s = Scratch::new();
    let b = base();
    let mut o = base();
    comp(&mut o, "a")["eta"] = json!("2025-01-20");
    let mut t = base();
    comp(&mut t, "a")["eta"] = json!("2025-01-24");
    comp(&mut t, "b")["status"] = json!("testing");
    let (bp, op, tp) = (
        s.write_json("b.json", &b),
        s.write_json("o.json", &o),
        s.write_json("t.json", &t),
    );
    let out = s.path("out.json");
    let args = [
        "merge",
        bp.to_str().unwrap(),
        op.to_str().unwrap(),
        tp.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    let r = flotilla(&s.path("w.db"), &args);
    assert_eq!(r.status.code(), Some(1));
    assert!(
        stderr(&r).contains(r#"conflict: releases["r1"].components["a"].eta: base "2025-01-17", ours "2025-01-20", theirs "2025-01-24""#),
        "{}",
        stderr(&r)
    );
    let v =
        serde_json::to_value(parse_plan(&std::fs::read_to_string(&out).unwrap()).unwrap()).unwrap();
    assert_eq!(
        component(&v, "a").unwrap()["eta"],
        "2025-01-20",
        "ours kept"
    );
    assert_eq!(
        component(&v, "b").unwrap()["status"],
        "testing",
        "the rest merged"
    );

    let mut json_args = args.to_vec();
    json_args.push("--json");
    let r = flotilla(&s.path("w.db"), &json_args);
    assert_eq!(r.status.code(), Some(1));
    let report: Value = serde_json::from_str(&stdout(&r)).expect("JSON on stdout");
    assert_eq!(report["clean"], false);
    assert_eq!(
        report["conflicts"],
        json!([{ "path": "releases[\"r1\"].components[\"a\"].eta", "base": "2025-01-17", "ours": "2025-01-20", "theirs": "2025-01-24" }])
    );
}

#[test]
fn cli_merge_with_an_empty_base_merges_without_a_common_version() {
    let s = Scratch::new();
    let bp = s.write("b.json", "");
    let o = base();
    let mut t = base();
    t["releases"][0]["components"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "key": "d", "title": "Docs", "team": "web", "duration_days": 2 }));
    let (op, tp) = (s.write_json("o.json", &o), s.write_json("t.json", &t));
    let r = flotilla(
        &s.path("w.db"),
        &[
            "merge",
            bp.to_str().unwrap(),
            op.to_str().unwrap(),
            tp.to_str().unwrap(),
            "-o",
            op.to_str().unwrap(),
        ],
    );
    assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
    let v =
        serde_json::to_value(parse_plan(&std::fs::read_to_string(&op).unwrap()).unwrap()).unwrap();
    assert!(component(&v, "d").is_some());
}

#[test]
fn cli_merge_refuses_an_invalid_side_naming_it() {
    let s = Scratch::new();
    let bp = s.write_json("b.json", &base());
    let op = s.write_json("o.json", &base());
    let mut t = base();
    comp(&mut t, "b")["team"] = json!("nobody");
    let tp = s.write_json("t.json", &t);
    let out = s.path("out.json");
    let r = flotilla(
        &s.path("w.db"),
        &[
            "merge",
            bp.to_str().unwrap(),
            op.to_str().unwrap(),
            tp.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(r.status.code(), Some(2));
    assert!(
        stderr(&r).contains("in theirs: unknown team \"nobody\""),
        "{}",
        stderr(&r)
    );
    assert!(!out.exists());
}
