//! The plan's domain types, exactly the shape of the plan file (spec/plan-format.md).
//!
//! Field order here is the key order of the canonical file: do not reorder fields.

use chrono::{Datelike, NaiveDate, Weekday};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// The value of `format` in every plan file.
pub const PLAN_FORMAT: &str = "flotilla.plan";
/// The only plan file version this build reads and writes.
pub const PLAN_VERSION: u32 = 1;

/// A whole plan file: workspace-wide teams, endpoints and calendar, plus releases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Always `flotilla.plan`.
    #[schemars(extend("const" = "flotilla.plan"))]
    pub format: String,
    /// Always `1`.
    #[schemars(extend("const" = 1))]
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<Calendar>,
    pub teams: Vec<Team>,
    #[serde(
        default,
        skip_serializing_if = "IndexMap::is_empty",
        deserialize_with = "unique_map"
    )]
    pub endpoints: IndexMap<String, Endpoint>,
    pub releases: Vec<Release>,
}

impl Plan {
    /// An empty plan with the right header.
    pub fn empty() -> Plan {
        Plan {
            format: PLAN_FORMAT.to_string(),
            version: PLAN_VERSION,
            calendar: None,
            teams: Vec::new(),
            endpoints: IndexMap::new(),
            releases: Vec::new(),
        }
    }

    pub fn release(&self, key: &str) -> Option<&Release> {
        self.releases.iter().find(|r| r.key == key)
    }

    pub fn team(&self, key: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.key == key)
    }

    /// The calendar in force: the plan's, or Monday to Friday with no holidays.
    pub fn effective_calendar(&self) -> Calendar {
        self.calendar.clone().unwrap_or_default()
    }
}

/// Working days and holidays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    #[serde(default = "default_workdays")]
    pub workdays: Vec<Day>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<Date>,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            workdays: default_workdays(),
            holidays: Vec::new(),
        }
    }
}

fn default_workdays() -> Vec<Day> {
    vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri]
}

/// A day of the week, as written in `calendar.workdays`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    pub fn weekday(self) -> Weekday {
        match self {
            Day::Mon => Weekday::Mon,
            Day::Tue => Weekday::Tue,
            Day::Wed => Weekday::Wed,
            Day::Thu => Weekday::Thu,
            Day::Fri => Weekday::Fri,
            Day::Sat => Weekday::Sat,
            Day::Sun => Weekday::Sun,
        }
    }
}

/// A team that contributes components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    #[schemars(extend("pattern" = "^[a-z0-9][a-z0-9._-]{0,63}$"))]
    pub key: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contacts: Option<Contacts>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<Contact>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<Contact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// Where deployments are triggered or metrics are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndpointKind {
    Webhook,
    GithubActions,
    Gitlab,
    Jenkins,
    Argocd,
    Prometheus,
}

impl EndpointKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EndpointKind::Webhook => "webhook",
            EndpointKind::GithubActions => "github_actions",
            EndpointKind::Gitlab => "gitlab",
            EndpointKind::Jenkins => "jenkins",
            EndpointKind::Argocd => "argocd",
            EndpointKind::Prometheus => "prometheus",
        }
    }
}

/// A configured deployment or metrics endpoint.
///
/// Kind-specific fields: `repo` (github_actions, `owner/name`), `project_id`
/// (gitlab, numeric id or `group/project`), `trigger_token` (gitlab, a pipeline
/// trigger token's reference), `job` (jenkins, default job), `app` (argocd,
/// default application). Each is accepted only on its own kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    pub kind: EndpointKind,
    pub base_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<Auth>,
    /// Allow plain `http` to a host that is not loopback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_http: Option<bool>,
    /// Timeout of every call to this endpoint, in seconds (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_s: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// GitLab: where the pipeline trigger token is (`env:NAME` or
    /// `keyring:NAME`). With it, pipelines are started with the trigger token
    /// and read and cancelled with `auth` (an access token with `read_api`, or
    /// `api` to cancel); without it, `auth` (an access token with `api`)
    /// starts them through the pipeline API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("pattern" = "^(env|keyring):[A-Za-z0-9_./-]{1,128}$"))]
    pub trigger_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthScheme {
    Bearer,
    Basic,
    Header,
}

