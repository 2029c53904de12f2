// The release form of the releases list: which edits a change of name and
// dates makes, and the release a "New release" form creates.

import type { Edit, Release, ReleaseField } from './types';

export interface ReleaseForm {
  name: string;
  start: string;
  feature_freeze: string;
  code_freeze: string;
  release_date: string;
}

const FIELDS: readonly (keyof ReleaseForm & ReleaseField)[] = [
  'name',
  'start',
  'feature_freeze',
  'code_freeze',
  'release_date',
];

/** The form filled from a release. */
export function formOf(r: { name: string; start: string; feature_freeze?: string | null; code_freeze?: string | null; release_date: string }): ReleaseForm {
  return {
    name: r.name,
    start: r.start,
    feature_freeze: r.feature_freeze ?? '',
    code_freeze: r.code_freeze ?? '',
    release_date: r.release_date,
  };
}

/** One edit with every changed field (empty freeze: cleared), or null when nothing changed. */
export function releaseEdits(key: string, before: ReleaseForm, after: ReleaseForm): Edit | null {
  const edits: Edit[] = [];
  for (const field of FIELDS) {
    const value = after[field].trim();
    if (value === before[field].trim()) continue;
    edits.push({ op: 'set_release', release: key, field, value: value === '' ? null : value });
  }
  if (edits.length === 0) return null;
  if (edits.length === 1) return edits[0]!;
  return { op: 'batch', release: key, edits };
}

/** A new, empty release. */
export function newRelease(key: string, form: ReleaseForm): Release {
  return {
    key: key.trim(),
    name: form.name.trim(),
    status: 'planning',
    start: form.start,
    feature_freeze: form.feature_freeze || null,
    code_freeze: form.code_freeze || null,
    release_date: form.release_date,
    components: [],
  };
}
