// The error a Tauri command rejects with, and what the banner says about it.
//
// The backend sends `{ code, message, path }` (src-tauri/error.rs, ErrorPayload).
// The UI matches on `code`, never on the text of `message`.

export interface AppError {
  code: string;
  message: string;
  /** Where in the input the fault is (`releases[0].dependencies[3]`), or "". */
  path: string;
}

/** Code of the error raised when the page runs outside the desktop app (a browser, `npm run dev`). */
export const NO_BACKEND = 'no_backend';
/** Code of a rejection that did not have the `{ code, message, path }` shape. */
export const UNEXPECTED = 'unexpected';

const HEADINGS: Record<string, string> = {
  [NO_BACKEND]: 'Not connected to Flotilla',
  workspace: 'The workspace could not be opened',
  database: 'The workspace database reported an error',
  io: 'A file could not be read or written',
  not_found: 'Not found',
  exists: 'Already exists',
  [UNEXPECTED]: 'Something went wrong',
};

/** The banner's heading for an error code; codes without a heading of their own share one. */
export function errorHeading(code: string): string {
  return HEADINGS[code] ?? 'Flotilla reported an error';
}

/** Whatever a command rejected with, as an AppError. */
export function toAppError(reason: unknown): AppError {
  if (isRecord(reason) && typeof reason.code === 'string' && typeof reason.message === 'string') {
    return {
      code: reason.code,
      message: reason.message,
      path: typeof reason.path === 'string' ? reason.path : '',
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