/// How to authenticate; `secret` is a reference, never a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    pub scheme: AuthScheme,
    /// `env:NAME` or `keyring:NAME`.
    #[schemars(extend("pattern" = "^(env|keyring):[A-Za-z0-9_./-]{1,128}$"))]
    pub secret: String,
    /// With `scheme: header`: the header's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// With `scheme: basic`: the user name (the secret is the password or token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// Status shared by releases and components: the board's six columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Planning,
    InDevelopment,
    Testing,
    Staging,
    Ready,
    Released,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Planning,
        Status::InDevelopment,
        Status::Testing,
        Status::Staging,
        Status::Ready,
        Status::Released,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planning => "planning",
            Status::InDevelopment => "in_development",
            Status::Testing => "testing",
            Status::Staging => "staging",
            Status::Ready => "ready",
            Status::Released => "released",
        }
    }

    /// The board column's title, as in the seeds.
    pub fn title(self) -> &'static str {
        match self {
            Status::Planning => "Planning",
            Status::InDevelopment => "In Development",
            Status::Testing => "Testing",
            Status::Staging => "Staging",
            Status::Ready => "Ready for Release",
            Status::Released => "Released",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    BlueGreen,
    Canary,
    Rolling,
    BigBang,
}

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::BlueGreen => "blue_green",
            Strategy::Canary => "canary",
            Strategy::Rolling => "rolling",
            Strategy::BigBang => "big_bang",
        }
    }
}

/// A release epic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Release {
    #[schemars(extend("pattern" = "^[a-z0-9][a-z0-9._-]{0,63}$"))]
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub status: Status,
    pub start: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_freeze: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_freeze: Option<Date>,
    pub release_date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
    pub components: Vec<Component>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Dependency>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checklist: Vec<ChecklistItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rollback_triggers: Vec<RollbackTrigger>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deploy_schedule: Option<DeploySchedule>,
    /// Who is told what while the runbook runs (docs/notifications.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comms: Option<crate::plan::Comms>,
    /// The release's own lines of the release notes (each component has
    /// its own too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<crate::plan::Note>,
    /// The team's answers to the post-release review's questions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retrospective: Vec<crate::plan::Answer>,
}

impl Release {
    pub fn component(&self, key: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.key == key)
    }
}

/// One team's piece of a release.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Component {
    #[schemars(extend("pattern" = "^[a-z0-9][a-z0-9._-]{0,63}$"))]
    pub key: String,
    pub title: String,
    pub team: String,
    #[serde(default)]
    pub status: Status,
    /// Working days, at least 1.
    #[schemars(range(min = 1, max = 3650))]
    pub duration_days: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eta: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_on: Option<Date>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub updates: Vec<StatusUpdate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deploy: Option<Box<Deploy>>,
    /// What this component changes for users, as lines of the release notes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<crate::plan::Note>,
}

/// A dated line in a component's status log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusUpdate {
    pub date: Date,
    pub text: String,
}

/// How release day deploys a component.
///
/// `trigger`/`status`/`rollback` are plain HTTP calls for a `webhook` endpoint.
/// Kind-specific fields: github_actions `workflow`, `ref`, `inputs`,
/// `correlation_input`; gitlab `ref`, `variables`; jenkins `job`, `parameters`;
/// argocd `app`, `revision`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deploy {
    pub endpoint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<HttpCall>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusPoll>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verify: Vec<VerifyCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback: Option<HttpCall>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub git_ref: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<serde_json::Map<String, serde_json::Value>>,
    /// GitHub Actions: a `workflow_dispatch` input the workflow accepts and
    /// shows in its `run-name`; the run is sent its idempotency key there, so
    /// that when GitHub answers a dispatch without the run's id (GitHub
    /// Enterprise Server) the run is found by that key among the workflow's runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_input: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variables: Option<IndexMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<IndexMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// GitHub Actions, GitLab, Jenkins, Argo CD: seconds between two polls
    /// (default 5; a webhook's is `status.interval_s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_s: Option<u32>,
    /// GitHub Actions, GitLab, Jenkins, Argo CD: seconds until a deployment
    /// still running fails and is cancelled (default 1800; a webhook's is
    /// `status.timeout_s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_s: Option<u32>,
    /// How many minutes the deployment usually takes, verification included:
    /// the runbook's expected duration and the messages' expected end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1440))]
    pub expected_minutes: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum HttpMethod {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "PATCH")]
    Patch,
    #[serde(rename = "DELETE")]
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// An HTTP call to `base_url + path`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HttpCall {
    pub method: HttpMethod,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
}

