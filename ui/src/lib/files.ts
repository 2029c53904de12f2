// What the native file chooser is asked for, per use: its title, the file it
// suggests (in the home folder, named after the release) and its file types.

import type { ExportFormat } from './bus';
import { EXPORT_FORMATS, RUNBOOK_FORMATS } from './generated';

/** One entry of the chooser's file-type list. */
export interface FileFilter {
  name: string;
  extensions: string[];
}

/** The argument of the `choose_file` command (src-tauri/desktop/dialogs.rs). */
export interface FileChoice {
  mode: 'open' | 'save';
  title: string;
  /** Save: the suggested file. Open: the folder the chooser starts in. */
  defaultPath: string | null;
  filters: FileFilter[];
}

/** The exports of `flotilla export`: file type name and extension (from the generated table). */
export const EXPORT_TYPES = Object.fromEntries(
  EXPORT_FORMATS.map((f) => [f.name, { label: f.label, name: f.file_type, ext: f.ext }]),
) as Record<ExportFormat, { label: string; name: string; ext: string }>;

/** A runbook format, as `flotilla runbook --format` names it (generated from src-tauri/runbook/mod.rs). */
export type RunbookFormat = (typeof RUNBOOK_FORMATS)[number]['name'];

const RUNBOOK_TYPES = Object.fromEntries(
  RUNBOOK_FORMATS.map((f) => [f.name, { label: f.label, name: f.file_type, ext: f.ext }]),
) as Record<RunbookFormat, { label: string; name: string; ext: string }>;

const DRAWING_TYPES = {
  svg: { name: 'SVG image', ext: 'svg' },
  png: { name: 'PNG image', ext: 'png' },
} as const;

const PLAN_FILTER: FileFilter = { name: 'Flotilla plan (JSON)', extensions: ['json'] };

/** `name` in the folder `dir` (no folder when `dir` is empty: the chooser then starts where it likes). */
export function inFolder(dir: string, name: string): string {
  const d = dir.replace(/\/+$/, '');
  return d === '' && !dir.startsWith('/') ? name : `${d}/${name}`;
}

/** The folder of a path (`/a/b/c.json` → `/a/b`), or '' when it has none. */
export function folderOf(path: string): string {
  const at = path.lastIndexOf('/');
  if (at < 0) return '';
  return at === 0 ? '/' : path.slice(0, at);
}

/** Export of one release (or, with `release` null, the whole plan) as `format`. */
export function exportChoice(format: ExportFormat, release: string | null, home: string): FileChoice {
  const t = EXPORT_TYPES[format];
  return {
    mode: 'save',
    title: release ? `Export release ${release} as ${t.label}` : `Export the whole plan as ${t.label}`,
    defaultPath: inFolder(home, `${release ?? 'flotilla-plan'}.${t.ext}`),
    filters: [{ name: t.name, extensions: [t.ext] }],
  };
}

/** Import of a plan file. */
export function importChoice(home: string): FileChoice {
  return { mode: 'open', title: 'Import a plan file', defaultPath: home || null, filters: [PLAN_FILTER] };
}

/** The graph saved as a picture. */
export function drawingChoice(kind: 'svg' | 'png', release: string, home: string): FileChoice {
  const t = DRAWING_TYPES[kind];
  return {
    mode: 'save',
    title: `Save the graph as ${kind.toUpperCase()}`,
    defaultPath: inFolder(home, `${release}-graph.${t.ext}`),
    filters: [{ name: t.name, extensions: [t.ext] }],
  };
}

/** The runbook exported as Markdown, HTML or JSON. */
export function runbookChoice(format: RunbookFormat, release: string, home: string): FileChoice {
  const t = RUNBOOK_TYPES[format];
  return {
    mode: 'save',
    title: `Export the runbook as ${t.label}`,
    defaultPath: inFolder(home, `${release}-runbook.${t.ext}`),
    filters: [{ name: t.name, extensions: [t.ext] }],
  };
}

/**
 * A plan file to link the release to: an existing one, picked in the folder of
 * the path in the field (a new file's name is typed in the field instead).
 */
export function planFileChoice(current: string, home: string): FileChoice {
  const dir = current.startsWith('/') ? folderOf(current) : '';
  return { mode: 'open', title: 'Link to a plan file', defaultPath: dir || home || null, filters: [PLAN_FILTER] };
}

/**
 * Shows the chooser, then runs `run` on the path chosen. Resolves to what `run`
 * answered, or null when the user cancelled (nothing runs). Rejects with the
 * core's error, to be shown next to the control that started it.
 */
export async function chooseThen<T>(
  choose: (choice: FileChoice) => Promise<string | null>,
  choice: FileChoice,
  run: (path: string) => Promise<T>,
): Promise<{ path: string; result: T } | null> {
  const path = await choose(choice);
  if (path === null || path === '') return null;
  return { path, result: await run(path) };
}

/**
 * Imports a plan file without replacing anything; when a release of the file is
 * in the workspace already (`exists`), replaces it only if `ask` says yes.
 * Resolves to what the import answered, or null when the user said no.
 */
export async function importWithConsent<T>(
  path: string,
  importPlan: (path: string, replace: boolean) => Promise<T>,
  ask: (path: string) => Promise<boolean>,
): Promise<T | null> {
  try {
    return await importPlan(path, false);
  } catch (e) {
    if ((e as { code?: string } | null)?.code !== 'exists') throw e;
    if (!(await ask(path))) return null;
    return importPlan(path, true);
  }
}
