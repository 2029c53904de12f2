// The Tauri commands of the Workspace page (src-tauri/desktop/authoring.rs).
// Each rejects with an AppError, never anything else.

import { call } from './api';
import type { ConnectionTest, Edit, Endpoint, WorkspaceView } from './generated';

/** Teams, endpoints, the calendar, components per team, and whether undo/redo can step. */
export function loadWorkspace(): Promise<WorkspaceView> {
  return call<WorkspaceView>('load_workspace');
}

/** Applies a team, endpoint or calendar edit; answers with the workspace page. */
export function applyWorkspaceEdit(edit: Edit): Promise<WorkspaceView> {
  return call<WorkspaceView>('apply_workspace_edit', { edit });
}

/** Undoes (or redoes) the newest workspace edit: the step's summary (null: nothing to step) and the page. */
export async function undoRedoWorkspace(redo: boolean): Promise<{ summary: string | null; view: WorkspaceView }> {
  const [summary, view] = await call<[string | null, WorkspaceView]>('undo_redo_workspace', { redo });
  return { summary, view };
}

/** Stores `value` in the OS keyring as `keyring:NAME` (`name` without the prefix). */
export function setSecret(name: string, value: string): Promise<void> {
  return call<void>('set_secret', { name, value });
}

/** Whether `keyring:NAME` holds a value (never the value). */
export function hasSecret(name: string): Promise<boolean> {
  return call<boolean>('has_secret', { name });
}

/** One harmless read call to the endpoint as given (saved or not); triggers nothing. */
export function testEndpoint(endpoint: Endpoint): Promise<ConnectionTest> {
  return call<ConnectionTest>('test_endpoint', { endpoint });
}
