// Committing a previewed slip: the one edit that makes the stored plan what the
// preview showed. A component with an ETA gets the ETA the preview computed;
// one without gets the longer duration. A done component is not slipped.

import type { Edit, ReleaseView, WhatIf } from './types';

export function slipCommit(
  view: ReleaseView,
  key: string,
  days: number,
  report: WhatIf,
): { edit: Edit; what: string } | null {
  const c = view.release.components.find((x) => x.key === key);
  if (!c || days <= 0 || c.done_on || report.slips[0]?.component !== key) return null;
  const release = view.release.key;
  if (c.eta) {
    const moved = report.components.find((m) => m.key === key);
    if (!moved) return null;
    return {
      edit: { op: 'set_component', release, component: key, field: 'eta', value: moved.ef_after },
      what: `the ETA of ${key} to ${moved.ef_after}`,
    };
  }
  const duration = c.duration_days + days;
  return {
    edit: { op: 'set_component', release, component: key, field: 'duration_days', value: duration },
    what: `the duration of ${key} to ${duration} working days`,
  };
}
