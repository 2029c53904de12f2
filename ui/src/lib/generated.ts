// Generated from the Rust types by src-tauri/desktop/ts_types.rs: do not edit.
// `FLOTILLA_WRITE_TS=1 cargo test --lib ts_types` rewrites it; a test fails when it is stale.

/** The schedule of one release. */
export interface Analysis {
  /** The release's key. */
  release: string;
  /** The day "in the past" was judged by (milestones). */
  today: IsoDate;
  /** The release's own dates, as given. */
  start: IsoDate;
  feature_freeze: IsoDate | null;
  code_freeze: IsoDate | null;
  release_date: IsoDate;
  /** PF: the largest earliest finish; `null` for a release without components. */
  plan_finish: IsoDate | null;
  /**
   * Working days from `plan_finish` to `release_date` (negative: the plan
   * finishes after the release date).
   */
  release_slack: number | null;
  /** How many of each finding, for lists and badges. */
  counts: Counts;
  /** One critical path, first component first (see docs/scheduling.md). */
  critical_path: string[];
  components: ComponentSchedule[];
  dependencies: DependencySchedule[];
  milestones: MilestoneRisk[];
  /** Freeze breaches, by component (plan order), feature freeze first. */
  freeze: FreezeBreach[];
  /** Deployment waves in order; each in deployment order (slot, then key). */
  waves: string[][];
}

/** The team's answer to one question of the post-release review. */
export interface Answer {
  /** The question as the review asks it (its identity when merging). */
  question: string;
  answer: string;
}

export interface Answered {
  question: string;
  answer: string | null;
}

/** One audience: who they are, where they read, what they want to hear. */
export interface Audience {
  key: string;
  name: string;
  /**
   * A team of the plan: its primary and backup contacts' addresses join
   * the recipients of the audience's email channels.
   */
  team?: string | null;
  /** Channel keys. */
  channels: string[];
  /** The events this audience is told of. */
  events: NotifyEvent[];
}

/** The result of checking a run's audit chain. */
export interface AuditCheck {
  records: number;
  /** The first record whose hash or link does not match, if any. */
  broken_at: number | null;
}

/** One record of the audit trail: a call, or an event of the run. */
export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  step: string | null;
  /** `call` or `event`. */
  kind: string;
  method: string;
  /** Secrets masked. */
  url: string;
  status: number | null;
  duration_ms: number;
  note: string | null;
  prev_hash: string;
  hash: string;
}

/** How to authenticate; `secret` is a reference, never a value. */
export interface Auth {
  scheme: AuthScheme;
  /** `env:NAME` or `keyring:NAME`. */
  secret: string;
  /** With `scheme: header`: the header's name. */
  header?: string | null;
  /** With `scheme: basic`: the user name (the secret is the password or token). */
  username?: string | null;
}

export type AuthScheme = "bearer" | "basic" | "header";

export interface BufferUse {
  from: string;
  to: string;
  needed_by: IsoDate;
  buffer_days: number;
  planned_slack: number | null;
  actual_slack: number | null;
  /** Buffer days eaten (0 to `buffer_days`). */
  used_days: number;
  /** Working days past `needed_by` (the buffer was too small by this much). */
  overrun_days: number;
  too_small: boolean;
}

/** Working days and holidays. */
export interface Calendar {
  workdays: Day[];
  holidays?: IsoDate[];
}

/** One row of the change history. */
export interface Change {
  id: number;
  batch: number;
  at: string;
  actor: string;
  /** `edit`, `undo`, `redo` or `import`. */
  kind: string;
  release: string | null;
  entity: string;
  key: string;
  field: string | null;
  old: string | null;
  new: string | null;
}

/**
 * One channel. HTTP kinds take `url` or `url_secret` (a Slack, Teams or
 * Mattermost webhook URL is itself a credential: keep it as a secret
 * reference); `email` takes the `smtp_*` fields, `from` and `to`.
 */
export interface Channel {
  kind: ChannelKind;
  url?: string | null;
  /** Where the URL is kept: `env:NAME` or `keyring:NAME`. */
  url_secret?: string | null;
  /** Allow plain `http` to a host that is not loopback. */
  allow_http?: boolean | null;
  smtp_host?: string | null;
  /** Default 587 (`starttls`), 465 (`tls`) or 25 (`none`). */
  smtp_port?: number | null;
  smtp_tls?: SmtpTls | null;
  /** The SMTP user; with it, `smtp_password` is required. */
  smtp_user?: string | null;
  /** Where the SMTP password is kept: `env:NAME` or `keyring:NAME`. */
  smtp_password?: string | null;
  from?: string | null;
  /**
   * Recipients of every message on this channel (an audience's team adds
   * its contacts' addresses).
   */
  to?: string[];
  /** Seconds before a send is given up and retried later (default 15). */
  timeout_s?: number | null;
}

/** The kinds of channel a message can go out on. */
export type ChannelKind = "slack" | "teams" | "mattermost" | "webhook" | "email";

/** A checklist item field that can be set. */
export type ChecklistField = "text" | "owner" | "due" | "done" | "gate";

/** A pre-release checklist item; a `gate` item blocks the release while open. */
export interface ChecklistItem {
  text: string;
  owner?: string | null;
  due?: IsoDate | null;
  done: boolean;
  gate: boolean;
}

export interface ChecklistReview {
  text: string;
  owner: string | null;
  gate: boolean;
  /** Done at the end of release day. */
  done_on_release_day: boolean;
  done_now: boolean;
}

