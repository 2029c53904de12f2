import { describe, expect, it } from 'vitest';
import { boardColumns, columnAt } from './board';
import type { Component, ComponentSchedule } from './types';

const comp = (key: string, team: string, status: Component['status']): Component => ({
  key,
  title: key,
  team,
  status,
  duration_days: 3,
});

describe('boardColumns', () => {
  const components = [comp('a', 'api', 'testing'), comp('b', 'web', 'planning'), comp('c', 'api', 'testing')];
  const schedules = [{ key: 'a', critical: true } as ComponentSchedule];

  it('has the six columns of the seeds, in order, each card under its status', () => {
    const cols = boardColumns(components, schedules);
    expect(cols.map((c) => c.label)).toEqual([
      'Planning',
      'In Development',
      'Testing',
      'Staging',
      'Ready for Release',
      'Released',
    ]);
    expect(cols[2]?.cards.map((c) => c.component.key)).toEqual(['a', 'c']);
    expect(cols[0]?.cards.map((c) => c.component.key)).toEqual(['b']);
    expect(cols[2]?.cards[0]?.schedule?.critical).toBe(true);
    expect(cols[2]?.cards[1]?.schedule).toBeUndefined();
  });

  it('keeps one team when filtered', () => {
    const cols = boardColumns(components, schedules, 'web');
    expect(cols.flatMap((c) => c.cards.map((x) => x.component.key))).toEqual(['b']);
  });
});

describe('columnAt', () => {
  it('finds the column under x, none outside', () => {
    const cols = [
      { left: 0, width: 100, status: 'planning' as const },
      { left: 100, width: 100, status: 'testing' as const },
    ];
    expect(columnAt(50, cols)).toBe('planning');
    expect(columnAt(100, cols)).toBe('testing');
    expect(columnAt(250, cols)).toBeNull();
  });
});
