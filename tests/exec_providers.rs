//! Each provider against a fake of its service on 127.0.0.1 that answers as
//! the service's API description says (tests/fakes/ci.rs): GitHub Actions,
//! GitLab, Jenkins, Argo CD. Besides the plain runs, one test per contract
//! the client used to get wrong (issue 12): GitLab's two token kinds,
//! Argo CD's stale health before a reconcile, remote cancellation, Argo CD
//! auto-sync and awaited rollbacks, GitHub Enterprise Server's 204, GitLab's
//! manual pipelines, Jenkins' root URL, forgotten queue items and crumbs,
//! GitHub's rate limits, and the runbook printing what the executor uses.

mod common;
mod fakes;

use common::Scratch;
use fakes::{Argo, Github, Gitlab, Jenkins};
use flotilla::exec::{run_blocking, Abort, RunEvent, RunOptions, RunReport};
use flotilla::plan::parse_plan;
use flotilla::runbook::compile_plan;
use flotilla::store::Store;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex, Once};

const GH: &str = "ghp_fake_0123456789abcdef";
const GL: &str = "glpat-fake-access-0123456789";
const GL_TRIGGER: &str = "glptt-fake-trigger-9876543210";
const JK: &str = "11aa22bb33cc44dd55ee";
const ARGO: &str = "argo-fake-jwt-0123456789";
const JK_PASSWORD: &str = "correct-horse-battery";

/// Every secret the tests use, set once before any run reads one.
fn secrets() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::env::set_var("FT_GH_TOKEN", GH);
        std::env::set_var("FT_GL_TOKEN", GL);
        std::env::set_var("FT_GL_TRIGGER", GL_TRIGGER);
        std::env::set_var("FT_JK_TOKEN", JK);
        std::env::set_var("FT_ARGO_TOKEN", ARGO);
        // A trigger token given where the access token belongs; a password.
        std::env::set_var("FT_GL_TRIGGER_AS_API", GL_TRIGGER);
        std::env::set_var("FT_JK_PASSWORD", JK_PASSWORD);
    });
}

/// One release, one component deployed through `endpoint` with `deploy`.
fn plan(endpoint: Value, deploy: Value, triggers: Value) -> flotilla::plan::Plan {
    let mut deploy = deploy;
    deploy["endpoint"] = Value::from("svc");
    let p = json!({
        "format": "flotilla.plan", "version": 1,
        "teams": [ { "key": "ops", "name": "Ops", "contacts": { "primary": { "name": "Dana", "handle": "@dana" } } } ],
        "endpoints": { "svc": endpoint },
        "releases": [ {
            "key": "r1", "name": "Release One", "start": "2025-01-06", "release_date": "2025-03-01",
            "components": [ { "key": "shop", "title": "Shop", "team": "ops", "duration_days": 1, "deploy": deploy } ],
            "rollback_triggers": triggers
        } ]
    });
    parse_plan(&p.to_string()).expect("valid plan")
}

/// Runs the release's runbook; returns the report and every event.
fn run(plan: &flotilla::plan::Plan) -> (RunReport, Vec<RunEvent>, Scratch) {
    let (r, e, s) = try_run(plan, Abort::new());
    (r.expect("the run runs"), e, s)
}

fn try_run(
    plan: &flotilla::plan::Plan,
    abort: Abort,
) -> (flotilla::Result<RunReport>, Vec<RunEvent>, Scratch) {
    secrets();
    let rb = compile_plan(plan, "r1").unwrap();
    let s = Scratch::new();
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let mut opts = RunOptions::new(s.path("w.db"));
    opts.watch = Some(std::time::Duration::ZERO);
    let report = run_blocking(
        rb,
        opts,
        Arc::new(move |e| sink.lock().unwrap().push(e)),
        abort,
    );
    let events = events.lock().unwrap().clone();
    (report, events, s)
}

/// The notes of a run's audit trail.
fn audit(s: &Scratch, report: &RunReport) -> Vec<String> {
    Store::open(&s.path("w.db"))
        .unwrap()
        .run_audit(&report.run.id)
        .unwrap()
        .into_iter()
        .filter_map(|r| r.note)
        .collect()
}

fn reason(report: &RunReport) -> String {
    report.run.reason.clone().unwrap_or_default()
}

