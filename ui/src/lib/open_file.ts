// A plan file opened from outside the window (the file manager, `flotilla
// PLAN_FILE`, a second start on this workspace): the words of the dialog that
// asks whether to import it or link to it (src-tauri/views/open_file.rs).

import type { Difference, OpenedFile, OpenedRelease, OpenOutcome } from './generated';

/** How many changes of one release the dialog lists before "and N more". */
export const CHANGES_SHOWN = 12;

/** A value of a difference, short: strings bare, the rest as JSON, cut at 60 characters. */
export function shortValue(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * One change as a line: `path: old → new`, `path: added`, `path: removed`; a
 * path inside the release `key` is shown from the release (`name`, not
 * `releases["q1"].name`).
 */
export function changeLine(d: Difference, key = ''): string {
  const inside = `releases["${key}"].`;
  const path = key !== '' && d.path.startsWith(inside) ? d.path.slice(inside.length) : d.path;
  if (d.old === null || d.old === undefined) return `${path}: added (${shortValue(d.new)})`;
  if (d.new === null || d.new === undefined) return `${path}: removed`;
  return `${path}: ${shortValue(d.old)} → ${shortValue(d.new)}`;
}

/** What importing does to one release, in words. */
export function releaseState(r: OpenedRelease): string {
  if (!r.in_workspace) return 'new: importing adds it';
  if (r.changes.length === 0) return 'in the workspace, the same as the file';
  const n = r.changes.length;
  return `in the workspace: importing replaces it (${n} change${n === 1 ? '' : 's'})`;
}

/** The import button's words: replacing is said. */
export function importLabel(file: OpenedFile): string {
  const replaced = file.releases.filter((r) => r.in_workspace && r.changes.length > 0).length;
  return replaced === 0 ? 'Import' : `Import and replace ${replaced} release${replaced === 1 ? '' : 's'}`;
}

/** What the notice says after opening. */
export function outcomeNotice(path: string, o: OpenOutcome): string {
  const keys = o.releases.join(', ');
  if (o.choice === 'import') return `Imported ${keys} from ${path}`;
  const l = o.link;
  if (l && !l.same_as_workspace) return `Linked ${keys} to ${path}: the file differs, sync it on the release's Sync tab`;
  return `Linked ${keys} to ${path}`;
}