/** A stable, machine-readable error code, serialised by its snake_case name. */
export type Code = "bad_date" | "bad_time" | "bad_key" | "bad_url" | "bad_secret_name" | "empty_secret" | "bad_reference" | "bad_version" | "bad_format" | "bad_field" | "bad_edit" | "bad_path" | "bad_runbook" | "bad_packet" | "missing_value" | "duplicate_key" | "unknown_reference" | "not_owned" | "missing_release" | "wrong_release" | "release_required" | "no_release" | "not_linked" | "not_synced" | "not_a_repository" | "digest_mismatch" | "run_in_progress" | "run_finished" | "insecure_endpoint" | "not_found" | "exists" | "io" | "database" | "syntax" | "unknown_field" | "missing_field" | "bad_value" | "out_of_range" | "insecure_url" | "bad_secret" | "encoding" | "cycle" | "in_use" | "runbook_changed" | "secret_unavailable" | "preflight_open" | "metric_query" | "service_refuses" | "workspace" | "run" | "desktop";

/** Who is told what while the release's runbook runs. */
export interface Comms {
  /** Where messages go, by key. */
  channels: Record<string, Channel>;
  /** Who hears about which events, through which channels. */
  audiences: Audience[];
  /** The wording of each event's message, replacing the built-in one. */
  templates?: Templates;
}

/** One team's piece of a release. */
export interface Component {
  key: string;
  title: string;
  team: string;
  status: Status;
  /** Working days, at least 1. */
  duration_days: number;
  start?: IsoDate | null;
  eta?: IsoDate | null;
  done_on?: IsoDate | null;
  labels?: string[];
  updates?: StatusUpdate[];
  deploy?: Deploy | null;
  /** What this component changes for users, as lines of the release notes. */
  notes?: Note[];
}

/** A component field that can be set. */
export type ComponentField = "title" | "team" | "status" | "duration_days" | "start" | "eta" | "done_on" | "labels" | "deploy" | "notes";

export interface ComponentMove {
  key: string;
  team: string;
  es_before: IsoDate;
  es_after: IsoDate;
  ef_before: IsoDate;
  ef_after: IsoDate;
  /** Working days ES and EF moved (positive: later). */
  start_moved_by: number;
  finish_moved_by: number;
  float_before: number;
  float_after: number;
  critical_before: boolean;
  critical_after: boolean;
}

export interface ComponentReview {
  key: string;
  title: string;
  team: string;
  /** The baseline's start and finish; none for a component added after it. */
  planned_start: IsoDate | null;
  planned: IsoDate | null;
  actual_start: IsoDate;
  actual: IsoDate;
  done: boolean;
  /** Working days from planned to actual (negative: early). */
  slip_days: number | null;
  critical: boolean;
}

/** One component's dates (all working days) and float. */
export interface ComponentSchedule {
  key: string;
  team: string;
  /**
   * Earliest start and finish (forward pass), latest start and finish
   * (backward pass); finishes are inclusive.
   */
  es: IsoDate;
  ef: IsoDate;
  ls: IsoDate;
  lf: IsoDate;
  /** Working days from ES to LS; 0 on the critical path. */
  total_float: number;
  critical: boolean;
  /**
   * Working days from EF to the code freeze (or the release date without
   * one); negative when the component finishes after it.
   */
  deadline_slack: number;
  /** Working days from ES to EF, both included. */
  duration: number;
  /** The planned `duration_days`. */
  duration_days: number;
  /** Finished: EF is its `done_on`. */
  done: boolean;
  /** The eta is before ES: EF comes from the duration instead. */
  eta_inconsistent: boolean;
  /** The deployment wave, from 1. */
  wave: number;
}

/**
 * One field (or entity) changed differently on both sides, or deleted on one
 * side and edited on the other. `None` (JSON `null`) means absent on that side.
 */
export interface Conflict {
  /** Where: `releases["q1"].components["api"].eta` (see docs/merge.md). */
  path: string;
  base: unknown;
  ours: unknown;
  theirs: unknown;
}

/** What a connection test found. */
export interface ConnectionTest {
  /** The call as made, secrets shown as `***`. */
  call: string;
  /** The HTTP status, when an answer came. */
  status: number | null;
  /** A 2xx answer. */
  ok: boolean;
  /** One line on what came back (a name, a version), or why it failed. */
  summary: string;
}