impl Endpoint {
    /// The timeout of a call when the endpoint sets none, in seconds.
    pub const DEFAULT_TIMEOUT_S: u32 = 30;

    /// The timeout of every call to this endpoint, in seconds.
    pub fn timeout_s(&self) -> u32 {
        self.timeout_s.unwrap_or(Endpoint::DEFAULT_TIMEOUT_S)
    }

    /// Every secret reference the endpoint's calls use: `auth.secret`, and
    /// GitLab's `trigger_token`.
    pub fn secret_refs(&self) -> impl Iterator<Item = &str> {
        self.auth
            .as_ref()
            .map(|a| a.secret.as_str())
            .into_iter()
            .chain(self.trigger_token.as_deref())
    }

    /// `base_url` joined with `path` by exactly one `/`: the URL every call
    /// (and every line of the human runbook) uses.
    pub fn url(&self, path: &str) -> String {
        join_url(&self.base_url, path)
    }
}

/// `base` and `path` joined by exactly one `/`.
pub fn join_url(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

impl Deploy {
    /// Seconds between two polls of the deployment: the webhook's
    /// `status.interval_s`, the other kinds' `interval_s`, else the default.
    pub fn poll_interval_s(&self) -> u32 {
        match &self.status {
            Some(s) => s.interval_s(),
            None => self.interval_s.unwrap_or(StatusPoll::DEFAULT_INTERVAL_S),
        }
    }

    /// Seconds until a deployment still running counts as failed (and is
    /// cancelled where the service can cancel it).
    pub fn poll_timeout_s(&self) -> u32 {
        match &self.status {
            Some(s) => s.timeout_s(),
            None => self.timeout_s.unwrap_or(StatusPoll::DEFAULT_TIMEOUT_S),
        }
    }
}

/// How to poll a webhook deployment until it is done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusPoll {
    pub path: String,
    pub field: String,
    pub success: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failure: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_s: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_s: Option<u32>,
}

impl StatusPoll {
    pub const DEFAULT_INTERVAL_S: u32 = 5;
    pub const DEFAULT_TIMEOUT_S: u32 = 1800;

    /// Seconds between two polls.
    pub fn interval_s(&self) -> u32 {
        self.interval_s.unwrap_or(StatusPoll::DEFAULT_INTERVAL_S)
    }

    /// Seconds until a deployment still running counts as failed.
    pub fn timeout_s(&self) -> u32 {
        self.timeout_s.unwrap_or(StatusPoll::DEFAULT_TIMEOUT_S)
    }
}

/// A health check after a component is deployed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyCheck {
    /// Defaults to the deploy's endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_s: Option<u32>,
}

impl VerifyCheck {
    pub const DEFAULT_STATUS: u16 = 200;

    /// The status the check expects.
    pub fn expect_status(&self) -> u16 {
        self.expect_status.unwrap_or(VerifyCheck::DEFAULT_STATUS)
    }

    /// The endpoint the check calls: its own, else the deploy's.
    pub fn endpoint_or<'a>(&'a self, deploy_endpoint: &'a str) -> &'a str {
        self.endpoint.as_deref().unwrap_or(deploy_endpoint)
    }

    /// The check's timeout: its own, else that of the endpoint it calls
    /// (`None` when that endpoint is unknown: the endpoint default).
    pub fn timeout_s(&self, endpoint: Option<&Endpoint>) -> u32 {
        self.timeout_s
            .unwrap_or_else(|| endpoint.map_or(Endpoint::DEFAULT_TIMEOUT_S, Endpoint::timeout_s))
    }
}

/// `from` must finish before `to` can start (from blocks to).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    pub from: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needed_by: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buffer_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lag_days: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    ComponentPair,
    Subsystem,
    FullSystem,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::ComponentPair => "component_pair",
            Phase::Subsystem => "subsystem",
            Phase::FullSystem => "full_system",
        }
    }
}

/// An integration milestone: components tested together by a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    #[schemars(extend("pattern" = "^[a-z0-9][a-z0-9._-]{0,63}$"))]
    pub key: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    pub components: Vec<String>,
    pub due: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<Scenario>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub text: String,
    #[serde(default)]
    pub done: bool,
}

