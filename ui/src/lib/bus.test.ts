import { describe, expect, it } from 'vitest';
import { exportFormatOf, handle, offer } from './bus';

describe('exportFormatOf', () => {
  it('reads the format of an export menu item', () => {
    expect(exportFormatOf('export-json')).toBe('json');
    expect(exportFormatOf('export-mermaid')).toBe('mermaid');
    expect(exportFormatOf('export-plan-json')).toBeNull();
    expect(exportFormatOf('undo')).toBeNull();
  });
});

describe('offer', () => {
  it('goes to the registered page until it is removed', () => {
    const seen: string[] = [];
    const remove = handle((a) => {
      seen.push(a);
      return a === 'undo';
    });
    expect(offer('undo')).toBe(true);
    expect(offer('import')).toBe(false);
    remove();
    expect(offer('undo')).toBe(false);
    expect(seen).toEqual(['undo', 'import']);
  });
});