export interface Contact {
  name: string;
  handle?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface Contacts {
  primary?: Contact | null;
  backup?: Contact | null;
}

/** Totals over an [`Analysis`]. */
export interface Counts {
  components: number;
  critical: number;
  /** Late dependencies plus late milestones. */
  late: number;
  /** At-risk dependencies plus at-risk milestones. */
  at_risk: number;
  dependencies_late: number;
  dependencies_at_risk: number;
  milestones_late: number;
  milestones_at_risk: number;
  /** Components finishing after the code freeze. */
  code_freeze_breaches: number;
  /** Components finishing after the feature freeze. */
  past_feature_freeze: number;
  /** Components whose eta is before their earliest start. */
  eta_inconsistent: number;
}

export interface CsvColumn {
  field: CsvField;
  column: string;
}

/** The component fields a column can be mapped to. */
export type CsvField = "title" | "key" | "team" | "duration" | "start" | "eta" | "status" | "blocked_by";

/** What the file would add, and what is wrong with it. */
export interface CsvPreview {
  headers: string[];
  /** The mapping used: each field and its column (unmapped fields left out). */
  mapping: CsvColumn[];
  components: Component[];
  /** The spreadsheet row each component comes from (the header is row 1). */
  rows: number[];
  dependencies: Dependency[];
  /** Every fault, by row and column; nothing is stored while there are any. */
  problems: CsvProblem[];
}

export interface CsvProblem {
  /** The spreadsheet row (the header is row 1); `null` for the file as a whole. */
  row: number | null;
  /** The column's header, when one column is at fault. */
  column: string | null;
  code: Code;
  message: string;
}

export type IsoDate = string;

/** A day of the week, as written in `calendar.workdays`. */
export type Day = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

export interface Definition {
  figure: string;
  how: string;
}

export interface Delay {
  component: string;
  team: string;
  /** Working days the release finished later because of this component. */
  days_lost: number;
  /** Added after the baseline (its whole length is the delay). */
  added_after_baseline: boolean;
  eta_changes: EtaMove[];
}

/** `from` must finish before `to` can start (from blocks to). */
export interface Dependency {
  from: string;
  to: string;
  needed_by?: IsoDate | null;
  buffer_days?: number | null;
  lag_days?: number | null;
}

export interface DependencyChange {
  from: string;
  to: string;
  state_before: RiskState;
  state_after: RiskState;
  /** Working days from EF(from) to `needed_by`. */
  slack_before: number | null;
  slack_after: number | null;
}

/** A dependency field that can be set. */
export type DependencyField = "needed_by" | "buffer_days" | "lag_days";

/** One dependency, `from` blocks `to`. */
export interface DependencySchedule {
  from: string;
  to: string;
  state: RiskState;
  needed_by: IsoDate | null;
  buffer_days: number;
  lag_days: number;
  /** Working days from EF(from) to `needed_by` (negative: late by that many). */
  slack_days: number | null;
  /** Both ends critical and this dependency fixes `to`'s start. */
  critical: boolean;
}

/**
 * How release day deploys a component.
 *
 * `trigger`/`status`/`rollback` are plain HTTP calls for a `webhook` endpoint.
 * Kind-specific fields: github_actions `workflow`, `ref`, `inputs`,
 * `correlation_input`; gitlab `ref`, `variables`; jenkins `job`, `parameters`;
 * argocd `app`, `revision`.
 */
export interface Deploy {
  endpoint: string;
  trigger?: HttpCall | null;
  status?: StatusPoll | null;
  verify?: VerifyCheck[];
  rollback?: HttpCall | null;
  workflow?: string | null;
  ref?: string | null;
  inputs?: Record<string, unknown> | null;
  /**
   * GitHub Actions: a `workflow_dispatch` input the workflow accepts and
   * shows in its `run-name`; the run is sent its idempotency key there, so
   * that when GitHub answers a dispatch without the run's id (GitHub
   * Enterprise Server) the run is found by that key among the workflow's runs.
   */
  correlation_input?: string | null;
  variables?: Record<string, string> | null;
  job?: string | null;
  parameters?: Record<string, string> | null;
  app?: string | null;
  revision?: string | null;
  /**
   * GitHub Actions, GitLab, Jenkins, Argo CD: seconds between two polls
   * (default 5; a webhook's is `status.interval_s`).
   */
  interval_s?: number | null;
  /**
   * GitHub Actions, GitLab, Jenkins, Argo CD: seconds until a deployment
   * still running fails and is cancelled (default 1800; a webhook's is
   * `status.timeout_s`).
   */
  timeout_s?: number | null;
  /**
   * How many minutes the deployment usually takes, verification included:
   * the runbook's expected duration and the messages' expected end.
   */
  expected_minutes?: number | null;
}

/** Release-day slots, in order. */
export interface DeploySchedule {
  date?: IsoDate | null;
  slots: Slot[];
}

/**
 * Structured facts about a problem, for the UI to show without reading the
 * message's text.
 */
export type Detail = {
  kind: "cycle";
  keys: string[];
};

/** One difference between two versions of a plan. */
export interface Difference {
  path: string;
  /** `None`: added. */
  old: unknown;
  /** `None`: removed. */
  new: unknown;
}

/** A draft of the weeks before release day as the Reports tab shows it. */
export interface DraftPage {
  html: string;
  /** The same as Markdown, to copy into the sync's thread or wiki. */
  markdown: string;
}

/**
 * One edit, as the UI and the CLI send it. Values are written as in the plan
 * file; `null` clears an optional field. `index` places an added item (at the
 * end when absent).
 */
export type Edit = {
  op: "set_component";
  release: string;
  component: string;
  field: ComponentField;
  value: unknown;
} | {
  op: "add_component";
  release: string;
  component: Component;
  index?: number | null;
} | {
  op: "remove_component";
  release: string;
  component: string;
} | {
  op: "rename_component";
  release: string;
  from: string;
  to: string;
} | {
  op: "put_milestone";
  release: string;
  milestone: Milestone;
  index?: number | null;
} | {
  op: "remove_milestone";
  release: string;
  milestone: string;
} | {
  op: "set_release";
  release: string;
  field: ReleaseField;
  value: unknown;
} | {
  op: "archive_release";
  release: string;
  archived: boolean;
} | {
  op: "create_release";
  release: Release;
  archived: boolean;
} | {
  op: "delete_release";
  release: string;
} | {
  op: "add_status_update";
  release: string;
  component: string;
  date: IsoDate;
  text: string;
  index?: number | null;
} | {
  op: "remove_status_update";
  release: string;
  component: string;
  index: number;
} | {
  op: "add_dependency";
  release: string;
  dependency: Dependency;
  index?: number | null;
} | {
  op: "remove_dependency";
  release: string;
  from: string;
  to: string;
} | {
  op: "set_dependency";
  release: string;
  from: string;
  to: string;
  field: DependencyField;
  value: unknown;
} | {
  op: "set_scenario";
  release: string;
  milestone: string;
  index: number;
  done: boolean;
} | {
  op: "add_checklist_item";
  release: string;
  item: ChecklistItem;
  index?: number | null;
} | {
  op: "remove_checklist_item";
  release: string;
  index: number;
} | {
  op: "set_checklist_item";
  release: string;
  index: number;
  field: ChecklistField;
  value: unknown;
} | {
  op: "batch";
  release: string;
  edits: Edit[];
} | {
  op: "put_team";
  team: Team;
  index?: number | null;
} | {
  op: "remove_team";
  team: string;
} | {
  op: "put_endpoint";
  name: string;
  endpoint: Endpoint;
  index?: number | null;
} | {
  op: "remove_endpoint";
  name: string;
} | {
  op: "set_calendar";
  calendar: Calendar | null;
};

/**
 * A configured deployment or metrics endpoint.
 *
 * Kind-specific fields: `repo` (github_actions, `owner/name`), `project_id`
 * (gitlab, numeric id or `group/project`), `trigger_token` (gitlab, a pipeline
 * trigger token's reference), `job` (jenkins, default job), `app` (argocd,
 * default application). Each is accepted only on its own kind.
 */
export interface Endpoint {
  kind: EndpointKind;
  base_url: string;
  auth?: Auth | null;
  /** Allow plain `http` to a host that is not loopback. */
  allow_http?: boolean | null;
  /** Timeout of every call to this endpoint, in seconds (default 30). */
  timeout_s?: number | null;
  repo?: string | null;
  project_id?: string | null;
  /**
   * GitLab: where the pipeline trigger token is (`env:NAME` or
   * `keyring:NAME`). With it, pipelines are started with the trigger token
   * and read and cancelled with `auth` (an access token with `read_api`, or
   * `api` to cancel); without it, `auth` (an access token with `api`)
   * starts them through the pipeline API.
   */
  trigger_token?: string | null;
  job?: string | null;
  app?: string | null;
}

/** Where deployments are triggered or metrics are read. */
export type EndpointKind = "webhook" | "github_actions" | "gitlab" | "jenkins" | "argocd" | "prometheus";

/**
 * What a desktop command rejects with: the first problem's code, message,
 * path and detail, plus every problem when there are several.
 */
export interface ErrorPayload {
  code: Code;
  message: string;
  /** Where in the input the fault is (`releases[0].dependencies[3]`), or "". */
  path: string;
  detail: Detail | null;
  problems: Problem[];
}

/** An ETA that moved, as the history recorded it. */
export interface EtaMove {
  component: string;
  team: string | null;
  old: IsoDate | null;
  new: IsoDate | null;
  /** Calendar days later (negative: earlier); null when one side is unset. */
  by_days: number | null;
  actor: string;
  /** When, as the history has it (RFC 3339, UTC). */
  at: string;
}

/** The figures of one span of time. */
export interface Figures {
  deployments: number;
  deployments_per_week: number | null;
  lead_time_days: number | null;
  lead_time_samples: number;
  runs_finished: number;
  runs_failed: number;
  change_failure_rate: number | null;
  time_to_restore_minutes: number | null;
  releases_shipped: number;
  releases_on_time: number;
  schedule_error_days: number | null;
  buffers: number;
  buffers_too_small: number;
  buffer_days_planned: number;
  buffer_days_used: number;
  late_dependencies: number;
}

/** A component finishing after a freeze. */
export interface FreezeBreach {
  component: string;
  kind: FreezeKind;
  /** The freeze date, as given. */
  date: IsoDate;
  /** Working days EF is after the freeze. */
  by_days: number;
}

export interface FreezeChange {
  component: string;
  kind: FreezeKind;
  /** Working days past the freeze; `null` when not past it. */
  by_days_before: number | null;
  by_days_after: number | null;
}

/** Which freeze a component finishes after. */
export type FreezeKind = "feature_freeze" | "code_freeze";

export interface FreezeReview {
  /** `feature_freeze` or `code_freeze`. */
  kind: string;
  date: IsoDate;
  /** Components the baseline already had finishing after it. */
  planned_breaches: string[];
  /** Components that actually finished after it. */
  actual_breaches: string[];
}

/** An HTTP call to `base_url + path`. */
export interface HttpCall {
  method: HttpMethod;
  path: string;
  body?: unknown;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One changed item of an array. */
export interface Item {
  at: number;
  patch: Patch;
}

/** What `link` did. */
export interface LinkReport {
  release: string;
  path: string;
  /** The file did not exist and was written from the workspace. */
  written: boolean;
  /**
   * The file holds exactly the workspace's release: it is the base of the
   * next sync. When false, the first sync has no base (every difference in
   * a field both have is a conflict; entities only one side has are kept).
   */
  same_as_workspace: boolean;
}

export interface Metrics {
  today: IsoDate;
  since: IsoDate | null;
  team: string | null;
  overall: Figures;
  quarters: Quarter[];
  releases: ReleaseFacts[];
  definitions: Definition[];
}

/** The delivery metrics as the Metrics page shows them. */
export interface MetricsPage {
  data: Metrics;
  /** The same as HTML to show in the page. */
  html: string;
}

/** An integration milestone: components tested together by a date. */
export interface Milestone {
  key: string;
  name: string;
  phase?: Phase | null;
  components: string[];
  due: IsoDate;
  environment?: string | null;
  owners?: string[];
  scenarios?: Scenario[];
}

export interface MilestoneChange {
  key: string;
  state_before: RiskState;
  state_after: RiskState;
  finish_before: IsoDate | null;
  finish_after: IsoDate | null;
  /** Working days the milestone's finish moved. */
  moved_by: number;
}

export interface MilestoneReview {
  key: string;
  name: string;
  due: IsoDate;
  planned: IsoDate | null;
  actual: IsoDate | null;
  slip_days: number | null;
  /** The actual finish is on or before the due day. */
  met: boolean | null;
  scenarios_done: number;
  scenarios_total: number;
}

/** One integration milestone. */
export interface MilestoneRisk {
  key: string;
  state: RiskState;
  due: IsoDate;
  /** The largest EF of its components. */
  finish: IsoDate | null;
  /** Working days from `finish` to `due` (negative: finishes after it). */
  slack_days: number | null;
  scenarios_done: number;
  scenarios_total: number;
}

/** What a metric trigger makes of an evaluation without a number. */
export type NoData = "ignore" | "breach";

/** One line of the release notes, written for users (not for developers). */
export interface Note {
  category: NoteCategory;
  /**
   * What users get, in plain language. Within one list of notes the text
   * is the note's identity (for merging), so it is unique there.
   */
  text: string;
}

/** The sections of the release notes, in the order they are written. */
export type NoteCategory = "new" | "enhancement" | "fix" | "breaking" | "known_issue" | "upgrade";

/** One line of the notes and where it comes from. */
export interface NoteLine {
  text: string;
  /** The component's title, for a component's note. */
  component?: string | null;
  source: NoteSource;
}

export interface NoteSection {
  category: NoteCategory;
  heading: string;
  lines: NoteLine[];
}

/** Where a line of the release notes comes from. */
export type NoteSource = "plan" | "gate" | "scenario";

/** The release notes as the Notes tab shows them. */
export interface NotesPage {
  data: ReleaseNotes;
  /** The same as HTML to show in the page. */
  html: string;
}

/** The run events a message can report. */
export type NotifyEvent = "run_started" | "wave_done" | "step_failed" | "rollback_started" | "rollback_finished" | "run_finished";

/** What the person chose for an opened file. */
export type OpenChoice = "import" | "link";

export interface OpenItem {
  text: string;
  owner?: string | null;
  due?: IsoDate | null;
}

export interface OpenMilestone {
  key: string;
  name: string;
  due: IsoDate;
  /** The scenarios not yet done. */
  open_scenarios: string[];
  /** Components not yet done (listed when the milestone has no scenarios). */
  open_components: string[];
}

/** What opening did. */
export interface OpenOutcome {
  choice: OpenChoice;
  /** The releases imported or linked, in the file's order. */
  releases: string[];
  /** With `link`: what linking found. */
  link: LinkReport | null;
}

/** What an opened plan file holds, against the workspace. */
export interface OpenedFile {
  /** The file's full path. */
  path: string;
  releases: OpenedRelease[];
  /**
   * Why the file cannot be linked (linking needs a file of one release),
   * or null when it can.
   */
  link_refused: string | null;
}

/** One release of an opened file. */
export interface OpenedRelease {
  key: string;
  name: string;
  release_date: string;
  components: number;
  /**
   * A release with this key is in the workspace already: importing
   * replaces it.
   */
  in_workspace: boolean;
  /**
   * What importing would change in the workspace's release (empty for a
   * new release, or when both are the same).
   */
  changes: Difference[];
  /** The file the workspace's release is linked to now, if any. */
  linked_to: string | null;
}

/** A message of the outbox as stored. */
export interface OutboxMessage {
  id: number;
  key: string;
  run_id: string | null;
  release_key: string;
  event: string;
  audience: string;
  channel: string;
  kind: string;
  target: unknown;
  subject: string;
  body: string;
  state: OutboxState;
  attempts: number;
  /** When a pending message is next tried (RFC 3339, UTC). */
  next_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** Where a message of the outbox stands. */
export type OutboxState = "sent" | "pending" | "sending" | "failed";

/** How a JSON value becomes the next one. */
export type Patch = {
  op: "set";
  value: unknown;
} | {
  op: "fields";
  fields: Record<string, Patch>;
  removed: string[];
} | {
  op: "items";
  len: number;
  items: Item[];
};

export type Phase = "component_pair" | "subsystem" | "full_system";

/** The plan finish and its position against the release date. */
export interface PlanFinishMove {
  before: IsoDate | null;
  after: IsoDate | null;
  /** Working days the plan finish moved (positive: later). */
  by_days: number;
  release_date: IsoDate;
  /**
   * Working days from the plan finish to the release date (negative: the
   * plan finishes after it), before and after the slip.
   */
  release_slack_before: number | null;
  release_slack_after: number | null;
}

/** What must be done before the first trigger. */
export interface Preflight {
  /** Gate checklist items that are not done. */
  checklist: OpenItem[];
  /** Integration milestones that are not done. */
  milestones: OpenMilestone[];
}

/** A drafted message as it would read. */
export interface Preview {
  event: NotifyEvent;
  subject: string;
  body: string;
}

/** One fault in an input, located by its JSON path (`releases[0].dependencies[3].to`). */
export interface Problem {
  code: Code;
  path: string;
  message: string;
  /** Structured facts, where the code has any (left out when there are none). */
  detail?: Detail | null;
}

/** What a pump did. */
export interface PumpReport {
  sent: number;
  /** Sends that failed and wait for another try. */
  retried: number;
  /** Messages refused for good (or given up). */
  failed: number;
  /** Messages still unsent when the pump stopped. */
  unsent: number;
}

export interface Quarter {
  /** `2025-Q1`. */
  quarter: string;
  figures: Figures;
}

export interface QuestionGroup {
  heading: string;
  questions: Answered[];
}

/** A release epic. */
export interface Release {
  key: string;
  name: string;
  status: Status;
  start: IsoDate;
  feature_freeze?: IsoDate | null;
  code_freeze?: IsoDate | null;
  release_date: IsoDate;
  strategy?: Strategy | null;
  components: Component[];
  dependencies?: Dependency[];
  milestones?: Milestone[];
  checklist?: ChecklistItem[];
  rollback_triggers?: RollbackTrigger[];
  deploy_schedule?: DeploySchedule | null;
  /** Who is told what while the runbook runs (docs/notifications.md). */
  comms?: Comms | null;
  /**
   * The release's own lines of the release notes (each component has
   * its own too).
   */
  notes?: Note[];
  /** The team's answers to the post-release review's questions. */
  retrospective?: Answer[];
}

/** One release's part in the figures. */
export interface ReleaseFacts {
  release: string;
  release_date: IsoDate;
  shipped_on: IsoDate | null;
  schedule_error_days: number | null;
  runs: number;
  runs_failed: number;
  buffers: number;
  buffers_too_small: number;
  late_dependencies: number;
}

/** A release field that can be set. */
export type ReleaseField = "name" | "status" | "start" | "feature_freeze" | "code_freeze" | "release_date" | "strategy" | "rollback_triggers" | "deploy_schedule" | "comms" | "notes" | "retrospective";

export interface ReleaseInfo {
  key: string;
  name: string;
  release_date: IsoDate;
  /** The deploy schedule's date, else the release date. */
  deploy_date: IsoDate;
  strategy?: Strategy | null;
}

/** The release notes of one release. */
export interface ReleaseNotes {
  release: string;
  name: string;
  release_date: IsoDate;
  /** The sections that have lines, in the order they are written. */
  sections: NoteSection[];
}

/** One release, its plan finish and its schedule's counts. */
export interface ReleaseOverview {
  key: string;
  name: string;
  status: Status;
  start: IsoDate;
  feature_freeze: IsoDate | null;
  code_freeze: IsoDate | null;
  release_date: IsoDate;
  archived: boolean;
  components: number;
  dependencies: number;
  plan_finish: IsoDate | null;
  /** The schedule's counts (all zero when it could not be scheduled). */
  counts: Counts;
  /** Gate items of the pre-release checklist not yet done. */
  open_gates: number;
  /**
   * Why the release could not be scheduled, when it could not (the other
   * releases are still given); left out when it could.
   */
  schedule_error?: string | null;
}

/** The release page's data. */
export interface ReleaseView {
  release: Release;
  /** Every team of the workspace, in workspace order (pickers list them all). */
  teams: Team[];
  /** Every endpoint of the workspace (deploy sections and triggers pick one). */
  endpoints: Record<string, Endpoint>;
  /** The working calendar the release is scheduled on. */
  calendar: Calendar;
  /** `schedule::analyze` of the release, as `flotilla analyze --json` prints it. */
  analysis: Analysis;
  /** Whether the store has an edit of this release to undo / redo. */
  can_undo: boolean;
  can_redo: boolean;
  /**
   * The window's number for this view, which an edit names so that its
   * answer can be only what changed (see `views::patch`); 0 when no
   * window numbered it.
   */
  version: number;
}

/** The post-release review of one release. */
export interface Review {
  release: string;
  name: string;
  today: IsoDate;
  /** The day whose end the baseline is the plan as of. */
  baseline: IsoDate;
  /** Why that day: `feature freeze`, `release start` or `chosen`. */
  baseline_source: string;
  /**
   * The release was created after the baseline day: the baseline is its
   * first recorded state.
   */
  baseline_is_first_state: boolean;
  release_date: IsoDate;
  planned_finish: IsoDate | null;
  actual_finish: IsoDate | null;
  /** Working days from the planned to the actual finish (negative: early). */
  finish_slip_days: number | null;
  /** When the first successful run of the release finished (UTC day). */
  shipped_on: IsoDate | null;
  components: ComponentReview[];
  milestones: MilestoneReview[];
  freezes: FreezeReview[];
  /** What caused delays, most days lost first. */
  delays: Delay[];
  buffers: BufferUse[];
  surprises: Surprise[];
  checklist: ChecklistReview[];
  runs: RunReview[];
  /** Each component's ETA over time, for the slip chart. */
  slips: SlipSeries[];
  questions: QuestionGroup[];
}

/** The post-release review as the Review tab shows it. */
export interface ReviewPage {
  data: Review;
  /** The same as HTML to show in the page. */
  html: string;
}

/** The state of a dependency or a milestone. */
export type RiskState = "ok" | "at_risk" | "late";

/** What makes release day roll back. */
export type RollbackTrigger = {
  kind: "metric";
  endpoint: string;
  query: string;
  above?: number | null;
  below?: number | null;
  for_s?: number | null;
  /**
   * What an evaluation without a number (an empty result, NaN) means:
   * `ignore` (the default) or `breach`. Either way it is recorded.
   */
  no_data?: NoData | null;
} | {
  kind: "verify_failed";
  text?: string | null;
} | {
  kind: "manual";
  text?: string | null;
};

/** A past run: its record, its steps, its audit trail and the chain check. */
export interface RunDetail {
  run: RunRecord;
  steps: StepRecord[];
  audit: AuditRecord[];
  check: AuditCheck;
  /** The messages the run queued, oldest first, with how each went. */
  messages: OutboxMessage[];
}

export type RunEvent = {
  type: "started";
  run_id: string;
  release: string;
  total: number;
  resumed: boolean;
  forced: boolean;
} | {
  type: "wave";
  number: number;
  steps: number;
} | {
  type: "step";
  step: string;
  wave: number;
  state: StepState;
  message: string | null;
  /** Steps finished so far, and in all: the progress bar. */
  done: number;
  total: number;
} | {
  type: "call";
  step: string | null;
  method: string;
  url: string;
  status: number | null;
  ms: number;
  error: string | null;
} | {
  type: "metric";
  query: string;
  value: number | null;
  breached: boolean;
} | {
  type: "watch";
  seconds: number;
} | {
  type: "stopping";
  reason: string;
  rollback: boolean;
} | {
  type: "finished";
  run_id: string;
  state: RunState;
  exit_code: number;
  reason: string | null;
};

/** One run of a runbook. */
export interface RunRecord {
  id: string;
  release_key: string;
  digest: string;
  actor: string;
  started_at: string;
  finished_at: string | null;
  state: RunState;
  /** Started with pre-flight items open (`--force`). */
  forced: boolean;
  /** What stopped the run, when something did. */
  reason: string | null;
  exit_code: number | null;
}

/** A finished (or stopped) run: its record and its steps. */
export interface RunReport {
  run: RunRecord;
  steps: StepRecord[];
  /**
   * What the run's sender did with the run's messages (a release with a
   * communication plan only).
   */
  messages?: PumpReport | null;
}

export interface RunReview {
  id: string;
  state: RunState;
  actor: string;
  started_at: string;
  finished_at: string | null;
  /** Started past open pre-flight items (`--force`). */
  forced: boolean;
  reason: string | null;
  waves: WaveReview[];
  failed_steps: string[];
  rolled_back_steps: string[];
}

/** Where a run stands. */
export type RunState = "running" | "succeeded" | "rolling_back" | "halting" | "rolled_back" | "rollback_incomplete" | "failed";

/** A compiled release-day runbook: what `flotilla run` executes, exactly. */
export interface Runbook {
  /** Always `flotilla.runbook`. */
  format: string;
  /** Always `1`. */
  version: number;
  /** `sha256:<hex>` of the canonical JSON of everything but this field. */
  digest: string;
  release: ReleaseInfo;
  preflight: Preflight;
  /** Deployment waves, in order; the steps of a wave may run at once. */
  waves: Wave[];
  rollback_triggers: RollbackTrigger[];
  /** Every endpoint a step, a check or a trigger names (secret references only). */
  endpoints: Record<string, Endpoint>;
  /** The release's teams, in plan order, with their contacts. */
  contacts: TeamContacts[];
  /** The release's communication plan: who is told what during the run. */
  comms?: Comms | null;
}

/** The runbook as the view draws it, with the count of open pre-flight items. */
export interface RunbookData {
  runbook: Runbook;
  preflight_open: number;
  /** Who the communication plan tells of which event, on which channel. */
  told: Told[];
  /** The `run_started` message as it would read if the run started now. */
  first_message: Preview | null;
}

export interface Scenario {
  text: string;
  done: boolean;
}

/** Which version a person keeps for a conflict. */
export type Side = "base" | "ours" | "theirs";

export interface Slip {
  component: string;
  /** Working days. */
  days: number;
}

export interface SlipPoint {
  on: IsoDate;
  eta: IsoDate | null;
}

export interface SlipSeries {
  component: string;
  /** The earliest `needed_by` of the dependencies out of it. */
  needed_by: IsoDate | null;
  /** The ETA from each day it was set on (the baseline's first). */
  points: SlipPoint[];
}

export interface Slot {
  team: string;
  /** `HH:MM`, 24-hour. */
  at: string;
}

/** How an SMTP connection is secured. */
export type SmtpTls = "starttls" | "tls" | "none";

/** Status shared by releases and components: the board's six columns. */
export type Status = "planning" | "in_development" | "testing" | "staging" | "ready" | "released";

/** How to poll a webhook deployment until it is done. */
export interface StatusPoll {
  path: string;
  field: string;
  success: string[];
  failure?: string[];
  interval_s?: number | null;
  timeout_s?: number | null;
}

/** A dated line in a component's status log. */
export interface StatusUpdate {
  date: IsoDate;
  text: string;
}

/** One component's deployment. */
export interface Step {
  /** The component's key; unique in the runbook. */
  id: string;
  title: string;
  team: string;
  team_name: string;
  /** The team's slot in the deploy schedule, `HH:MM`. */
  at?: string | null;
  action: StepAction;
  kind?: EndpointKind | null;
  deploy?: Deploy | null;
  contacts: Contacts;
}

/** What a step does on release day. */
export type StepAction = "deploy" | "manual" | "released";

/** One step of a run. */
export interface StepRecord {
  step_id: string;
  wave: number;
  position: number;
  state: StepState;
  /** What the provider answered to the trigger (run id, pipeline id, ...), JSON. */
  provider_ref: unknown;
  /** Order of completion within the run (for rolling back in reverse). */
  completed: number | null;
  started_at: string | null;
  finished_at: string | null;
  message: string | null;
}

/** Where a step of a run stands. */
export type StepState = "succeeded" | "failed" | "rolling_back" | "rolled_back" | "rollback_failed" | "pending" | "triggering" | "triggered" | "verifying" | "skipped" | "manual" | "released" | "interrupted" | "rollback_manual";

/** What an undo or redo did, with the release as it now stands. */
export interface Stepped {
  /** What was undone or redone (`null`: there was nothing to). */
  summary: string | null;
  view: ReleaseView;
}

export type Strategy = "blue_green" | "canary" | "rolling" | "big_bang";

export interface Surprise {
  /** `dependency` or `component`. */
  entity: string;
  key: string;
  actor: string;
  at: string;
}

/** What a sync did. */
export interface SyncReport {
  release: string;
  path: string;
  /** What changed in the workspace's release (applied). */
  applied: Difference[];
  /** What a person must decide; ours (the workspace) is kept meanwhile. */
  conflicts: Conflict[];
  /**
   * Why the merge could not be applied at all (with conflicts, ours kept at
   * them, the result would not be a valid plan): nothing was applied.
   */
  problems: Problem[];
}

/** A team that contributes components. */
export interface Team {
  key: string;
  name: string;
  contacts?: Contacts | null;
}

export interface TeamContacts {
  team: string;
  name: string;
  contacts: Contacts;
}

/**
 * A template per event: text with `{placeholders}` (docs/notifications.md
 * lists them); an absent one takes the built-in wording.
 */
export interface Templates {
  run_started?: string | null;
  wave_done?: string | null;
  step_failed?: string | null;
  rollback_started?: string | null;
  rollback_finished?: string | null;
  run_finished?: string | null;
}

/** One audience told of one event on one channel. */
export interface Told {
  event: NotifyEvent;
  audience: string;
  channel: string;
  kind: ChannelKind;
  /** Where it goes, secrets as their references (`<env:NAME>`). */
  target: string;
}

/** What the page restores on start. */
export interface UiState {
  last_release: string | null;
  /** The day the schedule is judged by (`FLOTILLA_TODAY`, else the local date). */
  today: IsoDate;
  /** Whether `FLOTILLA_TODAY` fixes it (the page then keeps it, day after day). */
  today_fixed: boolean;
}

/** A health check after a component is deployed. */
export interface VerifyCheck {
  /** Defaults to the deploy's endpoint. */
  endpoint?: string | null;
  path: string;
  expect_status?: number | null;
  timeout_s?: number | null;
}

/**
 * What an edit gets back: the change from the view the page holds, or the
 * whole view when the window does not know which one that is.
 */
export type ViewAnswer = {
  kind: "view";
  view: ReleaseView;
} | {
  kind: "patch";
  base: number;
  patch: Patch;
};

export interface Wave {
  /** From 1. */
  number: number;
  steps: Step[];
}

export interface WaveReview {
  number: number;
  /** The slowest step's `expected_minutes`; none when no step has one. */
  expected_minutes: number | null;
  /** From the wave's first start to its last finish. */
  actual_minutes: number | null;
}

/** What slipping some components does to a release. */
export interface WhatIf {
  release: string;
  today: IsoDate;
  /** The slips applied, one per component (a key named twice is summed). */
  slips: Slip[];
  plan_finish: PlanFinishMove;
  critical_path_before: string[];
  critical_path_after: string[];
  /**
   * Components whose ES or EF moved, or that became or stopped being
   * critical, in plan order.
   */
  components: ComponentMove[];
  /** Dependencies whose state or needed-by slack changed. */
  dependencies: DependencyChange[];
  /** Milestones whose state or finish changed. */
  milestones: MilestoneChange[];
  /** Freeze breaches that appeared, went away or changed size. */
  freeze: FreezeChange[];
}

/** What the workspace page shows. */
export interface WorkspaceView {
  teams: Team[];
  endpoints: Record<string, Endpoint>;
  /** The calendar as set (`null`: the default, Monday to Friday). */
  calendar: Calendar | null;
  /** Components per team, over every release (a team in use cannot be removed). */
  team_components: Record<string, number>;
  /** Whether the workspace's own edits can be undone / redone. */
  can_undo: boolean;
  can_redo: boolean;
}

/** Every runbook format, as `flotilla runbook --format` names them (src-tauri/runbook/mod.rs, RUNBOOK_FORMATS). */
export const RUNBOOK_FORMATS = [
  {
    "name": "md",
    "help": "The release-day runbook for people, as Markdown",
    "label": "Markdown",
    "file_type": "Markdown",
    "ext": "md"
  },
  {
    "name": "html",
    "help": "The same, as one printable HTML page",
    "label": "HTML",
    "file_type": "HTML",
    "ext": "html"
  },
  {
    "name": "json",
    "help": "For `flotilla run`: every step, call and check, sealed with a digest",
    "label": "JSON",
    "file_type": "Runbook (JSON)",
    "ext": "json"
  }
] as const;

/** Every export format, as `flotilla export --format` names them (src-tauri/export/render.rs, FORMATS). */
export const EXPORT_FORMATS = [
  {
    "name": "json",
    "help": "The plan file (canonical JSON)",
    "label": "JSON",
    "menu": "Export release as JSON…",
    "file_type": "Flotilla plan (JSON)",
    "ext": "json",
    "one_release": false
  },
  {
    "name": "csv",
    "help": "One row per component, for spreadsheets",
    "label": "CSV",
    "menu": "Export release as CSV…",
    "file_type": "CSV",
    "ext": "csv",
    "one_release": false
  },
  {
    "name": "ical",
    "help": "Release date, freezes, milestones and component finishes as calendar events",
    "label": "iCal",
    "menu": "Export release as iCal…",
    "file_type": "iCalendar",
    "ext": "ics",
    "one_release": false
  },
  {
    "name": "md",
    "help": "A one-page Markdown status report of the release",
    "label": "Markdown report",
    "menu": "Export release as Markdown report…",
    "file_type": "Markdown",
    "ext": "md",
    "one_release": true
  },
  {
    "name": "dot",
    "help": "The dependency graph for Graphviz, critical path and risks marked",
    "label": "DOT graph",
    "menu": "Export release graph as DOT…",
    "file_type": "Graphviz DOT",
    "ext": "dot",
    "one_release": true
  },
  {
    "name": "mermaid",
    "help": "The dependency graph as a Mermaid flowchart",
    "label": "Mermaid graph",
    "menu": "Export release graph as Mermaid…",
    "file_type": "Mermaid",
    "ext": "mmd",
    "one_release": true
  }
] as const;
