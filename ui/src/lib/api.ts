// The Tauri commands this UI calls. Each rejects with an AppError, never anything else.

import { invoke, isTauri } from '@tauri-apps/api/core';
import { NO_BACKEND, toAppError } from './error';
import type { Change, Edit, ReleaseOverview, ReleaseView, Stepped, UiState, WhatIf } from './types';
import type { DraftPage, MetricsPage, NotesPage, OpenChoice, OpenOutcome, OpenedFile, PumpReport, ReviewPage, ViewAnswer } from './generated';
import { viewFromAnswer } from './patch';
import { listen } from '@tauri-apps/api/event';
import type { RunDetail, RunEvent, RunRecord, RunReport, RunbookData } from './runbook';
import type { LinkReport, Side, SyncReport } from './sync';
import type { FileChoice } from './files';

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!isTauri()) {
    throw {
      code: NO_BACKEND,
      message:
        'This page reads the workspace through the Flotilla desktop app. Open it in the app to see your releases.',
      path: '',
    };
  }
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toAppError(reason);
  }
}

/** Every release in the workspace, archived ones included, with its risk counts. */
export function listReleases(): Promise<ReleaseOverview[]> {
  return call<ReleaseOverview[]>('list_releases');
}

/** Imports the plan that ships with Flotilla (unless its release is there already); returns every release. */
export function openSample(): Promise<ReleaseOverview[]> {
  return call<ReleaseOverview[]>('open_sample');
}

/** A release with its teams and its schedule. */
export function loadRelease(release: string): Promise<ReleaseView> {
  return call<ReleaseView>('load_release', { release });
}

/**
 * Applies an edit; answers with the release re-scheduled. `held` is the view
 * the page shows: the window answers with what changed from it (lib/patch.ts),
 * or, when it cannot, with the whole view (or the page's view is stale and
 * the release is loaded again).
 */
export async function applyEdit(edit: Edit, held: ReleaseView | null): Promise<ReleaseView> {
  const answer = await call<ViewAnswer>('apply_edit', { edit, base: held?.version ?? null });
  const view = viewFromAnswer(held, answer);
  if (view) return view;
  // A patch against another view than the one held (answers crossed; without
  // a held view the window always answers whole): the whole release again.
  return await loadRelease(held!.release.key);
}

/** Applies an edit made from the releases list; answers with the list. */
export function applyListEdit(edit: Edit): Promise<ReleaseOverview[]> {
  return call<ReleaseOverview[]>('apply_list_edit', { edit });
}

export function undoRedo(release: string, redo: boolean): Promise<Stepped> {
  return call<Stepped>('undo_redo', { release, redo });
}

export function history(release: string, key: string | null, limit = 200): Promise<Change[]> {
  return call<Change[]>('history', { release, key, limit });
}

export function whatIf(release: string, component: string, days: number): Promise<WhatIf> {
  return call<WhatIf>('what_if', { release, component, days });
}

export function exportPlan(release: string | null, format: string, path: string): Promise<string> {
  return call<string>('export_plan', { release, format, path });
}

export function importPlan(path: string, replace: boolean): Promise<ReleaseOverview[]> {
  return call<ReleaseOverview[]>('import_plan', { path, replace });
}

export function saveDrawing(path: string, drawing: { svg?: string; pngBase64?: string }): Promise<string> {
  return call<string>('save_drawing', { path, svg: drawing.svg ?? null, pngBase64: drawing.pngBase64 ?? null });
}

export function homeDir(): Promise<string> {
  return call<string>('home_dir');
}

// The OS's own dialogs (src-tauri/desktop/dialogs.rs).

/** Shows the native file chooser; resolves to the path chosen, or null when the user cancels. */
export function chooseFile(choice: FileChoice): Promise<string | null> {
  return call<string | null>('choose_file', { choice });
}

/** Asks a question in a native message box; true when the user pressed `ok`. */
export function confirmNative(title: string, message: string, ok: string): Promise<boolean> {
  return call<boolean>('confirm', { title, message, ok });
}

export function uiState(): Promise<UiState> {
  return call<UiState>('ui_state');
}

export function rememberRelease(release: string | null): Promise<void> {
  return call<void>('remember_release', { release });
}

