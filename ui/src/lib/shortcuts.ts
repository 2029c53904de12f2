// Keyboard shortcuts: which action a key press asks for. Shortcuts that would
// fight a text field (Ctrl+Z, single letters) are left to the field while one
// has the focus.

export type Action =
  | 'undo'
  | 'redo'
  | 'view-releases'
  | 'view-graph'
  | 'view-timeline'
  | 'view-board'
  | 'view-milestones'
  | 'view-runbook'
  | 'view-sync'
  | 'add-dependency'
  | 'what-if'
  | 'export-json'
  | 'import'
  | 'close'
  | 'shortcuts';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** What each shortcut does, as the help lists it. */
export const SHORTCUTS: readonly { keys: string; action: Action; what: string }[] = [
  { keys: 'Ctrl+Z', action: 'undo', what: 'Undo the last edit' },
  { keys: 'Ctrl+Shift+Z', action: 'redo', what: 'Redo' },
  { keys: 'Ctrl+0', action: 'view-releases', what: 'Releases' },
  { keys: 'Ctrl+1', action: 'view-graph', what: 'Dependency graph' },
  { keys: 'Ctrl+2', action: 'view-timeline', what: 'Timeline' },
  { keys: 'Ctrl+3', action: 'view-board', what: 'Board' },
  { keys: 'Ctrl+4', action: 'view-milestones', what: 'Milestones & checklist' },
  { keys: 'Ctrl+5', action: 'view-runbook', what: 'Runbook' },
  { keys: 'Ctrl+6', action: 'view-sync', what: 'Sync with the linked plan file' },
  { keys: 'D', action: 'add-dependency', what: 'Add a dependency' },
  { keys: 'W', action: 'what-if', what: 'What-if: slip a component' },
  { keys: 'Ctrl+E', action: 'export-json', what: 'Export the release as JSON' },
  { keys: 'Ctrl+O', action: 'import', what: 'Import a plan' },
  { keys: 'Esc', action: 'close', what: 'Close the panel or dialog' },
  { keys: '?', action: 'shortcuts', what: 'These shortcuts' },
];

/** The action of a key press, or null. `inField`: a text field has the focus. */
export function actionFor(e: KeyLike, inField: boolean): Action | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (key === 'Escape') return 'close';
  if (mod && !e.altKey) {
    if (key === 'z') return inField ? null : e.shiftKey ? 'redo' : 'undo';
    if (key === 'y' && !e.shiftKey) return inField ? null : 'redo';
    const views: Record<string, Action> = {
      '0': 'view-releases',
      '1': 'view-graph',
      '2': 'view-timeline',
      '3': 'view-board',
      '4': 'view-milestones',
      '5': 'view-runbook',
      '6': 'view-sync',
    };
    if (views[key]) return views[key];
    if (key === 'e') return 'export-json';
    if (key === 'o') return 'import';
    return null;
  }
  if (inField || e.altKey) return null;
  if (key === 'd') return 'add-dependency';
  if (key === 'w') return 'what-if';
  if (key === '?') return 'shortcuts';
  return null;
}
