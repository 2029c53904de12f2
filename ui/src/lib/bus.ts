// Where menu items and shortcuts go: the open page registers a handler; what
// it does not handle falls through to the window.

import { EXPORT_FORMATS } from './generated';
import type { Action } from './shortcuts';

/** Export formats, as `flotilla export --format` names them (generated from src-tauri/export/render.rs). */
export type ExportFormat = (typeof EXPORT_FORMATS)[number]['name'];
const FORMAT_NAMES: readonly string[] = EXPORT_FORMATS.map((f) => f.name);

export type MenuAction = Action | 'open-sample' | `export-${ExportFormat}` | 'export-plan-json';

/** The format of an `export-FORMAT` menu item, or null. */
export function exportFormatOf(action: string): ExportFormat | null {
  const f = action.startsWith('export-') ? action.slice('export-'.length) : '';
  return FORMAT_NAMES.includes(f) ? (f as ExportFormat) : null;
}

let handler: ((action: MenuAction) => boolean) | null = null;

/** Registers the open page's handler; returns the function that removes it. */
export function handle(h: (action: MenuAction) => boolean): () => void {
  handler = h;
  return () => {
    if (handler === h) handler = null;
  };
}

/** Offers `action` to the open page; true when it took it. */
export function offer(action: MenuAction): boolean {
  return handler ? handler(action) : false;
}