fn no_secret_in(events: &[RunEvent], report: &RunReport, secret: &str) {
    let text = format!("{events:?} {}", serde_json::to_string(report).unwrap());
    assert!(!text.contains(secret));
}

/// `base` with the fields of `over` put over it (a test's changes to a
/// deploy section).
fn merged(mut base: Value, over: Value) -> Value {
    for (k, v) in over.as_object().into_iter().flatten() {
        base[k] = v.clone();
    }
    base
}

/// Points the endpoint's `auth` at another secret reference.
fn with_secret(p: &mut flotilla::plan::Plan, reference: &str) {
    p.endpoints
        .get_mut("svc")
        .unwrap()
        .auth
        .as_mut()
        .unwrap()
        .secret = reference.into();
}

// ---- GitHub Actions -----------------------------------------------------------

fn github_plan(base: &str, extra: Value) -> flotilla::plan::Plan {
    let deploy = merged(
        json!({ "workflow": "deploy.yml", "ref": "release/2.5",
                "inputs": { "version": "2.5.0" }, "interval_s": 1, "timeout_s": 20 }),
        extra,
    );
    plan(
        json!({ "kind": "github_actions", "base_url": base, "repo": "acme/shop",
                "auth": { "scheme": "bearer", "secret": "env:FT_GH_TOKEN" } }),
        deploy,
        json!([{ "kind": "verify_failed" }]),
    )
}

#[test]
fn github_actions_dispatches_with_run_details_then_follows_the_run_through_its_states() {
    let gh = Github::start(GH);
    gh.state.lock().unwrap().path_statuses =
        vec!["queued".into(), "waiting".into(), "in_progress".into()];
    let (report, events, _s) = run(&github_plan(&gh.url(), json!({})));
    assert_eq!(report.exit_code(), 0, "{report:?}");
    let d = gh.server.hits(
        "POST",
        "/repos/acme/shop/actions/workflows/deploy.yml/dispatches",
    );
    assert_eq!(d.len(), 1);
    let body = d[0].json();
    assert_eq!(body["ref"], "release/2.5");
    assert_eq!(body["inputs"]["version"], "2.5.0");
    assert_eq!(body["return_run_details"], true);
    assert_eq!(d[0].header("x-github-api-version"), Some("2022-11-28"));
    assert_eq!(d[0].header("accept"), Some("application/vnd.github+json"));
    assert_eq!(
        d[0].header("idempotency-key"),
        Some(format!("{}:shop", report.run.id).as_str())
    );
    // queued, waiting, in_progress, then completed/success.
    assert_eq!(
        gh.server
            .hits("GET", "/repos/acme/shop/actions/runs/9000001")
            .len(),
        4
    );
    let step = &report.steps[0];
    assert_eq!(step.state, "succeeded");
    assert_eq!(
        step.provider_ref.as_ref().unwrap()["workflow_run_id"],
        9000001
    );
    // What the service said on the way is reported.
    let said = format!("{events:?}");
    assert!(said.contains("waiting for a deployment review"), "{said}");
    no_secret_in(&events, &report, GH);
}

#[test]
fn a_failed_github_run_fails_the_step_and_needs_a_person_to_roll_back() {
    let gh = Github::start(GH);
    gh.state.lock().unwrap().conclusion = "failure".into();
    let (report, _, _s) = run(&github_plan(&gh.url(), json!({})));
    assert_eq!(report.exit_code(), 4);
    let step = &report.steps[0];
    assert_eq!(step.state, "rollback_manual");
    assert!(step.message.as_deref().unwrap().contains("Dana @dana"));
    assert!(reason(&report).contains("concluded failure"));
}

