import { describe, expect, it } from 'vitest';
import type { OutboxState, StepState } from './generated';
import {
  LOG_LIMIT,
  applyRunEvent,
  contactLine,
  contactShort,
  emptyRun,
  eventLabel,
  exitMeaning,
  outboxTone,
  parseWatch,
  progressPercent,
  runGate,
  stateLabel,
  stateTone,
  triggerLine,
  type LiveRun,
  type RunEvent,
  type Runbook,
} from './runbook';

const step = (id: string) => ({ id, title: id, team: 't', team_name: 'T', action: 'deploy' as const, contacts: {} });
const rb = {
  digest: 'sha256:00',
  waves: [
    { number: 1, steps: [step('db'), step('api')] },
    { number: 2, steps: [step('web')] },
  ],
} as unknown as Runbook;

const fold = (events: RunEvent[]): LiveRun => events.reduce(applyRunEvent, emptyRun(rb));

describe('emptyRun', () => {
  it('lists every step of every wave as pending', () => {
    const run = emptyRun(rb);
    expect(run.total).toBe(3);
    expect(run.done).toBe(0);
    expect(Object.keys(run.steps)).toEqual(['db', 'api', 'web']);
    expect(Object.values(run.steps).map((s) => s.state)).toEqual(['pending', 'pending', 'pending']);
  });
});

describe('applyRunEvent', () => {
  it('follows a run from start to finish, step by step', () => {
    const run = fold([
      { type: 'started', run_id: 'run-1', release: 'q1', total: 3, resumed: false, forced: true },
      { type: 'wave', number: 1, steps: 2 },
      { type: 'step', step: 'db', wave: 1, state: 'triggering', message: null, done: 0, total: 3 },
      { type: 'step', step: 'db', wave: 1, state: 'succeeded', message: null, done: 1, total: 3 },
      { type: 'step', step: 'api', wave: 1, state: 'failed', message: 'HTTP 500', done: 2, total: 3 },
    ]);
    expect(run.runId).toBe('run-1');
    expect(run.wave).toBe(1);
    expect(run.steps.db).toEqual({ state: 'succeeded', message: null });
    expect(run.steps.api).toEqual({ state: 'failed', message: 'HTTP 500' });
    expect(run.steps.web?.state).toBe('pending');
    expect(run.done).toBe(2);
    expect(run.finished).toBeNull();

    const end = fold([
      { type: 'stopping', reason: 'step api failed', rollback: true },
      { type: 'finished', run_id: 'run-1', state: 'rolled_back', exit_code: 3, reason: 'step api failed' },
    ]);
    expect(end.stopping).toEqual({ reason: 'step api failed', rollback: true });
    expect(end.finished).toEqual({ state: 'rolled_back', exitCode: 3, reason: 'step api failed' });
  });

  it('does not change the run it was given', () => {
    const before = emptyRun(rb);
    const after = applyRunEvent(before, { type: 'step', step: 'db', wave: 1, state: 'succeeded', message: null, done: 1, total: 3 });
    expect(before.steps.db?.state).toBe('pending');
    expect(after.steps.db?.state).toBe('succeeded');
  });

  it('logs calls with their answer and keeps only the last ones', () => {
    let run = emptyRun(rb);
    run = applyRunEvent(run, { type: 'call', step: 'db', method: 'POST', url: 'http://127.0.0.1:8787/deploy/db', status: 202, ms: 3, error: null });
    run = applyRunEvent(run, { type: 'call', step: null, method: 'GET', url: 'http://x/q', status: null, ms: 30000, error: 'timed out' });
    expect(run.log).toEqual(['db: POST http://127.0.0.1:8787/deploy/db → 202 (3 ms)', 'GET http://x/q → timed out (30000 ms)']);
    for (let i = 0; i < LOG_LIMIT + 5; i++) {
      run = applyRunEvent(run, { type: 'call', step: 'db', method: 'GET', url: `u${i}`, status: 200, ms: 1, error: null });
    }
    expect(run.log).toHaveLength(LOG_LIMIT);
    expect(run.log[run.log.length - 1]).toContain(`u${LOG_LIMIT + 4}`);
  });

  it('logs only breached metrics, and records the watch window', () => {
    let run = applyRunEvent(emptyRun(rb), { type: 'metric', query: 'up', value: 0, breached: false });
    expect(run.log).toEqual([]);
    run = applyRunEvent(run, { type: 'metric', query: 'errors', value: 0.2, breached: true });
    expect(run.log).toEqual(['metric breached: errors = 0.2']);
    run = applyRunEvent(run, { type: 'watch', seconds: 2 });
    expect(run.watching).toBe(2);
  });
});

