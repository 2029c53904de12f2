//! `flotilla runbook`: compile and export a release-day runbook.

use super::commands::{emit, open_store};
use crate::error::{Code, Result};
use crate::plan::read_plan_file;
use crate::runbook::{compile_plan, export, RunbookFormat, RUNBOOK_FORMATS};
use std::path::PathBuf;

impl clap::ValueEnum for RunbookFormat {
    fn value_variants<'a>() -> &'a [Self] {
        const ALL: [RunbookFormat; RUNBOOK_FORMATS.len()] = {
            let mut all = [RunbookFormat::Json; RUNBOOK_FORMATS.len()];
            let mut i = 0;
            while i < RUNBOOK_FORMATS.len() {
                all[i] = RUNBOOK_FORMATS[i].format;
                i += 1;
            }
            all
        };
        &ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let info = self.info();
        Some(clap::builder::PossibleValue::new(info.name).help(info.help))
    }
}

#[derive(Debug, clap::Args)]
pub struct RunbookArgs {
    /// The release
    #[arg(long, value_name = "KEY")]
    pub release: String,
    /// Work on this plan file directly, without the workspace
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// md and html for people; json for `flotilla run` (with a digest)
    #[arg(long, value_enum)]
    pub format: RunbookFormat,
    /// Write here instead of standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn runbook(db: Option<PathBuf>, args: RunbookArgs) -> Result<()> {
    let plan = match &args.plan {
        Some(path) => read_plan_file(path)?,
        None => open_store(db)?.load_plan(Some(&args.release))?,
    };
    let rb = compile_plan(&plan, &args.release)?;
    emit(args.output, &export(&rb, args.format))
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The runbook (JSON, from `flotilla runbook --format json`)
    pub runbook: PathBuf,
    /// Print every call in order, secrets as ***, and call nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask before the first trigger
    #[arg(long)]
    pub yes: bool,
    /// Continue a run that stopped (a crash, a kill): triggered steps are polled, never triggered again
    #[arg(long, value_name = "RUN_ID")]
    pub resume: Option<String>,
    /// Start although pre-flight items are open (recorded in the audit trail)
    #[arg(long)]
    pub force: bool,
    /// Print the final run record as JSON on stdout
    #[arg(long)]
    pub json: bool,
    /// Steps of a wave running at once
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub parallel: usize,
    /// Seconds to watch the metric triggers after the last step [default: their largest for_s]
    #[arg(long, value_name = "SECONDS")]
    pub watch: Option<u64>,
}

#[derive(Debug, clap::Args)]
pub struct RunsArgs {
    /// One run (or `latest`): its steps (or, with --audit, its audit trail)
    pub run: Option<String>,
    /// Print the run's audit trail and verify its hash chain
    #[arg(long, requires = "run")]
    pub audit: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct RehearsalTargetArgs {
    /// Where the webhook target listens (loopback only)
    #[arg(long, default_value = "127.0.0.1:8787", value_name = "IP:PORT")]
    pub listen: String,
    /// Where the Prometheus stand-in listens (loopback only)
    #[arg(long, default_value = "127.0.0.1:9091", value_name = "IP:PORT")]
    pub metrics: String,
    /// Stop after this many seconds (or on Ctrl+C)
    #[arg(long = "for", default_value_t = 600, value_name = "SECONDS")]
    pub for_s: u64,
    /// Status polls answered `running` after each trigger, before `succeeded`
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub running_polls: u32,
}

/// `flotilla rehearsal-target`: a local stand-in for the sample plan's deploy
/// target and Prometheus, for rehearsing a runbook on one machine.
pub fn rehearsal_target(args: RehearsalTargetArgs) -> Result<()> {
    let t =
        crate::exec::start_rehearsal_target(&args.listen, Some(&args.metrics), args.running_polls)
            .map_err(|e| crate::Error::invalid(Code::BadValue, "--listen", e.to_string()))?;
    eprintln!(
        "rehearsal target: webhook on http://{}, prometheus on http://{} (for {} s; Ctrl+C stops)",
        t.deploy,
        t.metrics.map(|m| m.to_string()).unwrap_or_default(),
        args.for_s
    );
    t.wait(std::time::Duration::from_secs(args.for_s));
    Ok(())
}

/// `flotilla run`: returns the exit code (0, 1, 2, 3, 4 of spec/cli.md).
pub fn run_command(db: Option<PathBuf>, args: RunArgs) -> i32 {
    match run_runbook(db, args) {
        Ok(code) => code,
        Err(e) => super::report(&e),
    }
}

fn run_runbook(db: Option<PathBuf>, args: RunArgs) -> Result<i32> {
    use crate::exec::{self, check_preflight, check_runbook, Abort, RunOptions};
    use crate::runbook::read_runbook_file;
    use std::io::{BufRead, Write};
    use std::sync::Arc;

    let rb = read_runbook_file(&args.runbook)?;
    if args.dry_run {
        emit(None, &exec::dry_run_text(&rb))?;
        return Ok(0);
    }
    check_runbook(&rb)?;
    if args.resume.is_none() {
        check_preflight(&rb, args.force)?;
    }
    if !args.yes && args.resume.is_none() {
        let deploys = rb
            .steps()
            .filter(|s| s.action == crate::runbook::StepAction::Deploy)
            .count();
        eprint!(
            "Run the {} runbook: {deploys} deployment(s) in {} wave(s)? Type yes to start: ",
            rb.release.key,
            rb.waves.len()
        );
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line).unwrap_or(0) == 0 {
            eprintln!("\nnot started: no answer (use --yes to run without asking)");
            return Ok(1);
        }
        if !matches!(line.trim(), "y" | "yes") {
            eprintln!("not started");
            return Ok(1);
        }
    }
    let db = db.unwrap_or_else(crate::store::default_db_path);
    let mut opts = RunOptions::new(db);
    opts.resume = args.resume.clone();
    opts.force = args.force;
    opts.max_parallel = args.parallel.max(1);
    opts.watch = args.watch.map(std::time::Duration::from_secs);

