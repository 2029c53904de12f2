import { describe, expect, it } from 'vitest';
import {
  type CsvColumn,
  type CsvPreview,
  blockersOf,
  cellKey,
  columnOf,
  componentRows,
  csvChoice,
  problemPlaces,
  problemWhere,
  withColumn,
} from './csv_import';

const mapping: CsvColumn[] = [
  { field: 'title', column: 'Summary' },
  { field: 'team', column: 'Squad' },
  { field: 'duration', column: 'Estimate' },
  { field: 'blocked_by', column: 'Depends on' },
];

const component = (key: string, team = 'core') => ({ key, title: key.toUpperCase(), team, status: 'planning' as const, duration_days: 3 });

const preview: CsvPreview = {
  headers: ['Summary', 'Squad', 'Estimate', 'Depends on', 'Notes'],
  mapping,
  components: [component('api'), component('ui', ''), component('docs')],
  dependencies: [
    { from: 'api', to: 'ui' },
    { from: 'api', to: 'docs' },
    { from: 'ui', to: 'docs' },
  ],
  problems: [
    { row: 3, column: 'Squad', code: 'unknown_reference', message: 'unknown team "Webb"' },
    { row: 4, column: null, code: 'bad_format', message: 'found record with 7 fields' },
    { row: null, column: null, code: 'missing_field', message: 'no column for key' },
    { row: 5, column: 'Depends on', code: 'unknown_reference', message: '"db" is neither a key nor a title' },
    { row: 2, column: 'Notes', code: 'bad_value', message: 'an unmapped column' },
  ],
};

describe('mapping', () => {
  it('reads the column of a field', () => {
    expect(columnOf(mapping, 'team')).toBe('Squad');
    expect(columnOf(mapping, 'eta')).toBe('');
  });

  it('sets a field, keeping the others, in field order', () => {
    const m = withColumn(mapping, 'eta', 'Notes');
    expect(m.map((c) => c.field)).toEqual(['title', 'team', 'duration', 'eta', 'blocked_by']);
    expect(columnOf(m, 'eta')).toBe('Notes');
    expect(mapping).toHaveLength(4); // not changed in place
  });

  it('gives a column to one field only, and unmaps with ""', () => {
    const m = withColumn(mapping, 'key', 'Summary');
    expect(columnOf(m, 'key')).toBe('Summary');
    expect(columnOf(m, 'title')).toBe('');
    expect(columnOf(withColumn(mapping, 'team', ''), 'team')).toBe('');
    expect(withColumn(mapping, 'team', '')).toHaveLength(3);
  });
});

describe('problem places', () => {
  it('numbers components as spreadsheet rows, skipping unreadable records', () => {
    expect(componentRows(preview)).toEqual([2, 3, 5]);
    expect(componentRows({ ...preview, rows: [2, 7, 9] })).toEqual([2, 7, 9]);
  });

  it('puts a problem with row and column on its cell', () => {
    const places = problemPlaces(preview);
    expect(places.cells.get(cellKey(1, 'team'))).toEqual([0]);
    expect(places.cells.get(cellKey(2, 'blocked_by'))).toEqual([3]);
    expect(places.cells.has(cellKey(0, 'team'))).toBe(false);
  });

  it('puts a row problem of an unmapped column on its row, and leaves file problems out of the table', () => {
    const places = problemPlaces(preview);
    expect(places.rows.get(0)).toEqual([4]);
    // Row 4 could not be read: it has no component, so no place in the table.
    expect([...places.rows.values()].flat()).not.toContain(1);
    expect([...places.cells.values()].flat()).not.toContain(2);
  });

  it('puts a mapped column the file lacks on its field', () => {
    const places = problemPlaces({
      ...preview,
      mapping: mapping.filter((c) => c.field !== 'team'),
      problems: [{ row: null, column: 'Team name', code: 'unknown_field', message: 'team is mapped to column "Team name", which the file does not have' }],
    });
    expect(places.fields.get('team')).toEqual([0]);
  });

  it('says where a problem is', () => {
    expect(problemWhere({ row: 3, column: 'Squad' })).toBe('Row 3, column "Squad"');
    expect(problemWhere({ row: 4, column: null })).toBe('Row 4');
    expect(problemWhere({ row: null, column: 'Squad' })).toBe('Column "Squad"');
    expect(problemWhere({ row: null, column: null })).toBe('The file');
  });
});

describe('rows', () => {
  it('lists the blockers of each new component', () => {
    const by = blockersOf(preview);
    expect(by.get('docs')).toEqual(['api', 'ui']);
    expect(by.get('api')).toBeUndefined();
  });

  it('opens the chooser in the folder of the path typed, else home', () => {
    expect(csvChoice('/data/plans/q2.csv', '/home/ann').defaultPath).toBe('/data/plans');
    expect(csvChoice('', '/home/ann')).toMatchObject({ mode: 'open', defaultPath: '/home/ann' });
    expect(csvChoice('', '').defaultPath).toBeNull();
  });
});
