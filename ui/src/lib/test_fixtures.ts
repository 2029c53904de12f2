// Small releases shared by the unit tests (imported by *.test.ts only, so the
// app's bundle leaves them out).

import type { Release } from './types';

/** Three components over two teams: a blocks b (needed by 8 Feb), b blocks c. */
export const threeComponents: Release = {
  key: 'r',
  name: 'R',
  status: 'planning',
  start: '2025-01-06',
  release_date: '2025-03-01',
  components: [
    { key: 'a', title: 'A', team: 'api', status: 'planning', duration_days: 3 },
    { key: 'b', title: 'B', team: 'web', status: 'testing', duration_days: 2 },
    { key: 'c', title: 'C', team: 'web', status: 'planning', duration_days: 2 },
  ],
  dependencies: [
    { from: 'a', to: 'b', needed_by: '2025-02-08' },
    { from: 'b', to: 'c' },
  ],
};
