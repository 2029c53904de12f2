import { describe, expect, it, vi } from 'vitest';
import type { RunEvent, Runbook } from './runbook';

const api = vi.hoisted(() => {
  const handlers: ((ev: RunEvent) => void)[] = [];
  return {
    handlers,
    onRunEvent: vi.fn(async (h: (ev: RunEvent) => void) => {
      handlers.push(h);
      return () => {};
    }),
  };
});
vi.mock('./api', () => ({ onRunEvent: api.onRunEvent }));

import { beginRun, current, endRun, followRuns } from './live_run.svelte';

const rb = {
  waves: [{ number: 1, steps: [{ id: 'db' }, { id: 'api' }] }],
} as unknown as Runbook;

describe('the window run', () => {
  it('listens once, keeps the run of one release and follows its events', async () => {
    await followRuns();
    await followRuns();
    expect(api.onRunEvent).toHaveBeenCalledTimes(1);
    const emit = (ev: RunEvent) => api.handlers.forEach((h) => h(ev));

    // Events with no run begun are ignored.
    emit({ type: 'step', step: 'db', wave: 1, state: 'succeeded', message: null, done: 1, total: 2 });
    expect(current.run).toBeNull();

    beginRun('q1', rb);
    expect(current.release).toBe('q1');
    expect(current.running).toBe(true);
    expect(current.run?.steps.db?.state).toBe('pending');
    emit({ type: 'step', step: 'db', wave: 1, state: 'triggered', message: null, done: 0, total: 2 });
    emit({ type: 'finished', run_id: 'run-1', state: 'rolled_back', exit_code: 3, reason: 'aborted' });
    expect(current.run?.steps.db?.state).toBe('triggered');
    expect(current.run?.finished?.exitCode).toBe(3);

    endRun();
    expect(current.running).toBe(false);
    expect(current.run?.runId).toBe('run-1');
  });
});
