// The run started from this window (the backend allows one at a time), kept
// here rather than in the Runbook view so that it survives the view being
// closed: switching to another tab and back still shows the run and its Abort
// button, and no event is missed meanwhile.

import { onRunEvent } from './api';
import { applyRunEvent, emptyRun, type LiveRun, type Runbook } from './runbook';

export const current = $state<{ release: string | null; run: LiveRun | null; running: boolean }>({
  release: null,
  run: null,
  running: false,
});

let listening: Promise<() => void> | null = null;

/** Starts following run events (once per window); resolves when listening. */
export function followRuns(): Promise<() => void> {
  listening ??= onRunEvent((ev) => {
    if (current.run) current.run = applyRunEvent(current.run, ev);
  });
  return listening;
}

/** A run of `release` is about to start: every step pending. */
export function beginRun(release: string, rb: Runbook): void {
  current.release = release;
  current.run = emptyRun(rb);
  current.running = true;
}

/** The run's command answered (finished, or refused). */
export function endRun(): void {
  current.running = false;
}
