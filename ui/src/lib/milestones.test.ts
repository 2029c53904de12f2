import { describe, expect, it } from 'vitest';
import { milestones } from './milestones';
import type { ReleaseSummary } from './release';

const q1: ReleaseSummary = {
  key: 'q1-2025',
  name: 'Q1 2025 Platform',
  status: 'in_development',
  start: '2025-01-06',
  feature_freeze: '2025-02-14',
  code_freeze: '2025-03-03',
  release_date: '2025-03-17',
  archived: false,
  components: 12,
  dependencies: 9,
};

describe('milestones', () => {
  it('counts the days to each freeze and to the release from today', () => {
    const rows = milestones(q1, '2025-03-03');
    expect(rows.map((m) => [m.id, m.date, m.days, m.relative, m.nearness])).toEqual([
      ['start', '2025-01-06', null, null, null],
      ['feature_freeze', '2025-02-14', -17, '17 days ago', 'past'],
      ['code_freeze', '2025-03-03', 0, 'today', 'today'],
      ['release_date', '2025-03-17', 14, 'in 14 days', 'later'],
    ]);
    expect(rows.map((m) => m.label)).toEqual(['Start', 'Feature freeze', 'Code freeze', 'Release']);
  });

  it('leaves a freeze the release does not set without a countdown', () => {
    const rows = milestones({ ...q1, feature_freeze: null, code_freeze: null }, '2025-03-12');
    expect(rows[1]).toEqual({
      id: 'feature_freeze',
      label: 'Feature freeze',
      date: null,
      days: null,
      relative: null,
      nearness: null,
    });
    expect(rows[2]?.date).toBeNull();
    expect(rows[3]?.relative).toBe('in 5 days');
    expect(rows[3]?.nearness).toBe('soon');
  });
});