    let events: exec::EventSink = Arc::new(print_event);
    let abort = Abort::new();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::Error::Run(format!("cannot start the runtime: {e}")))?;
    let report = rt.block_on(async {
        // The handler is in place before the first trigger can be sent.
        let mut interrupts = Interrupts::listen()?;
        let ctrl_c = {
            let abort = abort.clone();
            tokio::spawn(async move {
                if interrupts.next().await {
                    eprintln!("\nCtrl+C: stopping; triggered steps are rolled back");
                    abort.abort("aborted with Ctrl+C");
                    // Later Ctrl+Cs must not kill a rollback halfway.
                    while interrupts.next().await {
                        eprintln!("rolling back; wait for it to finish");
                    }
                }
            })
        };
        let r = exec::run(rb, opts, events, abort).await;
        ctrl_c.abort();
        r
    })?;
    if args.json {
        emit(
            None,
            &format!(
                "{}\n",
                serde_json::to_string_pretty(&report).expect("a report serializes")
            ),
        )?;
    }
    if let Some(m) = &report.messages {
        eprintln!(
            "messages: {} sent, {} refused{}",
            m.sent,
            m.failed,
            match m.unsent {
                0 => String::new(),
                n => format!("; {n} wait in the outbox: `flotilla outbox send` sends them"),
            }
        );
    }
    if report.exit_code() == 4 {
        for s in &report.steps {
            if s.state.needs_attention() {
                if let Some(m) = &s.message {
                    eprintln!("needs a person: {}: {m}", s.step_id);
                }
            }
        }
    }
    Ok(report.exit_code())
}

/// Ctrl+C, listened for from the moment it is created.
struct Interrupts {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
}

impl Interrupts {
    fn listen() -> Result<Interrupts> {
        #[cfg(unix)]
        {
            let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())
                .map_err(|e| crate::Error::Run(format!("cannot listen for Ctrl+C: {e}")))?;
            Ok(Interrupts { signal })
        }
        #[cfg(not(unix))]
        Ok(Interrupts {})
    }

    async fn next(&mut self) -> bool {
        #[cfg(unix)]
        {
            self.signal.recv().await.is_some()
        }
        #[cfg(not(unix))]
        {
            tokio::signal::ctrl_c().await.is_ok()
        }
    }
}

/// Progress on stderr, as it happens.
fn print_event(e: crate::exec::RunEvent) {
    use crate::exec::RunEvent as E;
    match e {
        E::Started {
            run_id,
            release,
            total,
            resumed,
            forced,
        } => eprintln!(
            "{} run {run_id} of {release}: {total} steps{}",
            if resumed { "resuming" } else { "starting" },
            if forced {
                " (--force: pre-flight items open)"
            } else {
                ""
            }
        ),
        E::Wave { number, steps } => eprintln!("wave {number}: {steps} step(s)"),
        E::Step {
            step,
            state,
            message,
            done,
            total,
            ..
        } => match message {
            Some(m) => eprintln!("[{done:>3}/{total}] {step}: {state}: {m}"),
            None => eprintln!("[{done:>3}/{total}] {step}: {state}"),
        },
        E::Call {
            step,
            method,
            url,
            status,
            error,
            ms,
        } => {
            let bad = error.is_some() || status.is_some_and(|s| s >= 400);
            if bad {
                eprintln!(
                    "      {} {method} {url}: {} ({ms} ms)",
                    step.as_deref().unwrap_or("-"),
                    error.unwrap_or_else(|| format!("answered {}", status.unwrap_or(0)))
                );
            }
        }
        E::Metric {
            query,
            value,
            breached,
        } => {
            if breached {
                eprintln!(
                    "metric over its threshold: {query} = {}",
                    value.map_or("-".into(), |v| v.to_string())
                );
            }
        }
        E::Watch { seconds } => {
            eprintln!("all steps done; watching the metric triggers for {seconds} s")
        }
        E::Stopping { reason, rollback } => eprintln!(
            "STOP: {reason}{}",
            if rollback {
                "; rolling back every triggered step in reverse order of completion"
            } else {
                "; no rollback trigger for this: halting"
            }
        ),
        E::Finished {
            run_id,
            state,
            exit_code,
            ..
        } => eprintln!("run {run_id}: {state} (exit code {exit_code})"),
    }
}