#[test]
fn github_enterprise_answering_204_is_followed_by_finding_the_run_by_its_correlation_input() {
    let gh = Github::start(GH);
    {
        let mut s = gh.state.lock().unwrap();
        s.ghes = true;
        s.accepted_inputs = Some(vec!["version".into(), "flotilla_key".into()]);
        s.run_name_input = Some("flotilla_key".into());
    }
    // Someone else's run of the same workflow on the same branch, just before.
    let other = gh.others_run("deploy.yml", "release/2.5");
    let (report, _, _s) = run(&github_plan(
        &gh.url(),
        json!({ "correlation_input": "flotilla_key" }),
    ));
    assert_eq!(report.exit_code(), 0, "{report:?}");
    let key = format!("{}:shop", report.run.id);
    let st = gh.state.lock().unwrap();
    assert_eq!(st.dispatches[0]["inputs"]["flotilla_key"], key.as_str());
    let ours = st.runs.iter().find(|r| r.display_title == key).unwrap().id;
    assert_ne!(ours, other);
    assert_eq!(
        report.steps[0].provider_ref.as_ref().unwrap()["workflow_run_id"],
        ours
    );
    assert!(gh
        .server
        .hits("GET", &format!("/repos/acme/shop/actions/runs/{other}"))
        .is_empty());
    let listed = gh
        .server
        .hits("GET", "/repos/acme/shop/actions/workflows/deploy.yml/runs");
    assert!(
        listed[0].query().contains("event=workflow_dispatch"),
        "{}",
        listed[0].query()
    );
    assert!(
        listed[0].query().contains("branch=release%2F2.5"),
        "{}",
        listed[0].query()
    );
}

#[test]
fn github_enterprise_without_a_correlation_input_refuses_to_guess_between_two_runs() {
    let gh = Github::start(GH);
    gh.state.lock().unwrap().ghes = true;
    gh.others_run("deploy.yml", "release/2.5");
    let (report, _, _s) = run(&github_plan(&gh.url(), json!({})));
    assert_eq!(report.exit_code(), 4, "{report:?}");
    assert!(
        reason(&report).contains("set the deploy's correlation_input"),
        "{}",
        reason(&report)
    );

    // Alone, the one run since the dispatch is followed.
    let gh = Github::start(GH);
    gh.state.lock().unwrap().ghes = true;
    let (report, _, _s) = run(&github_plan(&gh.url(), json!({})));
    assert_eq!(report.exit_code(), 0, "{report:?}");
}

