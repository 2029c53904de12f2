import { describe, expect, it } from 'vitest';
import type { Endpoint, RollbackTrigger, Slot, Team } from './generated';
import {
  emptyTriggerForm,
  fillSlots,
  hhmm,
  minutesOf,
  moveItem,
  nextSlotTime,
  parseSeconds,
  parseThreshold,
  prometheusEndpoints,
  putTrigger,
  removeTrigger,
  scheduleFormOf,
  scheduleValue,
  teamsWithoutSlot,
  triggerFormOf,
  triggerOf,
  triggerSummary,
  type TriggerForm,
} from './release_settings';

const teams: Team[] = [
  { key: 'data', name: 'Data Platform' },
  { key: 'web', name: 'Web' },
  { key: 'ops', name: 'Ops' },
];

const slots: Slot[] = [
  { team: 'data', at: '06:00' },
  { team: 'web', at: '07:30' },
  { team: 'ops', at: '09:00' },
];

describe('moveItem', () => {
  it('moves up and down', () => {
    expect(moveItem(slots, 1, 0).map((s) => s.team)).toEqual(['web', 'data', 'ops']);
    expect(moveItem(slots, 1, 2).map((s) => s.team)).toEqual(['data', 'ops', 'web']);
  });

  it('moves a dragged row onto the drop row, either way', () => {
    expect(moveItem(slots, 0, 2).map((s) => s.team)).toEqual(['web', 'ops', 'data']);
    expect(moveItem(slots, 2, 0).map((s) => s.team)).toEqual(['ops', 'data', 'web']);
  });

  it('keeps the times with their teams and leaves the input alone', () => {
    const moved = moveItem(slots, 0, 1);
    expect(moved[1]).toEqual({ team: 'data', at: '06:00' });
    expect(slots.map((s) => s.team)).toEqual(['data', 'web', 'ops']);
  });

  it('changes nothing out of range or onto itself', () => {
    expect(moveItem(slots, 0, -1)).toEqual(slots);
    expect(moveItem(slots, 2, 3)).toEqual(slots);
    expect(moveItem(slots, 1, 1)).toEqual(slots);
    expect(moveItem(slots, 1, 1)).not.toBe(slots);
  });
});

describe('times', () => {
  it('reads HH:MM strictly', () => {
    expect(minutesOf('06:30')).toBe(390);
    expect(minutesOf('23:59')).toBe(1439);
    expect(minutesOf('24:00')).toBeNull();
    expect(minutesOf('6:30')).toBeNull();
    expect(minutesOf('06:60')).toBeNull();
    expect(minutesOf('')).toBeNull();
  });

  it('writes HH:MM within the day', () => {
    expect(hhmm(390)).toBe('06:30');
    expect(hhmm(0)).toBe('00:00');
    expect(hhmm(1500)).toBe('23:59');
  });

  it('puts the next slot an hour after the last valid one, else at 06:00', () => {
    expect(nextSlotTime([])).toBe('06:00');
    expect(nextSlotTime(slots)).toBe('10:00');
    expect(nextSlotTime([...slots, { team: 'x', at: 'soon' }])).toBe('10:00');
    expect(nextSlotTime([{ team: 'x', at: '23:30' }])).toBe('23:59');
  });
});

describe('fillSlots', () => {
  it('adds the teams without a slot, in workspace order, an hour apart after the last', () => {
    const filled = fillSlots([{ team: 'web', at: '08:15' }], teams);
    expect(filled).toEqual([
      { team: 'web', at: '08:15' },
      { team: 'data', at: '09:15' },
      { team: 'ops', at: '10:15' },
    ]);
  });

  it('starts at 06:00 on an empty schedule', () => {
    expect(fillSlots([], teams).map((s) => s.at)).toEqual(['06:00', '07:00', '08:00']);
  });

  it('changes nothing when every team has a slot', () => {
    expect(fillSlots(slots, teams)).toEqual(slots);
    expect(teamsWithoutSlot(slots, teams)).toEqual([]);
  });

  it('keeps slots of teams the workspace no longer has', () => {
    const filled = fillSlots([{ team: 'gone', at: '12:00' }], teams.slice(0, 1));
    expect(filled).toEqual([
      { team: 'gone', at: '12:00' },
      { team: 'data', at: '13:00' },
    ]);
  });
});

