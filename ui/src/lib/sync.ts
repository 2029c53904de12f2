// The Sync view's data (src-tauri/merge/link.rs, conflicts.rs) and its logic:
// how a conflict's path and values read, and the choices sent to `resolve`.

import type { Conflict, Side, SyncReport } from './generated';

export type { Conflict, Difference, LinkReport, Problem, Side, SyncReport } from './generated';

/** A value of a conflict or a difference as a cell shows it. */
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return '(absent)';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/**
 * A merge path for people: `releases["q1"].components["api"].eta` →
 * `components › api › eta` (the release is the page's own).
 */
export function pathLabel(path: string): string {
  const parts: string[] = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]/g;
  for (const m of path.matchAll(re)) parts.push(m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[3] ?? '');
  if (parts[0] === 'releases' && parts.length > 2) parts.splice(0, 2);
  return parts.length ? parts.join(' › ') : path;
}

/**
 * The resolutions to send: a side for every conflict. `null` while a conflict
 * has no choice yet (Apply stays off).
 */
export function resolutions(conflicts: Conflict[], chosen: Record<string, Side | undefined>): Record<string, Side> | null {
  const out: Record<string, Side> = {};
  for (const c of conflicts) {
    const side = chosen[c.path];
    if (!side) return null;
    out[c.path] = side;
  }
  return out;
}

/** Whether the side exists in this conflict (a base may be absent: no base to choose). */
export function sideOffered(c: Conflict, side: Side): boolean {
  return side !== 'base' || (c.base !== null && c.base !== undefined);
}

/** One line about what a sync did. */
export function syncSummary(r: SyncReport): string {
  const parts: string[] = [];
  parts.push(r.applied.length === 1 ? '1 change applied' : `${r.applied.length} changes applied`);
  if (r.conflicts.length) parts.push(r.conflicts.length === 1 ? '1 conflict to decide' : `${r.conflicts.length} conflicts to decide`);
  if (r.problems.length) parts.push(r.problems.length === 1 ? '1 problem: nothing applied' : `${r.problems.length} problems: nothing applied`);
  return parts.join(', ');
}
