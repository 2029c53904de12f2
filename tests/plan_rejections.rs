//! Every rejection rule of spec/plan-format.md, each with a bad file: exit code 2,
//! a message that names the JSON path and the fault, and an unchanged workspace.

mod common;
use common::*;
use serde_json::{json, Value};

type Mutation = fn(&mut Value);

fn rel(v: &mut Value) -> &mut Value {
    &mut v["releases"][0]
}
fn comp(v: &mut Value, i: usize) -> &mut Value {
    &mut v["releases"][0]["components"][i]
}
fn remove(v: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    v.pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent}"))
        .as_object_mut()
        .unwrap()
        .remove(key)
        .unwrap_or_else(|| panic!("no {pointer}"));
}

/// (name, mutation, what stderr must contain).
fn cases() -> Vec<(&'static str, Mutation, &'static str)> {
    vec![
        ("wrong format", |v| v["format"] = json!("flotilla.plans"), "format: expected \"flotilla.plan\""),
        ("wrong version", |v| v["version"] = json!(2), "version: unsupported version 2"),
        ("unknown top-level field", |v| v["teamz"] = json!([]), "unknown field `teamz`"),
        ("unknown component field", |v| comp(v, 0)["titel"] = json!("x"), "releases[0].components[0].titel: unknown field `titel`"),
        ("unknown deploy field", |v| comp(v, 0)["deploy"]["trigger"]["verb"] = json!("POST"), "releases[0].components[0].deploy.trigger.verb: unknown field"),
        ("missing teams", |v| remove(v, "/teams"), "missing field `teams`"),
        ("missing team name", |v| remove(v, "/teams/1/name"), "teams[1]: missing field `name`"),
        ("missing endpoint kind", |v| remove(v, "/endpoints/ci/kind"), "endpoints.ci: missing field `kind`"),
        ("missing endpoint base_url", |v| remove(v, "/endpoints/ci/base_url"), "endpoints.ci: missing field `base_url`"),
        ("missing release start", |v| remove(v, "/releases/0/start"), "releases[0]: missing field `start`"),
        ("missing release_date", |v| remove(v, "/releases/0/release_date"), "releases[0]: missing field `release_date`"),
        ("missing components", |v| remove(v, "/releases/0/components"), "releases[0]: missing field `components`"),
        ("missing component team", |v| remove(v, "/releases/0/components/1/team"), "releases[0].components[1]: missing field `team`"),
        ("missing duration", |v| remove(v, "/releases/0/components/2/duration_days"), "releases[0].components[2]: missing field `duration_days`"),
        ("missing dependency to", |v| remove(v, "/releases/0/dependencies/0/to"), "releases[0].dependencies[0]: missing field `to`"),
        ("missing milestone due", |v| remove(v, "/releases/0/milestones/0/due"), "releases[0].milestones[0]: missing field `due`"),
        ("missing checklist text", |v| remove(v, "/releases/0/checklist/0/text"), "releases[0].checklist[0]: missing field `text`"),
        ("duplicate team", |v| v["teams"][2]["key"] = json!("api"), "teams[2].key: duplicate team \"api\""),
        ("duplicate component", |v| comp(v, 2)["key"] = json!("api-endpoints"), "releases[0].components[2].key: duplicate component \"api-endpoints\""),
        ("duplicate release", |v| {
            let r = v["releases"][0].clone();
            v["releases"].as_array_mut().unwrap().push(r);
        }, "releases[1].key: duplicate release"),
        ("duplicate milestone", |v| {
            let m = rel(v)["milestones"][0].clone();
            rel(v)["milestones"].as_array_mut().unwrap().push(m);
        }, "releases[0].milestones[1].key: duplicate milestone \"api-backend\""),
        ("duplicate dependency", |v| {
            let d = rel(v)["dependencies"][1].clone();
            rel(v)["dependencies"].as_array_mut().unwrap().push(d);
        }, "releases[0].dependencies[2]: duplicate dependency"),
        ("unknown team", |v| comp(v, 1)["team"] = json!("qa"), "releases[0].components[1].team: unknown team \"qa\""),
        ("unknown dependency target", |v| rel(v)["dependencies"][0]["to"] = json!("api-endpoint"), "releases[0].dependencies[0].to: unknown component \"api-endpoint\""),
        ("unknown dependency source", |v| rel(v)["dependencies"][1]["from"] = json!("nope"), "releases[0].dependencies[1].from: unknown component \"nope\""),
        ("unknown milestone component", |v| rel(v)["milestones"][0]["components"][1] = json!("db"), "releases[0].milestones[0].components[1]: unknown component \"db\""),
        ("unknown milestone owner", |v| rel(v)["milestones"][0]["owners"][0] = json!("ops"), "releases[0].milestones[0].owners[0]: unknown team \"ops\""),
        ("unknown checklist owner", |v| rel(v)["checklist"][0]["owner"] = json!("ops"), "releases[0].checklist[0].owner: unknown team \"ops\""),
        ("unknown deploy endpoint", |v| comp(v, 0)["deploy"]["endpoint"] = json!("cd"), "releases[0].components[0].deploy.endpoint: unknown endpoint \"cd\""),
        ("unknown verify endpoint", |v| comp(v, 0)["deploy"]["verify"][0]["endpoint"] = json!("cd"), "releases[0].components[0].deploy.verify[0].endpoint: unknown endpoint \"cd\""),
        ("unknown trigger endpoint", |v| rel(v)["rollback_triggers"][0]["endpoint"] = json!("grafana"), "releases[0].rollback_triggers[0].endpoint: unknown endpoint \"grafana\""),
        ("unknown slot team", |v| rel(v)["deploy_schedule"]["slots"][1]["team"] = json!("ops"), "releases[0].deploy_schedule.slots[1].team: unknown team \"ops\""),
        ("date without padding", |v| rel(v)["start"] = json!("2025-1-06"), "releases[0].start: invalid date \"2025-1-06\": expected YYYY-MM-DD"),
        ("date that does not exist", |v| rel(v)["code_freeze"] = json!("2025-02-30"), "releases[0].code_freeze: invalid date \"2025-02-30\": no such day"),
        ("date in another format", |v| rel(v)["dependencies"][0]["needed_by"] = json!("02/01/2025"), "releases[0].dependencies[0].needed_by: invalid date"),
        ("holiday not a date", |v| v["calendar"]["holidays"][0] = json!("Presidents Day"), "calendar.holidays[0]: invalid date"),
        ("zero duration", |v| comp(v, 1)["duration_days"] = json!(0), "releases[0].components[1].duration_days: 0 is out of range"),
        ("negative duration", |v| comp(v, 1)["duration_days"] = json!(-3), "releases[0].components[1].duration_days: invalid value: integer `-3`"),
        ("negative buffer", |v| rel(v)["dependencies"][0]["buffer_days"] = json!(-1), "releases[0].dependencies[0].buffer_days: invalid value: integer `-1`"),
        ("huge lag", |v| rel(v)["dependencies"][0]["lag_days"] = json!(1000), "releases[0].dependencies[0].lag_days: 1000 is out of range"),
        ("zero poll interval", |v| comp(v, 0)["deploy"]["status"]["interval_s"] = json!(0), "releases[0].components[0].deploy.status.interval_s: 0 is out of range"),
        ("impossible HTTP status", |v| comp(v, 0)["deploy"]["verify"][0]["expect_status"] = json!(700), "releases[0].components[0].deploy.verify[0].expect_status: 700 is not an HTTP status"),
        ("cycle", |v| {
            rel(v)["dependencies"].as_array_mut().unwrap().push(json!({ "from": "frontend-dashboard", "to": "backend-pipeline" }));
        }, "releases[0].dependencies: dependency cycle: backend-pipeline -> api-endpoints -> frontend-dashboard -> backend-pipeline"),
        ("self dependency", |v| {
            rel(v)["dependencies"].as_array_mut().unwrap().push(json!({ "from": "api-endpoints", "to": "api-endpoints" }));
        }, "dependency cycle: api-endpoints -> api-endpoints"),
        ("secret value", |v| v["endpoints"]["ci"]["auth"]["secret"] = json!("ghp_abc123"), "endpoints.ci.auth.secret: a secret must be a reference"),
        ("secret with empty name", |v| v["endpoints"]["ci"]["auth"]["secret"] = json!("env:"), "endpoints.ci.auth.secret: a secret must be a reference"),
        ("bad key", |v| comp(v, 1)["key"] = json!("API Endpoints"), "releases[0].components[1].key: invalid key \"API Endpoints\""),
        ("insecure endpoint", |v| v["endpoints"]["ci"]["base_url"] = json!("http://deploy.example.com"), "endpoints.ci.base_url: \"http://deploy.example.com\" is plain http"),
        ("unknown status", |v| comp(v, 1)["status"] = json!("done"), "releases[0].components[1].status: unknown value `done`"),
        ("bad slot time", |v| rel(v)["deploy_schedule"]["slots"][0]["at"] = json!("9am"), "releases[0].deploy_schedule.slots[0].at: invalid time \"9am\""),
        ("release before start", |v| rel(v)["release_date"] = json!("2025-01-01"), "releases[0].release_date: release date 2025-01-01 is before the start"),
        ("webhook without trigger", |v| remove(v, "/releases/0/components/0/deploy/trigger"), "releases[0].components[0].deploy.trigger: a webhook deploy needs \"trigger\""),
        ("metric trigger on a webhook", |v| rel(v)["rollback_triggers"][0]["endpoint"] = json!("ci"), "releases[0].rollback_triggers[0].endpoint: endpoint \"ci\" is webhook"),
        // The communication plan (docs/notifications.md).
        ("http chat URL", |v| { comms(v); rel(v)["comms"]["channels"]["eng"]["url"] = json!("http://hooks.example.com/x") }, "releases[0].comms.channels.eng.url: \"http://hooks.example.com/x\" is plain http to a host that is not loopback"),
        ("chat URL twice", |v| { comms(v); rel(v)["comms"]["channels"]["eng"]["url_secret"] = json!("env:SLACK_URL") }, "releases[0].comms.channels.eng.url_secret: give \"url\" or \"url_secret\", not both"),
        ("chat URL as a value", |v| { comms(v); remove(v, "/releases/0/comms/channels/eng/url"); rel(v)["comms"]["channels"]["eng"]["url_secret"] = json!("https://hooks.slack.com/services/T/B/X") }, "releases[0].comms.channels.eng.url_secret: a secret must be a reference"),
        ("smtp field on slack", |v| { comms(v); rel(v)["comms"]["channels"]["eng"]["smtp_host"] = json!("mail") }, "releases[0].comms.channels.eng.smtp_host: \"smtp_host\" does not belong to a slack channel"),
        ("bad mail address", |v| { comms(v); rel(v)["comms"]["channels"]["mail"]["to"] = json!(["ops at example.com"]) }, "releases[0].comms.channels.mail.to[0]: \"ops at example.com\" is not a mail address"),
        ("audience unknown channel", |v| { comms(v); rel(v)["comms"]["audiences"][0]["channels"][0] = json!("irc") }, "releases[0].comms.audiences[0].channels[0]: unknown channel \"irc\""),
        ("audience unknown team", |v| { comms(v); rel(v)["comms"]["audiences"][0]["team"] = json!("ops") }, "releases[0].comms.audiences[0].team: unknown team \"ops\""),
        ("audience no events", |v| { comms(v); rel(v)["comms"]["audiences"][0]["events"] = json!([]) }, "releases[0].comms.audiences[0].events: an audience needs at least one event"),
        ("unknown event", |v| { comms(v); rel(v)["comms"]["audiences"][0]["events"][0] = json!("deployed") }, "releases[0].comms.audiences[0].events[0]"),
        ("unknown placeholder", |v| { comms(v); rel(v)["comms"]["templates"] = json!({ "run_started": "Starting {relase}" }) }, "releases[0].comms.templates.run_started: unknown placeholder {relase}"),
        ("open placeholder", |v| { comms(v); rel(v)["comms"]["templates"] = json!({ "run_finished": "Done {state" }) }, "releases[0].comms.templates.run_finished: \"{\" at byte 5 is never closed"),
        ("expected minutes 0", |v| comp(v, 0)["deploy"]["expected_minutes"] = json!(0), "releases[0].components[0].deploy.expected_minutes"),
        ("empty release note", |v| rel(v)["notes"] = json!([{ "category": "new", "text": "  " }]), "releases[0].notes[0].text: text is empty"),
        ("note twice", |v| comp(v, 1)["notes"] = json!([{ "category": "fix", "text": "Faster login" }, { "category": "new", "text": "Faster login" }]), "releases[0].components[1].notes[1].text: the note \"Faster login\" is listed twice"),
        ("unknown note category", |v| rel(v)["notes"] = json!([{ "category": "feature", "text": "x" }]), "releases[0].notes[0].category: unknown value `feature`"),
        ("question answered twice", |v| rel(v)["retrospective"] = json!([{ "question": "Did we hit our dates?", "answer": "yes" }, { "question": "Did we hit our dates?", "answer": "no" }]), "releases[0].retrospective[1].question: the question \"Did we hit our dates?\" is answered twice"),
    ]
}

