import { describe, expect, it } from 'vitest';
import { changeLine, importLabel, outcomeNotice, releaseState, shortValue } from './open_file';
import type { OpenedFile, OpenedRelease } from './generated';

const release = (over: Partial<OpenedRelease>): OpenedRelease => ({
  key: 'q1-2025',
  name: 'Q1',
  release_date: '2025-03-03',
  components: 4,
  in_workspace: false,
  changes: [],
  linked_to: null,
  ...over,
});

describe('the open-file dialog', () => {
  it('writes a change as path, old and new', () => {
    expect(changeLine({ path: 'releases.q1.name', old: 'Q1', new: 'Q1 moved' })).toBe('releases.q1.name: Q1 → Q1 moved');
    expect(changeLine({ path: 'releases.q1.components.api', old: null, new: { key: 'api' } })).toBe(
      'releases.q1.components.api: added ({"key":"api"})',
    );
    expect(changeLine({ path: 'releases.q1.components.api', old: { key: 'api' }, new: null })).toBe('releases.q1.components.api: removed');
    expect(shortValue('x'.repeat(80))).toHaveLength(58);
    expect(changeLine({ path: 'releases["q1"].components["api"].status', old: 'staging', new: 'testing' }, 'q1')).toBe(
      'components["api"].status: staging → testing',
    );
  });

  it('says what importing does to each release', () => {
    expect(releaseState(release({}))).toBe('new: importing adds it');
    expect(releaseState(release({ in_workspace: true }))).toBe('in the workspace, the same as the file');
    expect(releaseState(release({ in_workspace: true, changes: [{ path: 'a', old: 1, new: 2 }] }))).toBe(
      'in the workspace: importing replaces it (1 change)',
    );
  });

  it('names replacing on the import button', () => {
    const file = (releases: OpenedRelease[]): OpenedFile => ({ path: '/p.flotilla.json', releases, link_refused: null });
    expect(importLabel(file([release({})]))).toBe('Import');
    expect(importLabel(file([release({ in_workspace: true, changes: [{ path: 'a', old: 1, new: 2 }] })]))).toBe(
      'Import and replace 1 release',
    );
  });

  it('tells a link to a differing file to sync', () => {
    const link = { release: 'q1-2025', path: '/p', written: false, same_as_workspace: false };
    expect(outcomeNotice('/p', { choice: 'link', releases: ['q1-2025'], link })).toContain('Sync tab');
    expect(outcomeNotice('/p', { choice: 'import', releases: ['q1-2025'], link: null })).toBe('Imported q1-2025 from /p');
  });
});