#[test]
fn github_rate_limits_are_waited_out_not_fatal() {
    let gh = Github::start(GH);
    {
        let mut s = gh.state.lock().unwrap();
        // The dispatch meets a secondary limit (429, retry-after), a poll the
        // primary one (403, x-ratelimit-remaining: 0).
        s.secondary_limited = 1;
    }
    gh.server
        .answer("GET", "/never", fakes::Answer::status(404));
    let gh2 = Github::start(GH);
    gh2.state.lock().unwrap().secondary_status = 403;
    gh2.state.lock().unwrap().secondary_limited = 1;
    for g in [&gh, &gh2] {
        let (report, _, s) = run(&github_plan(&g.url(), json!({})));
        assert_eq!(report.exit_code(), 0, "{report:?}");
        assert_eq!(
            g.state.lock().unwrap().runs.len(),
            1,
            "dispatched exactly once"
        );
        assert!(audit(&s, &report)
            .iter()
            .any(|n| n.contains("GitHub rate limit")));
    }
    // A primary limit during the polls: waited until the reset, then on.
    let gh3 = Github::start(GH);
    let plan3 = github_plan(&gh3.url(), json!({}));
    let limiter = std::thread::spawn({
        let st = gh3.state.clone();
        move || {
            for _ in 0..200 {
                if !st.lock().unwrap().runs.is_empty() {
                    st.lock().unwrap().primary_limited = 1;
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
    });
    let (report, events, _s) = run(&plan3);
    limiter.join().unwrap();
    assert_eq!(report.exit_code(), 0, "{report:?}");
    assert!(format!("{events:?}").contains("rate limit"));
}

#[test]
fn a_github_run_still_running_at_its_timeout_is_cancelled_on_github() {
    let gh = Github::start(GH);
    gh.state.lock().unwrap().hold = true;
    let (report, _, s) = run(&github_plan(&gh.url(), json!({ "timeout_s": 3 })));
    assert_eq!(report.exit_code(), 4, "{report:?}");
    assert!(reason(&report).contains("timeout"), "{}", reason(&report));
    assert_eq!(gh.state.lock().unwrap().cancels, [9000001]);
    let run = gh.state.lock().unwrap().runs[0].clone();
    assert_eq!(run.conclusion.as_deref(), Some("cancelled"));
    let notes = audit(&s, &report);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("cancelled on the service: workflow run 9000001 cancel requested")),
        "{notes:?}"
    );
}

#[test]
fn a_github_status_redirected_to_another_host_is_refused() {
    let gh = Github::start(GH);
    let other = fakes::Server::start(Arc::new(|_: &fakes::Seen| {
        fakes::Answer::json(200, json!({"status": "completed", "conclusion": "success"}))
    }));
    gh.server.answer(
        "GET",
        "/repos/acme/shop/actions/runs/9000001",
        fakes::Answer::redirect(&format!("{}/runs/9000001", other.url())),
    );
    let (report, _, _s) = run(&github_plan(&gh.url(), json!({})));
    assert_ne!(report.exit_code(), 0);
    assert!(reason(&report).contains("redirect to another host"));
    assert!(
        other.seen().is_empty(),
        "the token must not travel to another host"
    );
}

// ---- GitLab -------------------------------------------------------------------

fn gitlab_plan(base: &str, trigger_token: bool, deploy: Value) -> flotilla::plan::Plan {
    let mut ep = json!({ "kind": "gitlab", "base_url": base, "project_id": "group/app",
                         "auth": { "scheme": "header", "header": "PRIVATE-TOKEN", "secret": "env:FT_GL_TOKEN" } });
    if trigger_token {
        ep["trigger_token"] = json!("env:FT_GL_TRIGGER");
    }
    let d = merged(
        json!({ "ref": "main", "variables": { "VERSION": "2.5.0" }, "interval_s": 1, "timeout_s": 20 }),
        deploy,
    );
    plan(ep, d, json!([]))
}

#[test]
fn gitlab_starts_with_the_trigger_token_and_reads_with_the_access_token() {
    let gl = Gitlab::start(GL, GL_TRIGGER);
    let (report, events, _s) = run(&gitlab_plan(&gl.url(), true, json!({})));
    assert_eq!(report.exit_code(), 0, "{report:?}");
    let t = gl
        .server
        .hits("POST", "/api/v4/projects/group%2Fapp/trigger/pipeline");
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].form("token").as_deref(), Some(GL_TRIGGER));
    assert_eq!(
        t[0].header("private-token"),
        None,
        "the trigger carries only its token"
    );
    assert_eq!(t[0].form("variables[VERSION]").as_deref(), Some("2.5.0"));
    let polls = gl
        .server
        .hits("GET", "/api/v4/projects/group%2Fapp/pipelines/4711");
    assert_eq!(polls.len(), 4, "created, pending, running, success");
    assert!(polls.iter().all(|p| p.header("private-token") == Some(GL)));
    no_secret_in(&events, &report, GL);
    no_secret_in(&events, &report, GL_TRIGGER);
}

#[test]
fn gitlab_with_only_an_access_token_creates_the_pipeline_through_the_pipeline_api() {
    let gl = Gitlab::start(GL, GL_TRIGGER);
    let (report, _, _s) = run(&gitlab_plan(&gl.url(), false, json!({})));
    assert_eq!(report.exit_code(), 0, "{report:?}");
    assert!(gl
        .server
        .hits("POST", "/api/v4/projects/group%2Fapp/trigger/pipeline")
        .is_empty());
    let st = gl.state.lock().unwrap();
    assert_eq!(
        st.created,
        [("api".to_string(), json!({"VERSION": "2.5.0"}))]
    );
}

#[test]
fn the_old_single_secret_gitlab_setup_fails_with_gitlabs_own_words() {
    // One secret that is a trigger token, used as the access token: GitLab
    // refuses it on its API, and the step says what GitLab said.
    let gl = Gitlab::start(GL, GL_TRIGGER);
    let mut p = gitlab_plan(&gl.url(), false, json!({}));
    with_secret(&mut p, "env:FT_GL_TRIGGER_AS_API");
    let (report, _, _s) = run(&p);
    assert_eq!(report.exit_code(), 4, "{report:?}");
    assert!(
        reason(&report).contains("401 Unauthorized"),
        "{}",
        reason(&report)
    );
}