/** The name edits are recorded under in the change history. */
export function actor(): Promise<string> {
  return call<string>('actor');
}

/** Sets (and remembers) the name edits are recorded under. */
export function setActor(name: string): Promise<string> {
  return call<string>('set_actor', { name });
}

// The Runbook view (src-tauri/desktop/runbook.rs).

/** The release compiled into its runbook, as `flotilla runbook` does. */
export function compileRunbook(release: string): Promise<RunbookData> {
  return call<RunbookData>('compile_runbook', { release });
}

/** Writes the runbook as `md`, `html` or `json` to `path`; answers with the path written. */
export function exportRunbook(release: string, format: 'md' | 'html' | 'json', path: string): Promise<string> {
  return call<string>('export_runbook', { release, format, path });
}

/**
 * Runs the runbook shown (`digest`: refused when the plan changed since); answers when
 * the run ends. Its events arrive meanwhile through `onRunEvent`.
 */
export function startRun(release: string, digest: string, force: boolean, watchS: number | null): Promise<RunReport> {
  return call<RunReport>('start_run', { release, digest, force, watchS });
}

/** Aborts the run under way (rolling back what was triggered); false when none is. */
export function abortRun(reason: string): Promise<boolean> {
  return call<boolean>('abort_run', { reason });
}

export function listRuns(release: string): Promise<RunRecord[]> {
  return call<RunRecord[]>('list_runs', { release });
}

export function runDetail(run: string): Promise<RunDetail> {
  return call<RunDetail>('run_detail', { run });
}

/** Sends a run's unsent messages now (refused ones queued again). */
export function sendRunMessages(run: string): Promise<PumpReport> {
  return call<PumpReport>('send_run_messages', { run });
}

/** Calls `handler` with every event of a run started from this window; resolves to the unlisten function. */
export async function onRunEvent(handler: (ev: RunEvent) => void): Promise<() => void> {
  if (!isTauri()) return () => {};
  return listen<RunEvent>('run-event', (event) => handler(event.payload));
}

// The Sync view (src-tauri/desktop/sync.rs).

export function linkedFile(release: string): Promise<string | null> {
  return call<string | null>('linked_file', { release });
}

export function linkRelease(release: string, path: string): Promise<LinkReport> {
  return call<LinkReport>('link_release', { release, path });
}

export function saveRelease(release: string, force: boolean): Promise<string> {
  return call<string>('save_release', { release, force });
}

export function syncRelease(release: string): Promise<SyncReport> {
  return call<SyncReport>('sync_release', { release });
}

export function resolveSync(release: string, choices: Record<string, Side>): Promise<SyncReport> {
  return call<SyncReport>('resolve_sync', { release, choices });
}

/** The next plan file handed to the app from outside (file manager, command line), with its preview; null when none waits. */
export function takeOpenedFile(): Promise<OpenedFile | null> {
  return call<OpenedFile | null>('take_opened_file');
}

/** Imports an opened plan file, or links its release to it. */
export function openPlanFile(path: string, choice: OpenChoice): Promise<OpenOutcome> {
  return call<OpenOutcome>('open_plan_file', { path, choice });
}

/** The release notes, as data and as HTML to show. */
export function releaseNotes(release: string): Promise<NotesPage> {
  return call<NotesPage>('release_notes', { release });
}

/** The post-release review against the plan as of `baseline` (null: the feature freeze). */
export function releaseReview(release: string, baseline: string | null): Promise<ReviewPage> {
  return call<ReviewPage>('release_review', { release, baseline });
}

/** Delivery metrics over every release (from `since`, of one team). */
export function deliveryMetrics(since: string | null, team: string | null): Promise<MetricsPage> {
  return call<MetricsPage>('delivery_metrics', { since, team });
}

/** The weekly release sync drafted as of today, with what changed from `since` (null: a week ago). */
export function weeklyReport(release: string, since: string | null): Promise<DraftPage> {
  return call<DraftPage>('weekly_report', { release, since });
}

/** A team's daily async update, drafted. */
export function dailyReport(release: string, team: string): Promise<DraftPage> {
  return call<DraftPage>('daily_report', { release, team });
}
