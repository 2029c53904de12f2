// The authoring commands of the window (src-tauri/desktop/authoring.rs): the
// next release from the last, and components from a CSV file. Each rejects
// with an AppError, as every command of api.ts does.

import { call } from './api';
import type { CsvColumn, CsvPreview } from './csv_import';
import type { ReleaseOverview, ReleaseView } from './types';

/**
 * "New release from...": copies release `from` under `key`, every date moved by
 * the working days between the two release dates; answers the releases list.
 * `name` null: the new release is named after its key.
 */
export function copyReleaseFrom(from: string, key: string, releaseDate: string, name: string | null): Promise<ReleaseOverview[]> {
  return call<ReleaseOverview[]>('copy_release_from', { from, key, releaseDate, name });
}

/** Reads the CSV file at `path` against `release` with `mapping` (empty: guessed from the headers); stores nothing. */
export function previewCsv(release: string, path: string, mapping: CsvColumn[]): Promise<CsvPreview> {
  return call<CsvPreview>('preview_csv', { release, path, mapping });
}

/** Stores the file's components and dependencies as one undoable edit; refused (with the problems) while there are any. */
export function importCsvFile(release: string, path: string, mapping: CsvColumn[]): Promise<ReleaseView> {
  return call<ReleaseView>('import_csv_file', { release, path, mapping });
}