#[test]
fn a_manual_gitlab_pipeline_waits_naming_its_page_then_is_cancelled_at_the_deadline() {
    let gl = Gitlab::start(GL, GL_TRIGGER);
    gl.state.lock().unwrap().statuses = vec!["created".into(), "manual".into()];
    let (report, events, s) = run(&gitlab_plan(&gl.url(), true, json!({ "timeout_s": 3 })));
    assert_eq!(report.exit_code(), 4, "{report:?}");
    let page = "https://gitlab.example.com/group/app/-/pipelines/4711";
    assert!(format!("{events:?}").contains(&format!("waits for a manual job: start it at {page}")));
    let why = reason(&report);
    assert!(why.contains("timeout") && why.contains(page), "{why}");
    assert_eq!(gl.state.lock().unwrap().cancels, [4711]);
    assert!(
        audit(&s, &report)
            .iter()
            .any(|n| n
                .contains("pipeline 4711 cancel requested; it ended: pipeline 4711 is canceled"))
    );
}

#[test]
fn a_slow_gitlab_is_waited_for() {
    let gl = Gitlab::start(GL, GL_TRIGGER);
    gl.server.answer(
        "GET",
        "/api/v4/projects/group%2Fapp/pipelines/4711",
        fakes::Answer::json(200, json!({"id": 4711, "status": "success"}))
            .slow(std::time::Duration::from_millis(400)),
    );
    let (report, _, _s) = run(&gitlab_plan(&gl.url(), true, json!({})));
    assert_eq!(report.exit_code(), 0, "{report:?}");
}

// ---- Jenkins ------------------------------------------------------------------

fn jenkins_plan(base: &str, deploy: Value) -> flotilla::plan::Plan {
    let d = merged(
        json!({ "parameters": { "VERSION": "2.5.0" }, "interval_s": 1, "timeout_s": 20 }),
        deploy,
    );
    plan(
        json!({ "kind": "jenkins", "base_url": base, "job": "deploy",
                "auth": { "scheme": "basic", "username": "ci", "secret": "env:FT_JK_TOKEN" } }),
        d,
        json!([{ "kind": "verify_failed" }]),
    )
}

#[test]
fn jenkins_is_followed_by_build_number_on_base_url_whatever_its_root_url() {
    let jk = Jenkins::start("ci", JK);
    // Jenkins' configured root URL names a host this machine cannot reach.
    jk.state.lock().unwrap().root_url = "https://jenkins.internal.example/".into();
    let (report, events, _s) = run(&jenkins_plan(&jk.url(), json!({})));
    assert_eq!(report.exit_code(), 0, "{report:?}");
    let b = jk.server.hits("POST", "/job/deploy/buildWithParameters");
    assert_eq!(b.len(), 1);
    assert_eq!(b[0].form("VERSION").as_deref(), Some("2.5.0"));
    assert_eq!(jk.server.hits("GET", "/queue/item/3/api/json").len(), 2);
    assert_eq!(jk.server.hits("GET", "/job/deploy/5/api/json").len(), 2);
    let r = report.steps[0].provider_ref.as_ref().unwrap();
    assert_eq!(r["queue_id"], 3);
    assert_eq!(r["build_number"], 5);
    no_secret_in(&events, &report, JK);
}

#[test]
fn a_forgotten_jenkins_queue_item_is_found_among_the_jobs_builds() {
    let jk = Jenkins::start("ci", JK);
    jk.state.lock().unwrap().expire_left = true;
    let (report, _, _s) = run(&jenkins_plan(&jk.url(), json!({})));
    assert_eq!(report.exit_code(), 0, "{report:?}");
    assert_eq!(jk.server.hits("GET", "/job/deploy/api/json").len(), 1);
    assert_eq!(
        report.steps[0].provider_ref.as_ref().unwrap()["build_number"],
        5
    );
}

#[test]
fn jenkins_with_a_password_gets_a_crumb_and_its_session_then_builds() {
    let jk = Jenkins::start("ci", JK);
    jk.state.lock().unwrap().password = Some(JK_PASSWORD.into());
    let mut p = jenkins_plan(&jk.url(), json!({}));
    with_secret(&mut p, "env:FT_JK_PASSWORD");
    let (report, _, s) = run(&p);
    assert_eq!(report.exit_code(), 0, "{report:?}");
    assert_eq!(jk.state.lock().unwrap().crumb_refusals, 1);
    let posts = jk.server.hits("POST", "/job/deploy/buildWithParameters");
    assert_eq!(posts.len(), 2, "refused once, then sent with the crumb");
    assert!(posts[1].header("jenkins-crumb").is_some());
    assert!(posts[1]
        .header("cookie")
        .unwrap_or("")
        .contains("JSESSIONID"));
    assert_eq!(jk.state.lock().unwrap().triggers.len(), 1, "one build");
    assert!(audit(&s, &report).iter().any(|n| n.contains("CSRF crumb")));
}

