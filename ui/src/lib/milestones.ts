// The four dates a release row shows, with how far each is from today.

import { daysBetween, nearness, relativeDays, type Nearness } from './calendar';
import type { ReleaseSummary } from './release';

export interface Milestone {
  id: 'start' | 'feature_freeze' | 'code_freeze' | 'release_date';
  label: string;
  /** `YYYY-MM-DD`, or null when the release does not set this freeze. */
  date: string | null;
  /** Calendar days from today; null for the start and for a date not set. */
  days: number | null;
  /** "in 12 days", "today", "3 days ago"; null where `days` is. */
  relative: string | null;
  nearness: Nearness | null;
}

/** Start, feature freeze, code freeze and release date, in that order. */
export function milestones(release: ReleaseSummary, today: string): Milestone[] {
  const countdown = (id: Milestone['id'], label: string, date: string | null): Milestone => {
    if (date === null) return { id, label, date, days: null, relative: null, nearness: null };
    const days = daysBetween(today, date);
    return { id, label, date, days, relative: relativeDays(days), nearness: nearness(days) };
  };
  return [
    { id: 'start', label: 'Start', date: release.start, days: null, relative: null, nearness: null },
    countdown('feature_freeze', 'Feature freeze', release.feature_freeze ?? null),
    countdown('code_freeze', 'Code freeze', release.code_freeze ?? null),
    countdown('release_date', 'Release', release.release_date),
  ];
}