describe('progressPercent', () => {
  it('is the share of finished steps, bounded', () => {
    expect(progressPercent({ done: 0, total: 3 })).toBe(0);
    expect(progressPercent({ done: 1, total: 3 })).toBe(33);
    expect(progressPercent({ done: 3, total: 3 })).toBe(100);
    expect(progressPercent({ done: 5, total: 3 })).toBe(100);
    expect(progressPercent({ done: 0, total: 0 })).toBe(0);
  });
});

describe('wording', () => {
  it('gives states a tone and a label', () => {
    expect(stateTone('succeeded')).toBe('ok');
    expect(stateTone('rollback_failed')).toBe('bad');
    expect(stateTone('verifying')).toBe('busy');
    expect(stateTone('something new' as StepState)).toBe('idle');
    expect(stateLabel('rollback_manual')).toBe('rollback manual');
  });

  it('names run events and gives messages a tone', () => {
    expect(eventLabel('wave_done')).toBe('Each wave done');
    expect(eventLabel('rollback_finished')).toBe('Rollback finished');
    expect(eventLabel('validation_closed')).toBe('validation closed');
    expect(outboxTone('sent')).toBe('ok');
    expect(outboxTone('failed')).toBe('bad');
    expect(outboxTone('pending')).toBe('warn');
    expect(outboxTone('new' as OutboxState)).toBe('idle');
  });

  it('says what an exit code means', () => {
    expect(exitMeaning(0)).toBe('every step done');
    expect(exitMeaning(3)).toBe('rolled back');
    expect(exitMeaning(4)).toBe('needs a person');
    expect(exitMeaning(null)).toBe('not finished');
    expect(exitMeaning(1)).toBe('failed');
  });

  it('writes contacts and triggers on one line', () => {
    expect(contactLine({ name: 'Alex', handle: '@alex', phone: '+1 555' })).toBe('Alex (@alex, +1 555)');
    expect(contactLine({ name: 'Emma' })).toBe('Emma');
    expect(contactLine(null)).toBe('');
    expect(contactShort({ name: 'Alex', handle: '@alex', phone: '+1 555' })).toBe('Alex (@alex)');
    expect(contactShort({ name: 'Emma', email: 'e@x' })).toBe('Emma');
    expect(triggerLine({ kind: 'metric', endpoint: 'm', query: 'err_rate', above: 0.05, for_s: 600 })).toBe('Metric err_rate above 0.05 for 600 s');
    expect(triggerLine({ kind: 'metric', endpoint: 'm', query: 'ok', below: 1 })).toBe('Metric ok below 1');
    expect(triggerLine({ kind: 'verify_failed' })).toBe('A step or a verification check fails');
    expect(triggerLine({ kind: 'manual', text: 'On-call says stop' })).toBe('Manual: On-call says stop');
  });
});

describe('the run confirmation', () => {
  it('needs force only while pre-flight items are open', () => {
    expect(runGate(0, false)).toEqual({ needsForce: false, canStart: true });
    expect(runGate(2, false)).toEqual({ needsForce: true, canStart: false });
    expect(runGate(2, true)).toEqual({ needsForce: true, canStart: true });
  });

  it('reads the watch field as whole seconds or the default', () => {
    expect(parseWatch('')).toBeNull();
    expect(parseWatch(' 2 ')).toBe(2);
    expect(parseWatch('0')).toBe(0);
    expect(parseWatch('1.5')).toBe('invalid');
    expect(parseWatch('-3')).toBe('invalid');
    expect(parseWatch('soon')).toBe('invalid');
  });
});