#[test]
fn a_jenkins_build_at_its_timeout_is_stopped_and_a_queued_one_cancelled() {
    let jk = Jenkins::start("ci", JK);
    jk.state.lock().unwrap().hold = true;
    let (report, _, _s) = run(&jenkins_plan(&jk.url(), json!({ "timeout_s": 3 })));
    assert_eq!(report.exit_code(), 4, "{report:?}");
    assert_eq!(jk.state.lock().unwrap().stops, [5]);

    let jk = Jenkins::start("ci", JK);
    jk.state.lock().unwrap().queue_polls = 1000;
    let (report, _, _s) = run(&jenkins_plan(&jk.url(), json!({ "timeout_s": 3 })));
    assert_eq!(report.exit_code(), 4, "{report:?}");
    assert_eq!(jk.state.lock().unwrap().cancelled_items, [3]);
    assert!(jk.state.lock().unwrap().builds.is_empty());
}

#[test]
fn a_huge_jenkins_answer_is_refused() {
    let jk = Jenkins::start("ci", JK);
    jk.server.answer(
        "GET",
        "/queue/item/3/api/json",
        fakes::Answer::huge(2 * 1024 * 1024),
    );
    let (report, _, _s) = run(&jenkins_plan(&jk.url(), json!({})));
    assert_ne!(report.exit_code(), 0);
    assert!(reason(&report).contains("larger than"));
}

// ---- Argo CD ------------------------------------------------------------------

fn argo_plan(base: &str, deploy: Value) -> flotilla::plan::Plan {
    let d = merged(
        json!({ "revision": "v2.5.0", "interval_s": 1, "timeout_s": 20 }),
        deploy,
    );
    plan(
        json!({ "kind": "argocd", "base_url": base, "app": "shop",
                "auth": { "scheme": "bearer", "secret": "env:FT_ARGO_TOKEN" } }),
        d,
        json!([{ "kind": "verify_failed" }]),
    )
}

#[test]
fn argocd_is_done_only_once_the_sync_finished_and_the_app_is_reconciled_synced_and_healthy() {
    let argo = Argo::start(ARGO);
    argo.state.lock().unwrap().stale_polls = 2;
    let (report, events, _s) = run(&argo_plan(&argo.url(), json!({})));
    assert_eq!(report.exit_code(), 0, "{report:?}");
    let sync = argo.server.hits("POST", "/api/v1/applications/shop/sync");
    assert_eq!(sync.len(), 1);
    assert_eq!(sync[0].json()["revision"], "v2.5.0");
    assert_eq!(
        report.steps[0].provider_ref.as_ref().unwrap()["previous_id"],
        3
    );
    // prepare, 2 running, 1 finished + 2 stale, then reconciled.
    assert!(argo.server.hits("GET", "/api/v1/applications/shop").len() >= 6);
    assert!(format!("{events:?}").contains("waiting for Argo CD to reconcile"));
    no_secret_in(&events, &report, ARGO);
}

#[test]
fn a_stale_healthy_argocd_app_is_not_believed_degraded_after_the_reconcile_rolls_back() {
    // Right after the sync the app still shows Healthy (from before); once
    // reconciled it is Degraded: the step fails, and Argo CD's own rollback
    // is awaited to its end.
    let argo = Argo::start(ARGO);
    argo.state.lock().unwrap().settle_health = "Degraded".into();
    let (report, _, _s) = run(&argo_plan(&argo.url(), json!({})));
    assert_eq!(report.exit_code(), 3, "{report:?}");
    assert_eq!(report.steps[0].state, "rolled_back");
    let st = argo.state.lock().unwrap();
    assert_eq!(
        st.rollbacks,
        [json!({"id": 3, "prune": false, "dryRun": false})]
    );
    let op = st.op.as_ref().unwrap();
    assert_eq!(op.kind, "rollback");
    assert_eq!(
        op.phase, "Succeeded",
        "rolled back means the rollback finished"
    );
    assert!(op.finished_at.is_some());
}