/// `writeln!` into a String (cannot fail).
macro_rules! outln {
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

/// `flotilla runs [RUN_ID] [--audit]`.
pub fn runs(db: Option<PathBuf>, mut args: RunsArgs) -> Result<()> {
    let store = open_store(db)?;
    let mut out = String::new();
    if args.run.as_deref() == Some("latest") {
        let newest = store
            .runs()?
            .into_iter()
            .next()
            .ok_or(crate::Error::NotFound {
                what: "run",
                key: "latest".into(),
            })?;
        args.run = Some(newest.id);
    }
    let json = |v: &dyn erased::Json| -> Result<()> { emit(None, &v.text()) };
    match (&args.run, args.audit) {
        (None, _) => {
            let runs = store.runs()?;
            if args.json {
                return json(&runs);
            }
            if runs.is_empty() {
                outln!(
                    out,
                    "no runs yet; start one with `flotilla run RUNBOOK.json`"
                );
                return emit(None, &out);
            }
            outln!(
                out,
                "{:<26} {:<20} {:>4} {:<14} {:<24} BY",
                "RUN",
                "STATE",
                "EXIT",
                "RELEASE",
                "STARTED"
            );
            for r in runs {
                outln!(
                    out,
                    "{:<26} {:<20} {:>4} {:<14} {:<24} {}{}",
                    r.id,
                    r.state,
                    r.exit_code.map_or("-".into(), |c| c.to_string()),
                    r.release_key,
                    r.started_at,
                    r.actor,
                    if r.forced { " (forced)" } else { "" }
                );
            }
            emit(None, &out)
        }
        (Some(id), false) => {
            let run = store.run(id)?;
            let steps = store.run_steps(id)?;
            if args.json {
                return json(&crate::exec::RunReport {
                    run,
                    steps,
                    messages: None,
                });
            }
            outln!(
                out,
                "run {} of {} by {}: {} (exit code {}), started {}{}",
                run.id,
                run.release_key,
                run.actor,
                run.state,
                run.exit_code.map_or("-".into(), |c| c.to_string()),
                run.started_at,
                if run.forced { ", forced" } else { "" }
            );
            if let Some(r) = &run.reason {
                outln!(out, "stopped by: {r}");
            }
            for s in steps {
                outln!(
                    out,
                    "  wave {:<2} {:<24} {:<16} {}",
                    s.wave,
                    s.step_id,
                    s.state,
                    s.message.unwrap_or_default()
                );
            }
            emit(None, &out)
        }
        (Some(id), true) => {
            store.run(id)?;
            let records = store.run_audit(id)?;
            let check = crate::store::verify_chain(id, &records);
            if args.json {
                json(&serde_json::json!({ "records": records, "check": check }))?;
            } else {
                for r in &records {
                    outln!(
                        out,
                        "{:>4} {} {} {:<18} {:<6} {} {} {}{}",
                        r.seq,
                        r.at,
                        r.actor,
                        r.step.as_deref().unwrap_or("-"),
                        r.method,
                        r.url,
                        r.status.map_or("-".into(), |s| s.to_string()),
                        if r.kind == "call" {
                            format!("{} ms", r.duration_ms)
                        } else {
                            String::new()
                        },
                        r.note
                            .as_deref()
                            .map(|n| format!(" {n}"))
                            .unwrap_or_default()
                    );
                }
                emit(None, &out)?;
            }
            match check.broken_at {
                None => {
                    eprintln!("audit chain intact: {} records", check.records);
                    Ok(())
                }
                Some(seq) => Err(crate::Error::Workspace(format!(
                    "the audit chain of run {id} is broken at record {seq}: the trail was altered"
                ))),
            }
        }
    }
}

mod erased {
    /// Anything printed as pretty JSON.
    pub trait Json {
        fn text(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn text(&self) -> String {
            let mut s = serde_json::to_string_pretty(self).expect("serializes");
            s.push('\n');
            s
        }
    }
}
