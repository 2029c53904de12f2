import { describe, expect, it } from 'vitest';
import { formOf, newRelease, releaseEdits } from './release_edit';

const before = formOf({ name: 'Q1', start: '2025-01-06', feature_freeze: '2025-02-15', code_freeze: null, release_date: '2025-03-01' });

describe('releaseEdits', () => {
  it('is null when nothing changed', () => {
    expect(releaseEdits('q1', before, { ...before })).toBeNull();
  });

  it('sets one field with one edit', () => {
    expect(releaseEdits('q1', before, { ...before, name: ' Q1 Platform ' })).toEqual({
      op: 'set_release',
      release: 'q1',
      field: 'name',
      value: 'Q1 Platform',
    });
  });

  it('batches several changes into one undoable step and clears an emptied freeze', () => {
    const e = releaseEdits('q1', before, { ...before, feature_freeze: '', release_date: '2025-03-08' });
    expect(e).toEqual({
      op: 'batch',
      release: 'q1',
      edits: [
        { op: 'set_release', release: 'q1', field: 'feature_freeze', value: null },
        { op: 'set_release', release: 'q1', field: 'release_date', value: '2025-03-08' },
      ],
    });
  });
});

describe('newRelease', () => {
  it('makes an empty planning release, freezes left out when blank', () => {
    const r = newRelease(' q2 ', { ...before, name: 'Q2', code_freeze: '' });
    expect(r).toMatchObject({ key: 'q2', name: 'Q2', status: 'planning', code_freeze: null, components: [] });
    expect(r.feature_freeze).toBe('2025-02-15');
  });
});
