// The Runbook view's data (src-tauri/runbook/model.rs, src-tauri/exec/events.rs,
// src-tauri/store/runs.rs, src-tauri/desktop/runbook.rs) and its logic: the live
// state of a run folded from its events, the progress bar, the wording of states.

import type { Contact, NotifyEvent, OutboxState, RollbackTrigger, Runbook, RunEvent, RunState, StepState } from './generated';

// The types of the runbook and of runs are generated from Rust (generated.ts).
export type {
  AuditRecord,
  OpenItem,
  OpenMilestone,
  Runbook,
  RunbookData,
  RunDetail,
  RunEvent,
  RunRecord,
  RunReport,
  RunState,
  StepState,
  StepAction,
  StepRecord,
} from './generated';
export type { Step as RunbookStep, Wave as RunbookWave } from './generated';

/** A run as the view shows it while it happens. */
export interface LiveRun {
  runId: string | null;
  total: number;
  done: number;
  wave: number | null;
  /** Each step's latest state and message, by step id. */
  steps: Record<string, { state: StepState; message: string | null }>;
  /** The last calls, newest last (at most LOG_LIMIT). */
  log: string[];
  watching: number | null;
  stopping: { reason: string; rollback: boolean } | null;
  finished: { state: RunState; exitCode: number; reason: string | null } | null;
}

export const LOG_LIMIT = 50;

/** A run about to start: every step of the runbook pending. */
export function emptyRun(rb: Runbook): LiveRun {
  const steps: LiveRun['steps'] = {};
  for (const w of rb.waves) for (const s of w.steps) steps[s.id] = { state: 'pending', message: null };
  return {
    runId: null,
    total: Object.keys(steps).length,
    done: 0,
    wave: null,
    steps,
    log: [],
    watching: null,
    stopping: null,
    finished: null,
  };
}

/** The live run after one more event (a new object; the old one is unchanged). */
export function applyRunEvent(run: LiveRun, ev: RunEvent): LiveRun {
  switch (ev.type) {
    case 'started':
      return { ...run, runId: ev.run_id, total: ev.total };
    case 'wave':
      return { ...run, wave: ev.number };
    case 'step':
      return {
        ...run,
        done: ev.done,
        total: ev.total,
        steps: { ...run.steps, [ev.step]: { state: ev.state, message: ev.message } },
      };
    case 'call': {
      const answer = ev.error ?? (ev.status === null ? 'no answer' : String(ev.status));
      const line = `${ev.step ? `${ev.step}: ` : ''}${ev.method} ${ev.url} → ${answer} (${ev.ms} ms)`;
      return { ...run, log: [...run.log, line].slice(-LOG_LIMIT) };
    }
    case 'metric':
      if (!ev.breached) return run;
      return {
        ...run,
        log: [...run.log, `metric breached: ${ev.query} = ${ev.value ?? 'no value'}`].slice(-LOG_LIMIT),
      };
    case 'watch':
      return { ...run, watching: ev.seconds };
    case 'stopping':
      return { ...run, stopping: { reason: ev.reason, rollback: ev.rollback } };
    case 'finished':
      return { ...run, runId: ev.run_id, finished: { state: ev.state, exitCode: ev.exit_code, reason: ev.reason } };
  }
}

/** The progress bar's fill, 0 to 100. */
export function progressPercent(run: Pick<LiveRun, 'done' | 'total'>): number {
  if (run.total <= 0) return 0;
  return Math.round((Math.min(run.done, run.total) / run.total) * 100);
}

export type Tone = 'idle' | 'busy' | 'ok' | 'bad' | 'warn';

// Every state of a step and of a run: a state added in Rust and not here
// fails the type check.
const TONES: Record<StepState | RunState, Tone> = {
  pending: 'idle',
  skipped: 'idle',
  triggering: 'busy',
  triggered: 'busy',
  verifying: 'busy',
  rolling_back: 'busy',
  running: 'busy',
  halting: 'busy',
  succeeded: 'ok',
  released: 'ok',
  rolled_back: 'warn',
  manual: 'warn',
  rollback_manual: 'bad',
  failed: 'bad',
  rollback_failed: 'bad',
  rollback_incomplete: 'bad',
  interrupted: 'warn',
};

/** The colour family of a step's or a run's state. */
export function stateTone(state: StepState | RunState): Tone {
  // A newer backend may send a state this page does not know yet.
  return TONES[state] ?? 'idle';
}

/** A state as people read it: `rolling_back` → `rolling back`. */
export function stateLabel(state: StepState | RunState): string {
  return state.replaceAll('_', ' ');
}

// Every run event a message can report: one added in Rust and not here
// fails the type check.
const EVENT_LABELS: Record<NotifyEvent, string> = {
  run_started: 'Run started',
  wave_done: 'Each wave done',
  step_failed: 'A step failed',
  rollback_started: 'Rollback started',
  rollback_finished: 'Rollback finished',
  run_finished: 'Run finished',
};

/** A run event as people read it. */
export function eventLabel(e: NotifyEvent | string): string {
  return EVENT_LABELS[e as NotifyEvent] ?? e.replaceAll('_', ' ');
}

const OUTBOX_TONES: Record<OutboxState, Tone> = {
  pending: 'warn',
  sending: 'busy',
  sent: 'ok',
  failed: 'bad',
};

/** The colour family of a message's state in the outbox. */
export function outboxTone(state: OutboxState): Tone {
  return OUTBOX_TONES[state] ?? 'idle';
}

/** What the exit code of a run means (docs/runbook.md). */
export function exitMeaning(code: number | null): string {
  switch (code) {
    case null:
      return 'not finished';
    case 0:
      return 'every step done';
    case 3:
      return 'rolled back';
    case 4:
      return 'needs a person';
    case 2:
      return 'refused';
    default:
      return 'failed';
  }
}

/** `Name (@handle, phone)`. */
export function contactLine(c: Contact | null | undefined): string {
  if (!c) return '';
  const extra = [c.handle, c.email, c.phone].filter((x): x is string => !!x);
  return extra.length ? `${c.name} (${extra.join(', ')})` : c.name;
}

/** `Name (@handle)`: what fits in a table cell (the full line goes in its tooltip). */
export function contactShort(c: Contact | null | undefined): string {
  if (!c) return '';
  return c.handle ? `${c.name} (${c.handle})` : c.name;
}

/** One line per rollback trigger. */
export function triggerLine(t: RollbackTrigger): string {
  switch (t.kind) {
    case 'metric': {
      const bound =
        t.above != null ? `above ${t.above}` : t.below != null ? `below ${t.below}` : 'out of bounds';
      return `Metric ${t.query} ${bound}${t.for_s != null ? ` for ${t.for_s} s` : ''}`;
    }
    case 'verify_failed':
      return t.text ? `A step or check fails: ${t.text}` : 'A step or a verification check fails';
    case 'manual':
      return t.text ? `Manual: ${t.text}` : 'Manual abort';
  }
}

/** The pieces of the "Rehearse / Run" confirmation: can it start, and is force needed? */
export function runGate(open: number, force: boolean): { needsForce: boolean; canStart: boolean } {
  const needsForce = open > 0;
  return { needsForce, canStart: !needsForce || force };
}

/** The watch field: empty means the triggers' own window; else whole seconds. */
export function parseWatch(text: string): number | null | 'invalid' {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t)) return 'invalid';
  return Number(t);
}
