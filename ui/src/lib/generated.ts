// Generated from the Rust types by src-tauri/desktop/ts_types.rs: do not edit.
// `FLOTILLA_WRITE_TS=1 cargo test --lib ts_types` rewrites it; a test fails when it is stale.

/** A pre-release checklist item; a `gate` item blocks the release while open. */
export interface ChecklistItem {
  text: string;
  owner?: string | null;
  due?: IsoDate | null;
  done?: boolean;
  gate?: boolean;
}

/** One team's piece of a release. */
export interface Component {
  key: string;
  title: string;
  team: string;
  status?: Status;
  /** Working days, at least 1. */
  duration_days: number;
  start?: IsoDate | null;
  eta?: IsoDate | null;
  done_on?: IsoDate | null;
  labels?: string[];
  updates?: StatusUpdate[];
  deploy?: Deploy | null;
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

export type IsoDate = string;

/** `from` must finish before `to` can start (from blocks to). */
export interface Dependency {
  from: string;
  to: string;
  needed_by?: IsoDate | null;
  buffer_days?: number | null;
  lag_days?: number | null;
}

/**
 * How release day deploys a component.
 *
 * `trigger`/`status`/`rollback` are plain HTTP calls for a `webhook` endpoint.
 * Kind-specific fields: github_actions `workflow`, `ref`, `inputs`; gitlab `ref`,
 * `variables`; jenkins `job`, `parameters`; argocd `app`, `revision`.
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
  variables?: Record<string, string> | null;
  job?: string | null;
  parameters?: Record<string, string> | null;
  app?: string | null;
  revision?: string | null;
}

/** Release-day slots, in order. */
export interface DeploySchedule {
  date?: IsoDate | null;
  slots: Slot[];
}

/** An HTTP call to `base_url + path`. */
export interface HttpCall {
  method: HttpMethod;
  path: string;
  body?: unknown;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

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

export type Phase = "component_pair" | "subsystem" | "full_system";

/** A release epic. */
export interface Release {
  key: string;
  name: string;
  status?: Status;
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
}

/**
 * One row of the releases list: the release's summary, its plan finish and
 * what is going wrong in it.
 */
export interface ReleaseOverview {
  key: string;
  name: string;
  status: Status;
  start: IsoDate;
  feature_freeze?: IsoDate | null;
  code_freeze?: IsoDate | null;
  release_date: IsoDate;
  archived: boolean;
  components: number;
  dependencies: number;
  plan_finish?: IsoDate | null;
  risk: RiskCounts;
  /** Why the release could not be scheduled, when it could not. */
  schedule_error?: string | null;
}

/** The release page's data. */
export interface ReleaseView {
  release: Release;
  /** Every team of the workspace, in workspace order (pickers list them all). */
  teams: Team[];
  /** `schedule::analyze` of the release, as `flotilla analyze --json` prints it. */
  analysis: unknown;
  /** Whether the store has an edit of this release to undo / redo. */
  can_undo: boolean;
  can_redo: boolean;
}

/** What the releases list shows of a release that is going wrong. */
export interface RiskCounts {
  dependencies_late: number;
  dependencies_at_risk: number;
  /** Components finishing after the code freeze. */
  freeze_breaches: number;
  past_feature_freeze: number;
  milestones_late: number;
  milestones_at_risk: number;
  /** Gate items of the pre-release checklist not yet done. */
  open_gate_items: number;
}

/** What makes release day roll back. */
export type RollbackTrigger = {
  kind: "metric";
  endpoint: string;
  query: string;
  above?: number | null;
  below?: number | null;
  for_s?: number | null;
} | {
  kind: "verify_failed";
  text?: string | null;
} | {
  kind: "manual";
  text?: string | null;
};

export interface Scenario {
  text: string;
  done?: boolean;
}

export interface Slot {
  team: string;
  /** `HH:MM`, 24-hour. */
  at: string;
}

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

/** What an undo or redo did, with the release as it now stands. */
export interface Stepped {
  /** What was undone or redone (`null`: there was nothing to). */
  summary?: string | null;
  view: ReleaseView;
}

export type Strategy = "blue_green" | "canary" | "rolling" | "big_bang";

/** A team that contributes components. */
export interface Team {
  key: string;
  name: string;
  contacts?: Contacts | null;
}

/** What the page restores on start. */
export interface UiState {
  last_release?: string | null;
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