#[test]
fn argocd_auto_sync_refuses_the_run_at_pre_flight_unless_the_deploy_rolls_back_its_own_way() {
    let argo = Argo::start(ARGO);
    argo.state.lock().unwrap().auto_sync = true;
    // A revision: Argo CD would refuse the sync.
    let (r, _, _s) = try_run(&argo_plan(&argo.url(), json!({})), Abort::new());
    let e = r.expect_err("refused before the run").to_string();
    assert!(e.contains("auto-sync") && e.contains("v2.5.0"), "{e}");
    // No revision, no rollback action: Argo CD would refuse the rollback.
    let mut p = argo_plan(&argo.url(), json!({}));
    p.releases[0].components[0]
        .deploy
        .as_mut()
        .unwrap()
        .revision = None;
    let (r, _, _s) = try_run(&p, Abort::new());
    let e = r.expect_err("refused before the run").to_string();
    assert!(e.contains("refuses a rollback"), "{e}");
    assert!(
        argo.state.lock().unwrap().syncs.is_empty(),
        "nothing synced"
    );
    // With its own rollback action it runs.
    p.releases[0].components[0]
        .deploy
        .as_mut()
        .unwrap()
        .rollback = Some(
        serde_json::from_value(
            json!({"method": "POST", "path": "/api/v1/applications/shop/rollback"}),
        )
        .unwrap(),
    );
    let (report, _, _s) = run(&p);
    assert_eq!(report.exit_code(), 0, "{report:?}");
}

#[test]
fn an_abort_during_an_argocd_sync_terminates_it_before_rolling_back() {
    let argo = Argo::start(ARGO);
    argo.state.lock().unwrap().hold = true;
    let abort = Abort::new();
    let a = abort.clone();
    let st = argo.state.clone();
    let t = std::thread::spawn(move || {
        for _ in 0..500 {
            if !st.lock().unwrap().syncs.is_empty() {
                std::thread::sleep(std::time::Duration::from_millis(300));
                a.abort("stop the release");
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    });
    let (r, _, s) = try_run(&argo_plan(&argo.url(), json!({})), abort);
    t.join().unwrap();
    let report = r.unwrap();
    assert_eq!(report.exit_code(), 3, "{report:?}");
    let st = argo.state.lock().unwrap();
    assert_eq!(st.terminations, 1);
    // Argo CD refuses a rollback while an operation runs: it was terminated first.
    assert_eq!(st.rollbacks.len(), 1);
    assert_eq!(st.op.as_ref().unwrap().kind, "rollback");
    assert!(audit(&s, &report)
        .iter()
        .any(|n| n.contains("cancelled on the service: the operation on shop was terminated")));
}

#[test]
fn a_hanging_argocd_sync_fails_and_is_rolled_back_to_the_noted_deployment() {
    let argo = Argo::start(ARGO);
    argo.server.answer(
        "POST",
        "/api/v1/applications/shop/sync",
        fakes::Answer::hang(),
    );
    let mut p = argo_plan(&argo.url(), json!({}));
    p.endpoints.get_mut("svc").unwrap().timeout_s = Some(1);
    let (report, _, _s) = run(&p);
    assert_eq!(report.exit_code(), 3, "{report:?}");
    assert!(reason(&report).contains("timed out"));
    assert_eq!(report.steps[0].state, "rolled_back");
    assert_eq!(
        argo.state.lock().unwrap().rollbacks,
        [json!({"id": 3, "prune": false, "dryRun": false})]
    );
}

// ---- the runbook for people states what runs ----------------------------------

#[test]
fn the_markdown_runbook_prints_the_timing_and_cancel_the_executor_uses() {
    let gh = Github::start(GH);
    let p = github_plan(&gh.url(), json!({ "interval_s": 7, "timeout_s": 900 }));
    let rb = compile_plan(&p, "r1").unwrap();
    let md = flotilla::runbook::runbook_markdown(&rb);
    assert!(md.contains("every 7 s, timeout 900 s"), "{md}");
    assert!(
        md.contains("on a timeout or an abort it is cancelled"),
        "{md}"
    );
    let gl = gitlab_plan("https://gitlab.example.com", true, json!({}));
    let md = flotilla::runbook::runbook_markdown(&compile_plan(&gl, "r1").unwrap());
    assert!(
        md.contains("trigger (trigger token)") && md.contains("every 1 s, timeout 20 s"),
        "{md}"
    );
}
