// "Import CSV..." on the release page: the column mapping, the rows the file
// would add, and where each problem the core found sits in the preview table.
// The file is read by the core (`preview_csv`, src-tauri/views/csv_import.rs);
// this module only arranges its answer for the dialog.

import type { FileChoice } from './files';
import type { Code, Component, Dependency } from './types';

// The answer of `preview_csv`, as src-tauri/views/csv_import.rs sends it. The
// same shapes as the generated CsvPreview, CsvColumn and CsvProblem (the
// generated ones fit these), written out here so this module does not wait
// for the bindings to be regenerated.

/** The component fields a column can feed. */
export type CsvField = 'title' | 'key' | 'team' | 'duration' | 'start' | 'eta' | 'status' | 'blocked_by';

/** Which column (by header text) a field is read from. */
export interface CsvColumn {
  field: CsvField;
  column: string;
}

export interface CsvProblem {
  /** The spreadsheet row (the header is row 1); null for the file as a whole. */
  row?: number | null;
  /** The column's header, when one column is at fault. */
  column?: string | null;
  code: Code;
  message: string;
}

/** What the file would add, and what is wrong with it. */
export interface CsvPreview {
  headers: string[];
  /** The mapping used: each field and its column (unmapped fields left out). */
  mapping: CsvColumn[];
  components: Component[];
  dependencies: Dependency[];
  /** Every fault, by row and column; nothing is stored while there are any. */
  problems: CsvProblem[];
}

/** The fields a column can feed, in the order the dialog lists them. */
export const CSV_FIELDS: readonly { field: CsvField; label: string; required: boolean }[] = [
  { field: 'title', label: 'Title', required: true },
  { field: 'key', label: 'Key', required: false },
  { field: 'team', label: 'Team', required: true },
  { field: 'duration', label: 'Duration (working days)', required: true },
  { field: 'start', label: 'Start', required: false },
  { field: 'eta', label: 'ETA', required: false },
  { field: 'status', label: 'Status', required: false },
  { field: 'blocked_by', label: 'Blocked by', required: false },
];

const ORDER: readonly CsvField[] = CSV_FIELDS.map((f) => f.field);

/** The column `field` is read from, or '' when none. */
export function columnOf(mapping: readonly CsvColumn[], field: CsvField): string {
  return mapping.find((c) => c.field === field)?.column ?? '';
}

/**
 * The mapping after the user picked `column` for `field` ('' : none). Every
 * field keeps its column (sent back, the core's guesses become the user's
 * choice and stay put); a column feeds one field, so a field that read
 * `column` before gives it up (the core then guesses that field again).
 */
export function withColumn(mapping: readonly CsvColumn[], field: CsvField, column: string): CsvColumn[] {
  const rest = mapping.filter((c) => c.field !== field && (column === '' || c.column !== column));
  const next = column === '' ? rest : [...rest, { field, column }];
  return next.sort((a, b) => ORDER.indexOf(a.field) - ORDER.indexOf(b.field));
}

/** The fields read from `column` (usually one). */
export function fieldsOf(mapping: readonly CsvColumn[], column: string): CsvField[] {
  return mapping.filter((c) => c.column === column).map((c) => c.field);
}

/**
 * The spreadsheet row (header: row 1) of each component of the preview. The
 * core reads every non-empty record into a component, in order, and skips a
 * record it cannot parse (reported as a row problem without column); an
 * answer carrying `rows` is taken as it is. Empty lines in the file are not
 * visible in the answer: past one, the rows shown drift by one.
 */
export function componentRows(preview: Pick<CsvPreview, 'components' | 'problems'> & { rows?: number[] }): number[] {
  if (preview.rows && preview.rows.length === preview.components.length) return preview.rows;
  const unreadable = new Set(
    preview.problems.filter((p) => p.row != null && p.column == null && p.code === 'bad_format').map((p) => p.row!),
  );
  const rows: number[] = [];
  let row = 2;
  for (let i = 0; i < preview.components.length; i++) {
    while (unreadable.has(row)) row++;
    rows.push(row++);
  }
  return rows;
}

/** Where the problems are: by table cell (`index:field`), by table row (no column), and the rest. */
export interface ProblemPlaces {
  /** `${componentIndex}:${field}` → indices into `problems`. */
  cells: Map<string, number[]>;
  /** Component index → indices of its row's problems that name no column. */
  rows: Map<number, number[]>;
  /** Field → indices of file-wide problems about its column (e.g. a mapped column the file lacks). */
  fields: Map<CsvField, number[]>;
}

export const cellKey = (index: number, field: CsvField): string => `${index}:${field}`;

function push<K>(map: Map<K, number[]>, key: K, i: number) {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}

/** Places every problem of the preview in the rows table (and the mapping) where it can be. */
export function problemPlaces(preview: Pick<CsvPreview, 'components' | 'problems' | 'mapping'> & { rows?: number[] }): ProblemPlaces {
  const rows = componentRows(preview);
  const indexOfRow = new Map(rows.map((r, i) => [r, i]));
  const places: ProblemPlaces = { cells: new Map(), rows: new Map(), fields: new Map() };
  preview.problems.forEach((p, i) => {
    const at = p.row == null ? undefined : indexOfRow.get(p.row);
    if (p.column != null) {
      const fields = fieldsOf(preview.mapping, p.column);
      if (at !== undefined) {
        if (fields.length === 0) push(places.rows, at, i);
        for (const f of fields) push(places.cells, cellKey(at, f), i);
      } else if (p.row == null) {
        for (const f of fields) push(places.fields, f, i);
        // A mapped column the file lacks is named by the problem, not by the answer's mapping.
        for (const f of ORDER) if (fields.length === 0 && p.message.startsWith(`${f} is mapped`)) push(places.fields, f, i);
      }
    } else if (at !== undefined) {
      push(places.rows, at, i);
    }
  });
  return places;
}

/** "Row 3, column "Squad"", "Row 3", "Column "Squad"", "The file". */
export function problemWhere(p: Pick<CsvProblem, 'row' | 'column'>): string {
  if (p.row != null && p.column != null) return `Row ${p.row}, column "${p.column}"`;
  if (p.row != null) return `Row ${p.row}`;
  if (p.column != null) return `Column "${p.column}"`;
  return 'The file';
}

/** Blocked-by of each new component: the keys that block it, from the preview's dependencies. */
export function blockersOf(preview: Pick<CsvPreview, 'dependencies'>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of preview.dependencies) {
    const list = out.get(d.to);
    if (list) list.push(d.from);
    else out.set(d.to, [d.from]);
  }
  return out;
}

/** The native chooser for a CSV file, starting in the folder of the path typed (else home). */
export function csvChoice(current: string, home: string): FileChoice {
  const at = current.lastIndexOf('/');
  const dir = current.startsWith('/') && at >= 0 ? current.slice(0, at) || '/' : '';
  return {
    mode: 'open',
    title: 'Import components from a CSV file',
    defaultPath: dir || home || null,
    filters: [
      { name: 'CSV (comma-separated values)', extensions: ['csv'] },
      { name: 'Text', extensions: ['txt', 'tsv'] },
    ],
  };
}
