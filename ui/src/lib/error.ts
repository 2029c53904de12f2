// The error a Tauri command rejects with, and what the banner says about it.
//
// The backend sends an ErrorPayload (src-tauri/error.rs, generated into
// generated.ts): `{ code, message, path, detail, problems }`. The UI matches on
// `code` (a closed list) and reads structured facts from `detail`, never from
// the text of `message`.

import type { Code, Detail } from './generated';

/** Code of the error raised when the page runs outside the desktop app (a browser, `npm run dev`). */
export const NO_BACKEND = 'no_backend';
/** Code of a rejection that did not have the ErrorPayload shape. */
export const UNEXPECTED = 'unexpected';

/** Every code an AppError can carry: the backend's, and the two the page makes itself. */
export type AppErrorCode = Code | typeof NO_BACKEND | typeof UNEXPECTED;

export interface AppError {
  code: AppErrorCode;
  message: string;
  /** Where in the input the fault is (`releases[0].dependencies[3]`), or "". */
  path: string;
  /** Structured facts (a cycle's keys), when the backend sent any. */
  detail?: Detail;
}

const HEADINGS: Partial<Record<AppErrorCode, string>> = {
  [NO_BACKEND]: 'Not connected to Flotilla',
  workspace: 'The workspace could not be opened',
  desktop: 'The window could not do that',
  run: 'The run could not go on',
  database: 'The workspace database reported an error',
  io: 'A file could not be read or written',
  not_found: 'Not found',
  exists: 'Already exists',
  [UNEXPECTED]: 'Something went wrong',
};

/** The banner's heading for an error code; codes without a heading of their own share one. */
export function errorHeading(code: string): string {
  return HEADINGS[code as AppErrorCode] ?? 'Flotilla reported an error';
}

/** Whatever a command rejected with, as an AppError. */
export function toAppError(reason: unknown): AppError {
  if (isRecord(reason) && typeof reason.code === 'string' && typeof reason.message === 'string') {
    return {
      code: reason.code as AppErrorCode,
      message: reason.message,
      path: typeof reason.path === 'string' ? reason.path : '',
      ...(isRecord(reason.detail) && typeof reason.detail.kind === 'string' ? { detail: reason.detail as Detail } : {}),
    };
  }
  // Tauri rejects with a bare string when a command returns Err(String) or is unknown.
  if (typeof reason === 'string') return { code: UNEXPECTED, message: reason, path: '' };
  if (reason instanceof Error) return { code: UNEXPECTED, message: reason.message, path: '' };
  return { code: UNEXPECTED, message: String(reason), path: '' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
