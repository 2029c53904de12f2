// One release as the `list_releases` command returns it, its status labels and
// the order the list shows releases in.

/** The board columns a release moves through, in order. */
export const RELEASE_STATUSES = [
  'planning',
  'in_development',
  'testing',
  'staging',
  'ready',
  'released',
] as const;

export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

/** A row of `list_releases`. Dates are calendar dates, `YYYY-MM-DD`. */
export interface ReleaseSummary {
  key: string;
  name: string;
  status: ReleaseStatus;
  start: string;
  feature_freeze?: string | null;
  code_freeze?: string | null;
  release_date: string;
  archived: boolean;
  components: number;
  dependencies: number;
}

const STATUS_LABELS: Record<ReleaseStatus, string> = {
  planning: 'Planning',
  in_development: 'In Development',
  testing: 'Testing',
  staging: 'Staging',
  ready: 'Ready for Release',
  released: 'Released',
};

export function isReleaseStatus(value: string): value is ReleaseStatus {
  return (RELEASE_STATUSES as readonly string[]).includes(value);
}

/** The column name a person reads; a status this UI does not know yet is shown as sent. */
export function statusLabel(status: string): string {
  return isReleaseStatus(status) ? STATUS_LABELS[status] : status;
}

/**
 * Releases by release date, earliest first; the same date by start, then by key,
 * so the order never depends on the order the backend happened to send.
 * Returns a new array.
 */
export function sortByReleaseDate(releases: readonly ReleaseSummary[]): ReleaseSummary[] {
  return [...releases].sort(
    (a, b) =>
      compareText(a.release_date, b.release_date) ||
      compareText(a.start, b.start) ||
      compareText(a.key, b.key),
  );
}

/** The list's two groups: releases still in play, then archived ones; each by release date. */
export function groupReleases(releases: readonly ReleaseSummary[]): {
  current: ReleaseSummary[];
  archived: ReleaseSummary[];
} {
  const sorted = sortByReleaseDate(releases);
  return {
    current: sorted.filter((r) => !r.archived),
    archived: sorted.filter((r) => r.archived),
  };
}

// ISO dates and keys compare correctly as plain code-unit strings.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "1 component", "3 components". */
export function countLabel(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