describe('schedule value', () => {
  it('is null with neither a day nor a slot', () => {
    expect(scheduleValue({ date: '', slots: [] })).toBeNull();
    expect(scheduleValue({ date: '   ', slots: [] })).toBeNull();
  });

  it('keeps a day without slots, and slots without a day', () => {
    expect(scheduleValue({ date: '2025-03-14', slots: [] })).toEqual({ date: '2025-03-14', slots: [] });
    expect(scheduleValue({ date: '', slots: [{ team: 'web', at: ' 07:00 ' }] })).toEqual({
      date: null,
      slots: [{ team: 'web', at: '07:00' }],
    });
  });

  it('round-trips through the form', () => {
    const ds = { date: '2025-03-14', slots };
    expect(scheduleValue(scheduleFormOf(ds))).toEqual(ds);
    expect(scheduleFormOf(null)).toEqual({ date: '', slots: [] });
    expect(scheduleFormOf({ slots: [] })).toEqual({ date: '', slots: [] });
  });
});

describe('numbers', () => {
  it('parses thresholds', () => {
    expect(parseThreshold('')).toBeNull();
    expect(parseThreshold(' 0.05 ')).toBe(0.05);
    expect(parseThreshold('-2')).toBe(-2);
    expect(parseThreshold('.5')).toBe(0.5);
    expect(parseThreshold('1e3')).toBe(1000);
    expect(parseThreshold('abc')).toHaveProperty('problem');
    expect(parseThreshold('5%')).toHaveProperty('problem');
    expect(parseThreshold('Infinity')).toHaveProperty('problem');
  });

  it('parses seconds as a whole number of at most a day', () => {
    expect(parseSeconds('')).toBeNull();
    expect(parseSeconds('300')).toBe(300);
    expect(parseSeconds('0')).toBe(0);
    expect(parseSeconds('86400')).toBe(86400);
    expect(parseSeconds('86401')).toHaveProperty('problem');
    expect(parseSeconds('1.5')).toHaveProperty('problem');
    expect(parseSeconds('-1')).toHaveProperty('problem');
    expect(parseSeconds('5m')).toHaveProperty('problem');
  });
});

describe('triggerOf', () => {
  const metric = (over: Partial<TriggerForm>): TriggerForm => ({
    ...emptyTriggerForm('metric'),
    endpoint: 'prometheus',
    query: 'error_rate',
    above: '0.05',
    ...over,
  });

  it('builds a metric trigger with only the fields given', () => {
    expect(triggerOf(metric({ for_s: '300' }))).toEqual({
      trigger: { kind: 'metric', endpoint: 'prometheus', query: 'error_rate', above: 0.05, for_s: 300 },
    });
    expect(triggerOf(metric({ above: '', below: '0.9' }))).toEqual({
      trigger: { kind: 'metric', endpoint: 'prometheus', query: 'error_rate', below: 0.9 },
    });
  });

  it('writes no_data only when no data is a breach, and reads it back', () => {
    expect(emptyTriggerForm('metric').no_data).toBe('ignore');
    const r = triggerOf(metric({ no_data: 'breach' }));
    expect(r).toEqual({ trigger: { kind: 'metric', endpoint: 'prometheus', query: 'error_rate', above: 0.05, no_data: 'breach' } });
    if (!('trigger' in r)) return;
    expect(triggerFormOf(r.trigger).no_data).toBe('breach');
    expect(triggerFormOf({ kind: 'metric', endpoint: 'p', query: 'q', above: 1 }).no_data).toBe('ignore');
  });

  it('requires the endpoint, the query and a bound', () => {
    const r = triggerOf(metric({ endpoint: '', query: '  ', above: '' }));
    expect(r).toHaveProperty('problems');
    if (!('problems' in r)) return;
    expect(Object.keys(r.problems).sort()).toEqual(['above', 'endpoint', 'query']);
  });

  it('points at the field that is not a number', () => {
    const r = triggerOf(metric({ above: 'lots', below: '1', for_s: 'ten' }));
    expect('problems' in r && r.problems).toEqual({
      above: expect.stringContaining('not a number'),
      for_s: expect.stringContaining('whole number'),
    });
    const b = triggerOf(metric({ above: '', below: 'x' }));
    expect('problems' in b && Object.keys(b.problems)).toEqual(['below']);
  });

  it('builds text triggers, leaving out empty text', () => {
    expect(triggerOf({ ...emptyTriggerForm('manual'), text: ' P0 bug found ' })).toEqual({
      trigger: { kind: 'manual', text: 'P0 bug found' },
    });
    expect(triggerOf({ ...emptyTriggerForm('verify_failed'), query: 'ignored' })).toEqual({ trigger: { kind: 'verify_failed' } });
  });

  it('round-trips a trigger through the form', () => {
    const ts: RollbackTrigger[] = [
      { kind: 'metric', endpoint: 'prom', query: 'p99_latency', below: 0.5, above: 2, for_s: 60 },
      { kind: 'manual', text: 'Integration failure' },
      { kind: 'verify_failed' },
    ];
    for (const t of ts) expect(triggerOf(triggerFormOf(t))).toEqual({ trigger: t });
  });
});

