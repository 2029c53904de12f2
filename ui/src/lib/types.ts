// The shapes the desktop commands send and receive (src-tauri/desktop/, the
// plan types of src-tauri/plan/model.rs and the schedule of
// src-tauri/schedule/analysis.rs). Dates are `YYYY-MM-DD`.
// The plan types and the commands' own types are generated from Rust
// (generated.ts); the schedule and the edits are written out here.

import type * as G from './generated';
import type { ChecklistItem, Dependency, Release } from './generated';

export type {
  ChecklistItem,
  Component,
  Contact,
  Dependency,
  Milestone,
  Release,
  ReleaseOverview,
  RiskCounts,
  Scenario,
  StatusUpdate,
  Team,
} from './generated';

export type RiskState = 'ok' | 'at_risk' | 'late';

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

/** `load_release`, `apply_edit`: a release with its schedule (typed here: the Rust side sends it as JSON). */
export type ReleaseView = Omit<G.ReleaseView, 'analysis'> & { analysis: Analysis };

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

export type Stepped = Omit<G.Stepped, 'view'> & { view: ReleaseView };

export type UiState = G.UiState;
