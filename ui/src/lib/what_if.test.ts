import { describe, expect, it } from 'vitest';
import type { ReleaseView, WhatIf } from './types';
import { slipCommit } from './what_if';

const view = {
  release: {
    key: 'q1',
    components: [
      { key: 'api', title: 'API', team: 'api', status: 'testing', duration_days: 6, eta: '2025-02-04' },
      { key: 'web', title: 'Web', team: 'web', status: 'planning', duration_days: 5 },
      { key: 'old', title: 'Old', team: 'web', status: 'released', duration_days: 2, done_on: '2025-01-10' },
    ],
  },
} as unknown as ReleaseView;

const report = (key: string, efAfter: string) =>
  ({ slips: [{ component: key, days: 3 }], components: [{ key, ef_after: efAfter }] }) as unknown as WhatIf;

describe('slipCommit', () => {
  it('moves the ETA to the finish the preview computed', () => {
    expect(slipCommit(view, 'api', 3, report('api', '2025-02-07'))?.edit).toEqual({
      op: 'set_component',
      release: 'q1',
      component: 'api',
      field: 'eta',
      value: '2025-02-07',
    });
  });

  it('lengthens the duration of a component without an ETA', () => {
    expect(slipCommit(view, 'web', 3, report('web', '2025-02-20'))?.edit).toMatchObject({ field: 'duration_days', value: 8 });
  });

  it('offers nothing for a done component, no slip, or a stale preview', () => {
    expect(slipCommit(view, 'old', 3, report('old', '2025-01-15'))).toBeNull();
    expect(slipCommit(view, 'web', 0, report('web', '2025-02-20'))).toBeNull();
    expect(slipCommit(view, 'web', 3, report('api', '2025-02-07'))).toBeNull();
  });
});
