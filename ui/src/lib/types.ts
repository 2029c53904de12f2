// The shapes the desktop commands send and receive (src-tauri/desktop/, the
// plan types of src-tauri/plan/model.rs and the schedule of
// src-tauri/schedule/analysis.rs). Dates are `YYYY-MM-DD`.

import type { ReleaseStatus, ReleaseSummary } from './release';

export type RiskState = 'ok' | 'at_risk' | 'late';

export interface RiskCounts {
  dependencies_late: number;
  dependencies_at_risk: number;
  freeze_breaches: number;
  past_feature_freeze: number;
  milestones_late: number;
  milestones_at_risk: number;
  open_gate_items: number;
}

/** A row of `list_releases`: the summary plus what is going wrong. */
export interface ReleaseOverview extends ReleaseSummary {
  plan_finish: string | null;
  risk: RiskCounts;
  schedule_error: string | null;
}

export interface StatusUpdate {
  date: string;
  text: string;
}

export interface Component {
  key: string;
  title: string;
  team: string;
  status: ReleaseStatus;
  duration_days: number;
  start?: string | null;
  eta?: string | null;
  done_on?: string | null;
  labels?: string[];
  updates?: StatusUpdate[];
  deploy?: Record<string, unknown> | null;
}

export interface Dependency {
  from: string;
  to: string;
  needed_by?: string | null;
  buffer_days?: number | null;
  lag_days?: number | null;
}

export interface Scenario {
  text: string;
  done: boolean;
}

export interface Milestone {
  key: string;
  name: string;
  phase?: 'component_pair' | 'subsystem' | 'full_system' | null;
  components: string[];
  due: string;
  environment?: string | null;
  owners?: string[];
  scenarios?: Scenario[];
}

export interface ChecklistItem {
  text: string;
  owner?: string | null;
  due?: string | null;
  done: boolean;
  gate: boolean;
}

export interface Release {
  key: string;
  name: string;
  status: ReleaseStatus;
  start: string;
  feature_freeze?: string | null;
  code_freeze?: string | null;
  release_date: string;
  strategy?: string | null;
  components: Component[];
  dependencies?: Dependency[];
  milestones?: Milestone[];
  checklist?: ChecklistItem[];
}

export interface Contact {
  name: string;
  handle?: string | null;
  email?: string | null;
  phone?: string | null;
}

export interface Team {
  key: string;
  name: string;
  contacts?: { primary?: Contact | null; backup?: Contact | null } | null;
}

export interface ComponentSchedule {
  key: string;
  team: string;
  es: string;
  ef: string;
  ls: string;
  lf: string;
  total_float: number;
  critical: boolean;
  deadline_slack: number;
  duration: number;
  duration_days: number;
  done: boolean;
  eta_inconsistent: boolean;
  wave: number;
}

export interface DependencySchedule {
  from: string;
  to: string;
  state: RiskState;
  needed_by: string | null;
  buffer_days: number;
  lag_days: number;
  slack_days: number | null;
  critical: boolean;
}

export interface MilestoneRisk {
  key: string;
  state: RiskState;
  due: string;
  finish: string | null;
  slack_days: number | null;
  scenarios_done: number;
  scenarios_total: number;
}

export interface FreezeBreach {
  component: string;
  kind: 'feature_freeze' | 'code_freeze';
  date: string;
  by_days: number;
}

export interface Counts {
  components: number;
  critical: number;
  late: number;
  at_risk: number;
  dependencies_late: number;
  dependencies_at_risk: number;
  milestones_late: number;
  milestones_at_risk: number;
  code_freeze_breaches: number;
  past_feature_freeze: number;
  eta_inconsistent: number;
}

export interface Analysis {
  release: string;
  today: string;
  start: string;
  feature_freeze: string | null;
  code_freeze: string | null;
  release_date: string;
  plan_finish: string | null;
  release_slack: number | null;
  counts: Counts;
  critical_path: string[];
  components: ComponentSchedule[];
  dependencies: DependencySchedule[];
  milestones: MilestoneRisk[];
  freeze: FreezeBreach[];
  waves: string[][];
}

/** `load_release`, `apply_edit`: a release with its schedule. */
export interface ReleaseView {
  release: Release;
  teams: Team[];
  analysis: Analysis;
  can_undo: boolean;
  can_redo: boolean;
}

export interface Change {
  id: number;
  batch: number;
  at: string;
  actor: string;
  kind: string;
  release: string | null;
  entity: string;
  key: string;
  field: string | null;
  old: string | null;
  new: string | null;
}

export interface ComponentMove {
  key: string;
  team: string;
  es_before: string;
  es_after: string;
  ef_before: string;
  ef_after: string;
  start_moved_by: number;
  finish_moved_by: number;
  float_before: number;
  float_after: number;
  critical_before: boolean;
  critical_after: boolean;
}

export interface WhatIf {
  release: string;
  today: string;
  slips: { component: string; days: number }[];
  plan_finish: {
    before: string | null;
    after: string | null;
    by_days: number;
    release_date: string;
    release_slack_before: number | null;
    release_slack_after: number | null;
  };
  critical_path_before: string[];
  critical_path_after: string[];
  components: ComponentMove[];
  dependencies: {
    from: string;
    to: string;
    state_before: RiskState;
    state_after: RiskState;
    slack_before: number | null;
    slack_after: number | null;
  }[];
  milestones: {
    key: string;
    state_before: RiskState;
    state_after: RiskState;
    finish_before: string | null;
    finish_after: string | null;
    moved_by: number;
  }[];
  freeze: {
    component: string;
    kind: 'feature_freeze' | 'code_freeze';
    by_days_before: number | null;
    by_days_after: number | null;
  }[];
}

/** One edit, as `Store::apply` takes it (src-tauri/store/edit.rs). */
export type Edit =
  | { op: 'set_component'; release: string; component: string; field: ComponentField; value: unknown }
  | { op: 'set_release'; release: string; field: ReleaseField; value: unknown }
  | { op: 'archive_release'; release: string; archived: boolean }
  | { op: 'create_release'; release: Release; archived?: boolean }
  | { op: 'add_status_update'; release: string; component: string; date: string; text: string }
  | { op: 'add_dependency'; release: string; dependency: Dependency }
  | { op: 'remove_dependency'; release: string; from: string; to: string }
  | { op: 'set_dependency'; release: string; from: string; to: string; field: 'needed_by' | 'buffer_days' | 'lag_days'; value: unknown }
  | { op: 'set_scenario'; release: string; milestone: string; index: number; done: boolean }
  | { op: 'set_checklist_item'; release: string; index: number; field: 'text' | 'owner' | 'due' | 'done' | 'gate'; value: unknown }
  | { op: 'add_checklist_item'; release: string; item: ChecklistItem }
  | { op: 'batch'; release: string; edits: Edit[] };

export type ComponentField = 'title' | 'team' | 'status' | 'duration_days' | 'start' | 'eta' | 'done_on' | 'labels';
export type ReleaseField = 'name' | 'status' | 'start' | 'feature_freeze' | 'code_freeze' | 'release_date' | 'strategy';

export interface Stepped {
  summary: string | null;
  view: ReleaseView;
}

export interface UiState {
  last_release: string | null;
}
