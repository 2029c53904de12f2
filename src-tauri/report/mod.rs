//! The reports drafted from the workspace: for the weeks before release day,
//! the weekly release sync (the seeds' agenda: dependency status, timeline,
//! integration, risks, plus what changed since the last sync) and each team's
//! daily async update (done, in progress, waiting for, might slip); for
//! release day, the release notes (`notes.rs`); after it, the post-release
//! review (`review.rs`, on the plan rebuilt as of a day by `as_of.rs`) and,
//! over every release, the delivery metrics (`metrics.rs`).
//!
//! How it works: the release is scheduled as of `today` (`schedule::analyze`),
//! and the history (`Store::history`) gives what changed since `since`: ETAs
//! moved (with who and when), components and dependencies added or removed,
//! status changes. A risk is *new* when what it hangs on changed since then (an
//! ETA moved, a dependency or component added): the history records edits,
//! not past schedules. Each report is a value (`Weekly`, `Daily`) that the
//! renderers write as Markdown or HTML and the CLI as JSON.
//!
//! Owns: choosing and wording what a report says. Must not touch: Tauri, the
//! terminal, SQL (it reads through `store`), the network.

mod as_of;
mod metrics;
mod metrics_render;
mod notes;
mod render;
mod review;
mod review_render;

pub use as_of::{release_as_of, AsOf};
pub use metrics::{metrics, Definition, Figures, Metrics, Quarter, ReleaseFacts, DEFINITIONS};
pub use notes::{notes, notes_of, NoteLine, NoteSection, NoteSource, ReleaseNotes};
pub use render::{
    daily_fragment, daily_html, daily_markdown, metrics_fragment, metrics_html, metrics_markdown,
    notes_fragment, notes_html, notes_markdown, review_fragment, review_html, review_markdown,
    weekly_fragment, weekly_html, weekly_markdown,
};
pub use review::{
    review, review_of, run_review, Answered, BufferUse, ChecklistReview, ComponentReview, Delay,
    Delays, FreezeReview, MilestoneReview, QuestionGroup, Review, RunReview, SlipPoint, SlipSeries,
    Surprise, WaveReview, QUESTIONS,
};

use crate::error::Result;
use crate::plan::{Date, Release, Status};
use crate::schedule::{analyze, RiskState};
use crate::store::{Change, Store};
use serde::Serialize;

/// How many history rows a report reads at most (newest first).
const HISTORY_ROWS: usize = 100_000;

/// The weekly release sync of one release.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Weekly {
    pub release: String,
    pub name: String,
    pub today: Date,
    /// What changed is counted from this day on (inclusive).
    pub since: Date,
    pub release_date: Date,
    pub feature_freeze: Option<Date>,
    pub code_freeze: Option<Date>,
    pub plan_finish: Option<Date>,
    /// Working days from the plan's finish to the release date (negative: late).
    pub release_slack: Option<i64>,
    pub critical_path: Vec<String>,
    /// Dependency status: late ("blocked") and at-risk dependencies.
    pub blocked: Vec<DependencyLine>,
    pub at_risk: Vec<DependencyLine>,
    /// Timeline: milestones and freeze breaches.
    pub milestones: Vec<MilestoneLine>,
    pub freeze_breaches: Vec<FreezeLine>,
    /// What changed since `since`, from the history.
    pub eta_moves: Vec<EtaMove>,
    pub added: Vec<ScopeChange>,
    pub removed: Vec<ScopeChange>,
    pub status_changes: Vec<StatusChange>,
    /// Risks (the agenda's fourth item): late or at-risk dependencies, freeze
    /// breaches and a late finish, each marked new when what it hangs on
    /// changed since `since`.
    pub risks: Vec<Risk>,
}

/// A dependency that is late or at risk.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DependencyLine {
    pub from: String,
    pub from_team: String,
    pub to: String,
    pub to_team: String,
    pub state: RiskState,
    pub needed_by: Option<Date>,
    /// When `from` is expected to finish.
    pub from_finish: Date,
    /// Working days from that finish to `needed_by` (negative: late).
    pub slack_days: Option<i64>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct MilestoneLine {
    pub key: String,
    pub name: String,
    pub due: Date,
    pub state: RiskState,
    pub finish: Option<Date>,
    pub slack_days: Option<i64>,
    pub scenarios: Vec<ScenarioLine>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ScenarioLine {
    pub text: String,
    pub done: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FreezeLine {
    pub component: String,
    pub team: String,
    /// `feature_freeze` or `code_freeze`.
    pub kind: String,
    pub date: Date,
    pub by_days: i64,
}

/// An ETA that moved, as the history recorded it.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EtaMove {
    pub component: String,
    pub team: Option<String>,
    pub old: Option<Date>,
    pub new: Option<Date>,
    /// Calendar days later (negative: earlier); null when one side is unset.
    pub by_days: Option<i64>,
    pub actor: String,
    /// When, as the history has it (RFC 3339, UTC).
    pub at: String,
}

/// A component or dependency added to or removed from the release.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ScopeChange {
    /// `component` or `dependency`.
    pub entity: String,
    pub key: String,
    pub actor: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StatusChange {
    pub component: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub actor: String,
    pub at: String,
}

/// Something that may make the release late.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Risk {
    pub text: String,
    pub state: RiskState,
    /// What it hangs on changed since the report's `since`.
    pub new: bool,
}

