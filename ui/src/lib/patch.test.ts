import { describe, expect, it } from 'vitest';
import type { Patch, ReleaseView } from './generated';
import { applyPatch, viewFromAnswer } from './patch';

describe('applyPatch', () => {
  it('adds an item at the end and keeps the untouched items as they were', () => {
    const rows = [{ k: 1 }, { k: 2 }, { k: 3 }];
    const old = { rows, n: 3, other: { deep: true } };
    const patch: Patch = {
      op: 'fields',
      removed: [],
      fields: {
        rows: { op: 'items', len: 4, items: [{ at: 3, patch: { op: 'set', value: { k: 4 } } }] },
        n: { op: 'set', value: 4 },
      },
    };
    const next = applyPatch(old, patch) as typeof old;
    expect(next).toEqual({ rows: [{ k: 1 }, { k: 2 }, { k: 3 }, { k: 4 }], n: 4, other: { deep: true } });
    expect(next.rows[0]).toBe(rows[0]);
    expect(next.other).toBe(old.other);
    expect(old.rows).toHaveLength(3);
    expect(old.n).toBe(3);
  });

  it('changes nested fields, adds and removes fields, cuts arrays', () => {
    const old = { a: { x: 1, y: [1, 2] }, gone: true };
    const patch: Patch = {
      op: 'fields',
      removed: ['gone'],
      fields: {
        a: {
          op: 'fields',
          removed: [],
          fields: {
            x: { op: 'set', value: 2 },
            y: { op: 'items', len: 1, items: [] },
            z: { op: 'set', value: null },
          },
        },
        new: { op: 'set', value: { q: 1 } },
      },
    };
    expect(applyPatch(old, patch)).toEqual({ a: { x: 2, y: [1], z: null }, new: { q: 1 } });
    expect(old).toEqual({ a: { x: 1, y: [1, 2] }, gone: true });
  });

  it('patches an item in place and grows an array', () => {
    const old = [{ a: 1, b: 2 }, 'x'];
    const patch: Patch = {
      op: 'items',
      len: 3,
      items: [
        { at: 0, patch: { op: 'fields', removed: ['b'], fields: { a: { op: 'set', value: 5 } } } },
        { at: 2, patch: { op: 'set', value: [7] } },
      ],
    };
    expect(applyPatch(old, patch)).toEqual([{ a: 5 }, 'x', [7]]);
  });

  it('replaces whole values with set', () => {
    expect(applyPatch({ a: [1] }, { op: 'set', value: 'x' })).toBe('x');
    expect(applyPatch(null, { op: 'set', value: { a: 1 } })).toEqual({ a: 1 });
  });
});

describe('viewFromAnswer', () => {
  const held = { version: 4, can_undo: false } as unknown as ReleaseView;

  it('takes a whole view as it is', () => {
    const view = { version: 9 } as unknown as ReleaseView;
    expect(viewFromAnswer(held, { kind: 'view', view })).toBe(view);
    expect(viewFromAnswer(null, { kind: 'view', view })).toBe(view);
  });

  it('applies a patch against the held view only', () => {
    const patch: Patch = {
      op: 'fields',
      removed: [],
      fields: { version: { op: 'set', value: 5 }, can_undo: { op: 'set', value: true } },
    };
    expect(viewFromAnswer(held, { kind: 'patch', base: 4, patch })).toEqual({ version: 5, can_undo: true });
    expect(viewFromAnswer(held, { kind: 'patch', base: 3, patch })).toBeNull();
    expect(viewFromAnswer(null, { kind: 'patch', base: 4, patch })).toBeNull();
  });
});
