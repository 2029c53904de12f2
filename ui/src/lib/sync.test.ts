import { describe, expect, it } from 'vitest';
import { pathLabel, resolutions, showValue, sideOffered, syncSummary, type Conflict, type SyncReport } from './sync';

const eta: Conflict = {
  path: 'releases["q1-2025"].components["auth-service"].eta',
  base: '2025-02-10',
  ours: '2025-02-12',
  theirs: '2025-02-14',
};
const added: Conflict = { path: 'releases["q1-2025"].components["x"]', base: null, ours: { key: 'x' }, theirs: { key: 'x', team: 'web' } };

describe('pathLabel', () => {
  it('drops the release and joins the rest', () => {
    expect(pathLabel(eta.path)).toBe('components › auth-service › eta');
    expect(pathLabel('releases["q1"].checklist[2].done')).toBe('checklist › 2 › done');
    expect(pathLabel('teams["web"].name')).toBe('teams › web › name');
  });

  it('keeps keys with dots and escaped quotes whole', () => {
    expect(pathLabel('releases["q1"].components["a.b"].eta')).toBe('components › a.b › eta');
    expect(pathLabel('releases["q1"].components["say \\"hi\\""].eta')).toBe('components › say "hi" › eta');
  });
});

describe('showValue', () => {
  it('shows strings bare, absence as such, other values as JSON', () => {
    expect(showValue('2025-02-14')).toBe('2025-02-14');
    expect(showValue(null)).toBe('(absent)');
    expect(showValue(undefined)).toBe('(absent)');
    expect(showValue(3)).toBe('3');
    expect(showValue({ key: 'x' })).toBe('{"key":"x"}');
  });
});

describe('resolutions', () => {
  it('is null until every conflict has a side', () => {
    expect(resolutions([eta, added], { [eta.path]: 'theirs' })).toBeNull();
    expect(resolutions([eta, added], { [eta.path]: 'theirs', [added.path]: 'ours' })).toEqual({
      [eta.path]: 'theirs',
      [added.path]: 'ours',
    });
  });

  it('sends only the conflicts of this report', () => {
    expect(resolutions([eta], { [eta.path]: 'base', stale: 'ours' })).toEqual({ [eta.path]: 'base' });
  });

  it('offers the base only when there is one', () => {
    expect(sideOffered(eta, 'base')).toBe(true);
    expect(sideOffered(added, 'base')).toBe(false);
    expect(sideOffered(added, 'theirs')).toBe(true);
  });
});

describe('syncSummary', () => {
  const report = (applied: number, conflicts: number, problems: number): SyncReport => ({
    release: 'q1',
    path: '/tmp/q1.json',
    applied: Array.from({ length: applied }, (_, i) => ({ path: `p${i}`, old: 1, new: 2 })),
    conflicts: Array.from({ length: conflicts }, () => eta),
    problems: Array.from({ length: problems }, () => ({ code: 'cycle', path: 'x', message: 'a cycle', detail: null })),
  });

  it('counts what happened', () => {
    expect(syncSummary(report(0, 0, 0))).toBe('0 changes applied');
    expect(syncSummary(report(1, 1, 0))).toBe('1 change applied, 1 conflict to decide');
    expect(syncSummary(report(2, 3, 1))).toBe('2 changes applied, 3 conflicts to decide, 1 problem: nothing applied');
  });
});