/// One team's daily async update, in the seeds' format.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Daily {
    pub release: String,
    pub team: String,
    pub team_name: String,
    pub date: Date,
    pub lines: Vec<DailyLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DailyLine {
    pub mark: Mark,
    pub text: String,
}

/// The seeds' markers: ✅ done, 🔄 in progress, ⏳ waiting for, 🚨 might slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Done,
    Progress,
    Waiting,
    Risk,
}

impl Mark {
    pub fn emoji(self) -> &'static str {
        match self {
            Mark::Done => "✅",
            Mark::Progress => "🔄",
            Mark::Waiting => "⏳",
            Mark::Risk => "🚨",
        }
    }
}

/// The default start of "what changed": a week before `today`.
pub fn default_since(today: Date) -> Date {
    Date(today.0 - chrono::Days::new(7))
}

/// Where the days of a release's last two weekly reports are kept
/// (`last`, then `previous`, in the workspace's settings).
fn weekly_keys(release: &str) -> (String, String) {
    (
        format!("report.weekly.last:{release}"),
        format!("report.weekly.previous:{release}"),
    )
}

/// The start of "what changed since the last sync" for a weekly report made
/// on `today`: the day of the last weekly report of `release` made before
/// today (the one before it when the last was today), else a week before.
pub fn weekly_since(store: &Store, release: &str, today: Date) -> Result<Date> {
    let (last, previous) = weekly_keys(release);
    let day = |key: &str| -> Result<Option<Date>> {
        Ok(store
            .setting(key)?
            .and_then(|v| Date::parse(&v).ok())
            .filter(|d| *d < today))
    };
    Ok(match day(&last)? {
        Some(d) => d,
        None => day(&previous)?.unwrap_or_else(|| default_since(today)),
    })
}

/// Records that the weekly report of `release` was made on `today` (a
/// second one the same day changes nothing).
pub fn record_weekly(store: &Store, release: &str, today: Date) -> Result<()> {
    let (last, previous) = weekly_keys(release);
    let was = store.setting(&last)?;
    if was.as_deref() == Some(today.to_string().as_str()) {
        return Ok(());
    }
    if let Some(w) = was {
        store.set_setting(&previous, &w)?;
    }
    store.set_setting(&last, &today.to_string())
}

/// A date in the history's JSON (`"2025-02-03"`), or none.
fn history_date(value: &Option<String>) -> Option<Date> {
    let v = value.as_deref()?;
    let text: String = serde_json::from_str(v).ok()?;
    Date::parse(&text).ok()
}

fn history_text(value: &Option<String>) -> Option<String> {
    let v = value.as_deref()?;
    Some(serde_json::from_str::<String>(v).unwrap_or_else(|_| v.to_string()))
}

/// The history of `release` from `since` on, oldest first.
fn changes_since(store: &Store, release: &str, since: Date) -> Result<Vec<Change>> {
    let from = since.to_string();
    let mut rows: Vec<Change> = store
        .history(Some(release), None, HISTORY_ROWS)?
        .into_iter()
        .filter(|c| c.at.as_str() >= from.as_str())
        .collect();
    rows.reverse();
    Ok(rows)
}

fn team_of(release: &Release, key: &str) -> Option<String> {
    release.component(key).map(|c| c.team.clone())
}

