import { describe, expect, it, vi } from 'vitest';
import {
  chooseThen,
  drawingChoice,
  EXPORT_TYPES,
  exportChoice,
  folderOf,
  importChoice,
  importWithConsent,
  inFolder,
  planFileChoice,
  runbookChoice,
} from './files';
import { EXPORT_FORMATS } from './generated';

describe('suggested paths', () => {
  it('puts the name in the folder', () => {
    expect(inFolder('/home/me', 'q1.json')).toBe('/home/me/q1.json');
    expect(inFolder('/home/me/', 'q1.json')).toBe('/home/me/q1.json');
    expect(inFolder('/', 'q1.json')).toBe('/q1.json');
    expect(inFolder('', 'q1.json')).toBe('q1.json');
  });

  it('finds the folder of a path', () => {
    expect(folderOf('/a/b/c.json')).toBe('/a/b');
    expect(folderOf('/c.json')).toBe('/');
    expect(folderOf('c.json')).toBe('');
  });
});

describe('exportChoice', () => {
  it('suggests home + release key + extension, filtered to the format', () => {
    expect(exportChoice('json', 'q1-2025', '/home/me')).toEqual({
      mode: 'save',
      title: 'Export release q1-2025 as JSON',
      defaultPath: '/home/me/q1-2025.json',
      filters: [{ name: 'Flotilla plan (JSON)', extensions: ['json'] }],
    });
    expect(exportChoice('ical', 'q1-2025', '/home/me').defaultPath).toBe('/home/me/q1-2025.ics');
    expect(exportChoice('mermaid', 'q1-2025', '/home/me').filters).toEqual([{ name: 'Mermaid', extensions: ['mmd'] }]);
  });

  it('names the whole plan flotilla-plan', () => {
    const c = exportChoice('csv', null, '/home/me');
    expect(c.title).toBe('Export the whole plan as CSV');
    expect(c.defaultPath).toBe('/home/me/flotilla-plan.csv');
  });

  it('has a file type for every export format', () => {
    for (const { name: f } of EXPORT_FORMATS) {
      const c = exportChoice(f, 'r', '/h');
      expect(c.defaultPath).toBe(`/h/r.${EXPORT_TYPES[f].ext}`);
      expect(c.filters[0]!.extensions).toEqual([EXPORT_TYPES[f].ext]);
    }
  });
});

describe('the other choosers', () => {
  it('opens a plan file from the home folder', () => {
    expect(importChoice('/home/me')).toEqual({
      mode: 'open',
      title: 'Import a plan file',
      defaultPath: '/home/me',
      filters: [{ name: 'Flotilla plan (JSON)', extensions: ['json'] }],
    });
    expect(importChoice('').defaultPath).toBeNull();
  });

  it('saves the graph as SVG or PNG', () => {
    expect(drawingChoice('svg', 'q1', '/h')).toMatchObject({
      mode: 'save',
      title: 'Save the graph as SVG',
      defaultPath: '/h/q1-graph.svg',
      filters: [{ name: 'SVG image', extensions: ['svg'] }],
    });
    expect(drawingChoice('png', 'q1', '/h').filters).toEqual([{ name: 'PNG image', extensions: ['png'] }]);
  });

  it('exports the runbook', () => {
    expect(runbookChoice('html', 'q1', '/h')).toMatchObject({
      mode: 'save',
      title: 'Export the runbook as HTML',
      defaultPath: '/h/q1-runbook.html',
      filters: [{ name: 'HTML', extensions: ['html'] }],
    });
  });

  it('links a plan file starting in the folder of the field', () => {
    expect(planFileChoice('/work/plans/q1.json', '/h').defaultPath).toBe('/work/plans');
    expect(planFileChoice('', '/h').defaultPath).toBe('/h');
    expect(planFileChoice('~/q1.json', '/h').defaultPath).toBe('/h');
    expect(planFileChoice('', '').defaultPath).toBeNull();
    expect(planFileChoice('', '/h').mode).toBe('open');
  });
});

describe('chooseThen', () => {
  it('does nothing when the chooser is cancelled', async () => {
    const run = vi.fn();
    await expect(chooseThen(async () => null, importChoice('/h'), run)).resolves.toBeNull();
    expect(run).not.toHaveBeenCalled();
  });

  it('runs on the path chosen and passes its error on', async () => {
    const choice = exportChoice('json', 'q1', '/h');
    const choose = vi.fn(async () => '/tmp/x.json');
    await expect(chooseThen(choose, choice, async (p) => `wrote ${p}`)).resolves.toEqual({
      path: '/tmp/x.json',
      result: 'wrote /tmp/x.json',
    });
    expect(choose).toHaveBeenCalledWith(choice);
    const error = { code: 'io', message: 'No such file or directory', path: '/tmp/x.json' };
    await expect(chooseThen(choose, choice, () => Promise.reject(error))).rejects.toBe(error);
  });
});

describe('importWithConsent', () => {
  const exists = { code: 'exists', message: 'release "q1" already exists', path: '' };

  it('imports without replacing when nothing is in the way', async () => {
    const importPlan = vi.fn(async () => 'list');
    const ask = vi.fn(async () => true);
    await expect(importWithConsent('/p.json', importPlan, ask)).resolves.toBe('list');
    expect(importPlan).toHaveBeenCalledTimes(1);
    expect(importPlan).toHaveBeenCalledWith('/p.json', false);
    expect(ask).not.toHaveBeenCalled();
  });

  it('replaces only with consent', async () => {
    const importPlan = vi.fn(async (_p: string, replace: boolean) => {
      if (!replace) throw exists;
      return 'replaced';
    });
    await expect(importWithConsent('/p.json', importPlan, async () => false)).resolves.toBeNull();
    expect(importPlan).toHaveBeenCalledTimes(1);
    await expect(importWithConsent('/p.json', importPlan, async () => true)).resolves.toBe('replaced');
    expect(importPlan).toHaveBeenLastCalledWith('/p.json', true);
  });

  it('passes any other error on without asking', async () => {
    const bad = { code: 'bad_value', message: 'no', path: 'releases[0]' };
    const ask = vi.fn(async () => true);
    await expect(importWithConsent('/p.json', () => Promise.reject(bad), ask)).rejects.toBe(bad);
    expect(ask).not.toHaveBeenCalled();
  });
});