/// A valid communication plan on the release: Slack for engineering, mail
/// for the stakeholders.
fn comms(v: &mut Value) {
    rel(v)["comms"] = json!({
        "channels": {
            "eng": { "kind": "slack", "url": "https://hooks.slack.com/services/T0/B0/X" },
            "mail": { "kind": "email", "smtp_host": "mail.example.com", "from": "Releases <releases@example.com>", "to": ["ops@example.com"] }
        },
        "audiences": [
            { "key": "eng", "name": "Engineering", "channels": ["eng"], "events": ["run_started", "run_finished"] },
            { "key": "biz", "name": "Stakeholders", "channels": ["mail"], "events": ["run_finished"] }
        ]
    });
}

#[test]
fn the_base_plan_is_valid() {
    let s = Scratch::new();
    let f = s.write_json("good.json", &full_plan("q1-2025"));
    let out = flotilla(&s.path("ws.db"), &["import", f.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut v = full_plan("q1-2025");
    comms(&mut v);
    let f = s.write_json("comms.json", &v);
    let out = flotilla(&s.path("ws2.db"), &["import", f.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn every_rejection_rule_exits_2_with_the_path_and_changes_nothing() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    // The workspace already holds a release, which must survive every bad import.
    let good = s.write_json("existing.json", &full_plan("existing"));
    let out = flotilla(&db, &["import", good.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = stdout(&flotilla(&db, &["export", "--format", "json"]));
    let history_before = stdout(&flotilla(&db, &["history", "--json"]));

    let mut failures = Vec::new();
    for (name, mutate, expected) in cases() {
        let mut plan = full_plan("q1-2025");
        mutate(&mut plan);
        let f = s.write_json("bad.json", &plan);
        let out = flotilla(&db, &["import", "--replace", f.to_str().unwrap()]);
        let err = stderr(&out);
        if out.status.code() != Some(2) {
            failures.push(format!(
                "{name}: exit code {:?}, stderr: {err}",
                out.status.code()
            ));
        } else if !err.contains(expected) {
            failures.push(format!("{name}: stderr lacks {expected:?}:\n{err}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(
        stdout(&flotilla(&db, &["export", "--format", "json"])),
        before
    );
    assert_eq!(
        stdout(&flotilla(&db, &["history", "--json"])),
        history_before
    );
}

#[test]
fn text_level_faults_are_located() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let good = serde_json::to_string_pretty(&full_plan("q1-2025")).unwrap();
    let texts = [
        ("not json", "{ this is not json".to_string(), "key must be a string at line 1 column 3"),
        ("trailing comma", good.replacen("\"version\": 1,", "\"version\": 1,,", 1), "line 3"),
        (
            "endpoint given twice",
            good.replacen("\"endpoints\": {", "\"endpoints\": { \"ci\": { \"kind\": \"webhook\", \"base_url\": \"https://x.example\" },", 1),
            "endpoints: duplicate key \"ci\"",
        ),
        (
            "field given twice",
            good.replacen("\"name\": \"API\"", "\"name\": \"API\", \"name\": \"Api\"", 1),
            "teams[1]: duplicate field `name`",
        ),
        ("trailing text", format!("{good}\n{{}}"), "trailing characters"),
        ("empty file", String::new(), "EOF while parsing"),
    ];
    for (name, text, expected) in texts {
        let f = s.write("bad.json", &text);
        let out = flotilla(&db, &["import", f.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{name}: stderr lacks {expected:?}: {}",
            stderr(&out)
        );
    }
    // A missing file is bad input too, and a bad file never creates a workspace.
    let out = flotilla(&db, &["import", s.path("nope.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope.json"));
    assert!(
        !db.exists(),
        "a rejected import must not create the workspace"
    );
}

#[test]
fn existing_release_needs_replace() {
    let s = Scratch::new();
    let db = s.path("ws.db");
    let f = s.write_json("p.json", &full_plan("q1-2025"));
    assert!(flotilla(&db, &["import", f.to_str().unwrap()])
        .status
        .success());
    let out = flotilla(&db, &["import", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("release \"q1-2025\" already exists"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--replace"));
    let mut changed = full_plan("q1-2025");
    changed["releases"][0]["name"] = json!("Renamed");
    let f2 = s.write_json("p2.json", &changed);
    let out = flotilla(&db, &["import", "--replace", f2.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = stdout(&flotilla(&db, &["releases", "--json"]));
    assert!(list.contains("\"Renamed\""), "{list}");
}
