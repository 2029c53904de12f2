import { describe, expect, it } from 'vitest';
import { drawnHeight, HEIGHT_STEP, layoutTimeline, PX_PER_DAY, staggerLabels, ticks, xOf, type DateLine } from './timeline';
import type { Analysis, Release, Team } from './types';

const release: Release = {
  key: 'r',
  name: 'R',
  status: 'planning',
  start: '2025-01-06',
  feature_freeze: '2025-01-17',
  code_freeze: '2025-01-20',
  release_date: '2025-01-24',
  components: [
    { key: 'a', title: 'A', team: 'api', status: 'planning', duration_days: 3 },
    { key: 'b', title: 'B', team: 'web', status: 'planning', duration_days: 2 },
    { key: 'c', title: 'C', team: 'api', status: 'planning', duration_days: 1 },
  ],
  dependencies: [{ from: 'a', to: 'b' }],
  milestones: [{ key: 'm', name: 'M', components: ['a', 'b'], due: '2025-01-10' }],
};

const sched = (key: string, team: string, es: string, ef: string, lf: string, float: number) => ({
  key,
  team,
  es,
  ef,
  ls: es,
  lf,
  total_float: float,
  critical: float === 0,
  deadline_slack: 0,
  duration: 1,
  duration_days: 1,
  done: false,
  eta_inconsistent: false,
  wave: 1,
});

const analysis = {
  today: '2025-01-08',
  critical_path: ['a', 'b'],
  components: [
    sched('a', 'api', '2025-01-06', '2025-01-08', '2025-01-08', 0),
    sched('b', 'web', '2025-01-09', '2025-01-10', '2025-01-10', 0),
    sched('c', 'api', '2025-01-06', '2025-01-06', '2025-01-10', 4),
  ],
  dependencies: [{ from: 'a', to: 'b', state: 'ok', critical: true }],
  milestones: [{ key: 'm', state: 'at_risk' }],
} as unknown as Analysis;

const teams: Team[] = [
  { key: 'web', name: 'Web' },
  { key: 'api', name: 'API' },
];

describe('layoutTimeline', () => {
  const l = layoutTimeline(release, analysis, teams, 'day', '2025-01-08');

  it('has a swimlane per team in workspace order, each with its components', () => {
    expect(l.lanes.map((x) => x.name)).toEqual(['Web', 'API']);
    expect(l.bars.map((b) => b.key)).toEqual(['b', 'a', 'c']);
  });

  it('draws a bar from earliest start to the end of the earliest finish day, then the float', () => {
    const a = l.bars.find((b) => b.key === 'a')!;
    expect(a.width).toBe(3 * PX_PER_DAY.day);
    expect(a.x).toBe(xOf(l, '2025-01-06'));
    const c = l.bars.find((b) => b.key === 'c')!;
    expect(c.floatWidth).toBe(4 * PX_PER_DAY.day);
    expect(a.floatWidth).toBe(0);
    expect(a.critical).toBe(true);
  });

  it('draws an arrow per dependency, a diamond per milestone and the date lines', () => {
    expect(l.arrows.map((x) => [x.from, x.to, x.critical])).toEqual([['a', 'b', true]]);
    expect(l.diamonds).toMatchObject([{ key: 'm', state: 'at_risk' }]);
    expect(l.lines.map((x) => x.id)).toEqual(['feature_freeze', 'code_freeze', 'release_date', 'today']);
  });

  it('keeps one lane when filtered by team, and scales with the zoom', () => {
    const web = layoutTimeline(release, analysis, teams, 'day', '2025-01-08', 'web');
    expect(web.bars.map((b) => b.key)).toEqual(['b']);
    expect(web.arrows).toEqual([]);
    const months = layoutTimeline(release, analysis, teams, 'month', '2025-01-08');
    expect(months.pxPerDay).toBe(PX_PER_DAY.month);
    expect(months.width).toBeLessThan(l.width);
  });
});

describe('ticks', () => {
  it('marks Mondays at week zoom and the 1st at month zoom', () => {
    const first = 20093; // 2025-01-05, a Sunday
    expect(ticks(first, first + 7, 'week', 10).map((t) => t.label)).toEqual(['6 Jan']);
    expect(ticks(first, first + 40, 'month', 1).map((t) => t.label)).toEqual(['Feb 2025']);
    expect(ticks(first, first + 2, 'day', 30).map((t) => t.label)).toEqual(['5 Jan', '6', '7']);
  });
});

describe('staggerLabels', () => {
  it('moves a label that would run into the one before it to the next row', () => {
    const lines = [
      { id: 'feature_freeze', label: 'Feature freeze', x: 0, date: '', row: 0 },
      { id: 'code_freeze', label: 'Code freeze', x: 30, date: '', row: 0 },
      { id: 'release_date', label: 'Release', x: 400, date: '', row: 0 },
    ] as DateLine[];
    staggerLabels(lines);
    expect(lines.map((l) => l.row)).toEqual([0, 1, 0]);
  });
});

describe('drawnHeight', () => {
  it('keeps a short release at its height and grows a long one in steps', () => {
    expect(drawnHeight(300)).toBe(300);
    expect(drawnHeight(HEIGHT_STEP)).toBe(HEIGHT_STEP);
    expect(drawnHeight(HEIGHT_STEP + 1)).toBe(2 * HEIGHT_STEP);
    expect(drawnHeight(2 * HEIGHT_STEP - 26)).toBe(2 * HEIGHT_STEP);
    // An add on a long release (one more row) leaves the drawing's size alone.
    expect(drawnHeight(HEIGHT_STEP * 10 + 100)).toBe(drawnHeight(HEIGHT_STEP * 10 + 126));
  });
});

describe('dayNumber cache', () => {
  it('answers repeated dates the same and still refuses bad ones', async () => {
    const { dayNumber } = await import('./calendar');
    expect(dayNumber('2025-03-01')).toBe(dayNumber('2025-03-01'));
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(() => dayNumber('2025-02-30')).toThrow(RangeError);
    expect(() => dayNumber('2025-02-30')).toThrow(RangeError);
  });
});