/// A pre-release checklist item; a `gate` item blocks the release while open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    #[serde(default)]
    pub done: bool,
    #[serde(default)]
    pub gate: bool,
}

/// What makes release day roll back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RollbackTrigger {
    /// A Prometheus instant query beyond its threshold for `for_s` seconds.
    Metric {
        endpoint: String,
        query: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        above: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        below: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        for_s: Option<u32>,
        /// What an evaluation without a number (an empty result, NaN) means:
        /// `ignore` (the default) or `breach`. Either way it is recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        no_data: Option<NoData>,
    },
    /// A deployment or a verification check failed.
    VerifyFailed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    /// A person decides (P0 bug found, integration failure, ...).
    Manual {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
}

/// What a metric trigger makes of an evaluation without a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoData {
    /// Not a breach (the trigger's `for_s` clock restarts).
    #[default]
    Ignore,
    /// A breach, as if the threshold were crossed.
    Breach,
}

/// Release-day slots, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeploySchedule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    pub slots: Vec<Slot>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    pub team: String,
    /// `HH:MM`, 24-hour.
    #[schemars(extend("pattern" = "^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub at: String,
}

/// A calendar date written strictly as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn ymd(y: i32, m: u32, d: u32) -> Date {
        Date(NaiveDate::from_ymd_opt(y, m, d).expect("valid date"))
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Date, String> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(format!("invalid date \"{s}\": expected YYYY-MM-DD"));
        }
        // The shape is checked: read the digits directly (strftime parsing is
        // most of the cost of reading a large plan's dates).
        let num =
            |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
        NaiveDate::from_ymd_opt(num(0..4) as i32, num(5..7), num(8..10))
            .map(Date)
            .ok_or_else(|| format!("invalid date \"{s}\": no such day"))
    }

    pub fn weekday(self) -> Weekday {
        self.0.weekday()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = (self.0.year(), self.0.month(), self.0.day());
        if !(0..=9999).contains(&y) {
            return write!(f, "{}", self.0.format("%Y-%m-%d"));
        }
        // Written by hand: chrono's strftime dominates writing large plans.
        let digit = |n: u32| b'0' + n as u8;
        let y = y as u32;
        let text = [
            digit(y / 1000),
            digit(y / 100 % 10),
            digit(y / 10 % 10),
            digit(y % 10),
            b'-',
            digit(m / 10),
            digit(m % 10),
            b'-',
            digit(d / 10),
            digit(d % 10),
        ];
        f.write_str(std::str::from_utf8(&text).expect("ASCII digits"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

/// Deserializes a JSON object into an ordered map, refusing a key given twice.
fn unique_map<'de, D, V>(d: D) -> Result<IndexMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Visit<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Visit<V> {
        type Value = IndexMap<String, V>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut m: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = IndexMap::new();
            while let Some(k) = m.next_key::<String>()? {
                if out.contains_key(&k) {
                    return Err(serde::de::Error::custom(format!("duplicate key \"{k}\"")));
                }
                let v = m.next_value()?;
                out.insert(k, v);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Visit(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_and_write_as_chrono_does() {
        let mut d = NaiveDate::from_ymd_opt(0, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        while d <= last {
            let text = d.format("%Y-%m-%d").to_string();
            assert_eq!(Date(d).to_string(), text);
            assert_eq!(Date::parse(&text), Ok(Date(d)));
            d += chrono::Duration::days(if d.year() > 1990 && d.year() < 2110 {
                1
            } else {
                37
            });
        }
        for far in [
            NaiveDate::from_ymd_opt(-1, 3, 4),
            NaiveDate::from_ymd_opt(10_000, 1, 2),
        ] {
            let far = far.unwrap();
            assert_eq!(Date(far).to_string(), far.format("%Y-%m-%d").to_string());
        }
        assert_eq!(
            Date::parse("2025-02-29"),
            Err("invalid date \"2025-02-29\": no such day".into())
        );
        assert_eq!(
            Date::parse("2025-13-01"),
            Err("invalid date \"2025-13-01\": no such day".into())
        );
        assert_eq!(
            Date::parse("2025-1-01"),
            Err("invalid date \"2025-1-01\": expected YYYY-MM-DD".into())
        );
        assert_eq!(Date::parse("2024-02-29"), Ok(Date::ymd(2024, 2, 29)));
    }
}
