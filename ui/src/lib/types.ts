// The shapes the desktop commands send and receive (src-tauri/desktop/, the
// plan types of src-tauri/plan/model.rs, the schedule of
// src-tauri/schedule/analysis.rs, the edits of src-tauri/store/edit.rs). Dates
// are `YYYY-MM-DD`. All are generated from the Rust types (generated.ts).

export type {
  Analysis,
  Change,
  ChecklistItem,
  ComponentField,
  ComponentMove,
  ComponentSchedule,
  Code,
  Counts,
  Detail,
  ErrorPayload,
  DependencySchedule,
  Edit,
  FreezeBreach,
  MilestoneRisk,
  ReleaseField,
  ReleaseView,
  RiskState,
  Stepped,
  UiState,
  WhatIf,
  Component,
  Contact,
  Dependency,
  Milestone,
  Release,
  ReleaseOverview,
  Scenario,
  StatusUpdate,
  Team,
} from './generated';