describe('trigger list', () => {
  const a: RollbackTrigger = { kind: 'manual', text: 'a' };
  const b: RollbackTrigger = { kind: 'verify_failed' };
  const c: RollbackTrigger = { kind: 'manual', text: 'c' };

  it('adds at the end or replaces the edited one', () => {
    expect(putTrigger([a, b], c, null)).toEqual([a, b, c]);
    expect(putTrigger([a, b], c, 0)).toEqual([c, b]);
    expect(putTrigger([a, b], c, 5)).toEqual([a, b, c]);
  });

  it('removes by index', () => {
    expect(removeTrigger([a, b, c], 1)).toEqual([a, c]);
    expect(removeTrigger([a], 3)).toEqual([a]);
  });
});

describe('triggerSummary', () => {
  it('says what a metric trigger watches', () => {
    expect(triggerSummary({ kind: 'metric', endpoint: 'prometheus', query: 'error_rate', above: 0.05, for_s: 300 })).toBe(
      'metric error_rate on prometheus above 0.05 for 300 s',
    );
    expect(triggerSummary({ kind: 'metric', endpoint: 'prom', query: 'up', below: 1 })).toBe('metric up on prom below 1');
    expect(triggerSummary({ kind: 'metric', endpoint: 'prom', query: 'x', above: 5, below: 1, for_s: 0 })).toBe(
      'metric x on prom above 5 or below 1',
    );
  });

  it('names the other kinds, with their text', () => {
    expect(triggerSummary({ kind: 'verify_failed' })).toBe('verify failed');
    expect(triggerSummary({ kind: 'verify_failed', text: 'smoke tests' })).toBe('verify failed: smoke tests');
    expect(triggerSummary({ kind: 'manual', text: 'P0 bug found' })).toBe('manual: P0 bug found');
    expect(triggerSummary({ kind: 'manual', text: null })).toBe('manual');
  });
});

describe('prometheusEndpoints', () => {
  it('lists the Prometheus endpoints by name, sorted', () => {
    const endpoints: Record<string, Endpoint> = {
      zeta: { kind: 'prometheus', base_url: 'https://z' },
      ci: { kind: 'github_actions', base_url: 'https://api.github.com', repo: 'a/b' },
      alpha: { kind: 'prometheus', base_url: 'https://a' },
    };
    expect(prometheusEndpoints(endpoints)).toEqual(['alpha', 'zeta']);
    expect(emptyTriggerForm('metric', ['only']).endpoint).toBe('only');
    expect(emptyTriggerForm('metric', ['a', 'b']).endpoint).toBe('');
  });
});
