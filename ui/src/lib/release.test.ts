import { describe, expect, it } from 'vitest';
import {
  countLabel,
  groupReleases,
  isReleaseStatus,
  RELEASE_STATUSES,
  sortByReleaseDate,
  statusLabel,
  type ReleaseSummary,
} from './release';

function release(key: string, release_date: string, start = '2025-01-06'): ReleaseSummary {
  return {
    key,
    name: key.toUpperCase(),
    status: 'planning',
    start,
    feature_freeze: null,
    code_freeze: null,
    release_date,
    archived: false,
    components: 0,
    dependencies: 0,
  };
}

describe('statusLabel', () => {
  it('names every column as the board does', () => {
    expect(RELEASE_STATUSES.map(statusLabel)).toEqual([
      'Planning',
      'In Development',
      'Testing',
      'Staging',
      'Ready for Release',
      'Released',
    ]);
  });

  it('shows a status it does not know as sent', () => {
    expect(statusLabel('on_hold')).toBe('on_hold');
    expect(isReleaseStatus('on_hold')).toBe(false);
    expect(isReleaseStatus('ready')).toBe(true);
  });
});

describe('sortByReleaseDate', () => {
  it('puts the earliest release date first', () => {
    const sorted = sortByReleaseDate([
      release('q3', '2025-09-30'),
      release('q1', '2025-03-31'),
      release('q2', '2025-06-30'),
    ]);
    expect(sorted.map((r) => r.key)).toEqual(['q1', 'q2', 'q3']);
  });

  it('breaks ties by start, then by key', () => {
    const sorted = sortByReleaseDate([
      release('b', '2025-03-31', '2025-01-06'),
      release('late-start', '2025-03-31', '2025-02-03'),
      release('a', '2025-03-31', '2025-01-06'),
    ]);
    expect(sorted.map((r) => r.key)).toEqual(['a', 'b', 'late-start']);
  });

  it('leaves its input as it was', () => {
    const input = [release('q2', '2025-06-30'), release('q1', '2025-03-31')];
    sortByReleaseDate(input);
    expect(input.map((r) => r.key)).toEqual(['q2', 'q1']);
  });

  it('handles no releases', () => {
    expect(sortByReleaseDate([])).toEqual([]);
  });
});

describe('groupReleases', () => {
  it('puts archived releases in a group of their own, both by release date', () => {
    const groups = groupReleases([
      release('q4', '2025-12-15'),
      { ...release('q2-old', '2025-06-30'), archived: true },
      release('q3', '2025-09-30'),
      { ...release('q1-old', '2025-03-31'), archived: true },
    ]);
    expect(groups.current.map((r) => r.key)).toEqual(['q3', 'q4']);
    expect(groups.archived.map((r) => r.key)).toEqual(['q1-old', 'q2-old']);
  });

  it('gives empty groups for no releases', () => {
    expect(groupReleases([])).toEqual({ current: [], archived: [] });
  });
});

describe('countLabel', () => {
  it('uses the singular only for one', () => {
    expect(countLabel(0, 'component')).toBe('0 components');
    expect(countLabel(1, 'component')).toBe('1 component');
    expect(countLabel(14, 'dependency', 'dependencies')).toBe('14 dependencies');
    expect(countLabel(1, 'dependency', 'dependencies')).toBe('1 dependency');
  });
});
