// The Tauri commands this UI calls. Each rejects with an AppError, never anything else.

import { invoke, isTauri } from '@tauri-apps/api/core';
import { NO_BACKEND, toAppError } from './error';
import type { ReleaseSummary } from './release';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!isTauri()) {
    throw {
      code: NO_BACKEND,
      message:
        'This page reads the workspace through the Flotilla desktop app. Open it in the app to see your releases.',
      path: '',
    };
  }
  try {
    return await invoke<T>(command, args);
  } catch (reason) {
    throw toAppError(reason);
  }
}

/** Every release in the workspace, archived ones included, in the backend's order. */
export function listReleases(): Promise<ReleaseSummary[]> {
  return call<ReleaseSummary[]>('list_releases');
}

/** Imports the plan that ships with Flotilla (unless its release is there already); returns every release. */
export function openSample(): Promise<ReleaseSummary[]> {
  return call<ReleaseSummary[]>('open_sample');
}