/// The weekly release sync of `release` as of `today`, with what changed
/// from `since` on.
pub fn weekly(store: &Store, release: &str, today: Date, since: Date) -> Result<Weekly> {
    let r = store.load_release(release)?;
    let calendar = store.workspace()?.calendar.unwrap_or_default();
    let a = analyze(&calendar, &r, today)?;
    let finish_of = |key: &str| {
        a.components
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.ef)
            .unwrap_or(r.release_date)
    };
    let team = |key: &str| team_of(&r, key).unwrap_or_default();

    let mut blocked = Vec::new();
    let mut at_risk = Vec::new();
    for d in &a.dependencies {
        let line = DependencyLine {
            from: d.from.to_string(),
            from_team: team(d.from),
            to: d.to.to_string(),
            to_team: team(d.to),
            state: d.state,
            needed_by: d.needed_by,
            from_finish: finish_of(d.from),
            slack_days: d.slack_days,
        };
        match d.state {
            RiskState::Late => blocked.push(line),
            RiskState::AtRisk => at_risk.push(line),
            RiskState::Ok => {}
        }
    }
    let milestones = r
        .milestones
        .iter()
        .zip(&a.milestones)
        .map(|(m, risk)| MilestoneLine {
            key: m.key.clone(),
            name: m.name.clone(),
            due: m.due,
            state: risk.state,
            finish: risk.finish,
            slack_days: risk.slack_days,
            scenarios: m
                .scenarios
                .iter()
                .map(|s| ScenarioLine {
                    text: s.text.clone(),
                    done: s.done,
                })
                .collect(),
        })
        .collect();
    let freeze_breaches = a
        .freeze
        .iter()
        .map(|f| FreezeLine {
            component: f.component.to_string(),
            team: team(f.component),
            kind: f.kind.as_str().to_string(),
            date: f.date,
            by_days: f.by_days,
        })
        .collect();

    let mut eta_moves = Vec::new();
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut status_changes = Vec::new();
    for c in changes_since(store, release, since)? {
        let entity_is_scope = c.entity == "component" || c.entity == "dependency";
        match (c.field.as_deref(), c.entity.as_str()) {
            (Some("eta"), "component") => {
                let (old, new) = (history_date(&c.old), history_date(&c.new));
                eta_moves.push(EtaMove {
                    team: team_of(&r, &c.key),
                    component: c.key,
                    by_days: old.zip(new).map(|(o, n)| (n.0 - o.0).num_days()),
                    old,
                    new,
                    actor: c.actor,
                    at: c.at,
                });
            }
            (Some("status"), "component") => status_changes.push(StatusChange {
                old: history_text(&c.old),
                new: history_text(&c.new),
                component: c.key,
                actor: c.actor,
                at: c.at,
            }),
            (None, _) if entity_is_scope => {
                let change = ScopeChange {
                    entity: c.entity.clone(),
                    key: c.key.clone(),
                    actor: c.actor.clone(),
                    at: c.at.clone(),
                };
                match (c.old.is_some(), c.new.is_some()) {
                    (false, true) => added.push(change),
                    (true, false) => removed.push(change),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    // What a risk hangs on: its components, and for a dependency the
    // dependency itself; new when one of them moved or was added.
    let changed = |key: &str| {
        eta_moves.iter().any(|m| m.component == key)
            || added.iter().any(|s| s.key == key)
            || status_changes.iter().any(|s| s.component == key)
    };
    let mut risks = Vec::new();
    for d in blocked.iter().chain(&at_risk) {
        let key = format!("{}->{}", d.from, d.to);
        let slack = d.slack_days.unwrap_or(0);
        let text = match d.state {
            RiskState::Late => format!(
                "{} ({}) needs {} ({}) by {}; it finishes {}, {} working day{} late",
                d.to,
                d.to_team,
                d.from,
                d.from_team,
                d.needed_by.map(|x| x.to_string()).unwrap_or_default(),
                d.from_finish,
                -slack,
                plural(-slack)
            ),
            _ => format!(
                "{} ({}) finishes {}, {} working day{} before {} ({}) needs it",
                d.from,
                d.from_team,
                d.from_finish,
                slack,
                plural(slack),
                d.to,
                d.to_team
            ),
        };
        risks.push(Risk {
            text,
            state: d.state,
            new: changed(&d.from) || changed(&d.to) || changed(&key),
        });
    }
    for f in a.freeze.iter() {
        risks.push(Risk {
            text: format!(
                "{} ({}) finishes {} working day{} after the {} ({})",
                f.component,
                team(f.component),
                f.by_days,
                plural(f.by_days),
                f.kind.as_str().replace('_', " "),
                f.date
            ),
            state: RiskState::Late,
            new: changed(f.component),
        });
    }
    if let Some(slack) = a.release_slack.filter(|s| *s < 0) {
        risks.push(Risk {
            text: format!(
                "the plan finishes {} working day{} after the release date",
                -slack,
                plural(-slack)
            ),
            state: RiskState::Late,
            new: a.critical_path.iter().any(|k| changed(k)),
        });
    }

    Ok(Weekly {
        release: r.key.clone(),
        name: r.name.clone(),
        today,
        since,
        release_date: r.release_date,
        feature_freeze: r.feature_freeze,
        code_freeze: r.code_freeze,
        plan_finish: a.plan_finish,
        release_slack: a.release_slack,
        critical_path: a.critical_path.iter().map(|k| k.to_string()).collect(),
        blocked,
        at_risk,
        milestones,
        freeze_breaches,
        eta_moves,
        added,
        removed,
        status_changes,
        risks,
    })
}

fn plural(n: i64) -> &'static str {
    if n == 1 || n == -1 {
        ""
    } else {
        "s"
    }
}

/// `team`'s daily async update for `release` on `today`: what it finished in
/// the last week, what is in progress (with its latest status update), what
/// it waits for from other teams, and what might slip.
pub fn daily(store: &Store, release: &str, team: &str, today: Date) -> Result<Daily> {
    let r = store.load_release(release)?;
    let ws = store.workspace()?;
    let team_name = ws
        .teams
        .iter()
        .find(|t| t.key == team)
        .map(|t| t.name.clone())
        .ok_or_else(|| crate::error::Error::NotFound {
            what: "team",
            key: team.to_string(),
        })?;
    let calendar = ws.calendar.unwrap_or_default();
    let a = analyze(&calendar, &r, today)?;
    let week_ago = default_since(today);
    let title = |key: &str| {
        r.component(key)
            .map(|c| c.title.clone())
            .unwrap_or_else(|| key.to_string())
    };
    let schedule = |key: &str| a.components.iter().find(|c| c.key == key);
    let mut lines = Vec::new();
    let ours: Vec<_> = r.components.iter().filter(|c| c.team == team).collect();
    for c in &ours {
        let done = c.done_on.is_some() || matches!(c.status, Status::Ready | Status::Released);
        let latest = c.updates.iter().max_by_key(|u| u.date);
        if done {
            let when = c.done_on.or(latest.map(|u| u.date));
            if when.is_none_or(|d| d >= week_ago) {
                lines.push(DailyLine {
                    mark: Mark::Done,
                    text: format!("{} complete", c.title),
                });
            }
            continue;
        }
        let finish = schedule(&c.key)
            .map(|s| s.ef.to_string())
            .unwrap_or_default();
        let text = match latest {
            Some(u) => format!("{}: {} (ETA {finish})", c.title, u.text),
            None => format!(
                "{}: {} (ETA {finish})",
                c.title,
                c.status.as_str().replace('_', " ")
            ),
        };
        lines.push(DailyLine {
            mark: Mark::Progress,
            text,
        });
    }
    for d in &a.dependencies {
        let (Some(to), Some(from)) = (r.component(d.to), r.component(d.from)) else {
            continue;
        };
        let from_done =
            from.done_on.is_some() || matches!(from.status, Status::Ready | Status::Released);
        if to.team == team && from.team != team && !from_done {
            let finish = schedule(d.from)
                .map(|s| s.ef.to_string())
                .unwrap_or_default();
            lines.push(DailyLine {
                mark: Mark::Waiting,
                text: format!(
                    "Waiting for {} ({}) for {}, expected {finish}",
                    from.title, from.team, to.title
                ),
            });
            if d.state != RiskState::Ok {
                let slack = d.slack_days.unwrap_or(0);
                let text = if d.state == RiskState::Late {
                    format!(
                        "{} needs {} by {}, {} working day{} before it is expected",
                        to.title,
                        from.title,
                        d.needed_by.map(|x| x.to_string()).unwrap_or_default(),
                        -slack,
                        plural(-slack)
                    )
                } else {
                    format!(
                        "Might need extra days if {} is delayed: {} working day{} of slack",
                        from.title,
                        slack,
                        plural(slack)
                    )
                };
                lines.push(DailyLine {
                    mark: Mark::Risk,
                    text,
                });
            }
        }
        if from.team == team && to.team != team && d.state == RiskState::Late {
            lines.push(DailyLine {
                mark: Mark::Risk,
                text: format!(
                    "{} ({}) waits for {}: {} working day{} late",
                    to.title,
                    to.team,
                    from.title,
                    -d.slack_days.unwrap_or(0),
                    plural(-d.slack_days.unwrap_or(0))
                ),
            });
        }
    }
    for f in &a.freeze {
        if ours.iter().any(|c| c.key == f.component) {
            lines.push(DailyLine {
                mark: Mark::Risk,
                text: format!(
                    "{} finishes {} working day{} after the {}",
                    title(f.component),
                    f.by_days,
                    plural(f.by_days),
                    f.kind.as_str().replace('_', " ")
                ),
            });
        }
    }
    // Done first, then in progress, waiting for, might slip (stable within each).
    lines.sort_by_key(|l| l.mark as u8);
    Ok(Daily {
        release: r.key.clone(),
        team: team.to_string(),
        team_name,
        date: today,
        lines,
    })
}
