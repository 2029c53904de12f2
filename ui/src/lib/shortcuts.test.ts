import { describe, expect, it } from 'vitest';
import { actionFor, SHORTCUTS } from './shortcuts';

const key = (k: string, mods: Partial<{ ctrl: boolean; shift: boolean; meta: boolean; alt: boolean }> = {}) => ({
  key: k,
  ctrlKey: mods.ctrl ?? false,
  metaKey: mods.meta ?? false,
  shiftKey: mods.shift ?? false,
  altKey: mods.alt ?? false,
});

describe('actionFor', () => {
  it('maps Ctrl+Z to undo and Ctrl+Shift+Z / Ctrl+Y to redo', () => {
    expect(actionFor(key('z', { ctrl: true }), false)).toBe('undo');
    expect(actionFor(key('Z', { ctrl: true, shift: true }), false)).toBe('redo');
    expect(actionFor(key('y', { ctrl: true }), false)).toBe('redo');
    expect(actionFor(key('z', { meta: true }), false)).toBe('undo');
  });

  it('leaves undo and plain letters to a focused text field', () => {
    expect(actionFor(key('z', { ctrl: true }), true)).toBeNull();
    expect(actionFor(key('d'), true)).toBeNull();
    expect(actionFor(key('Escape'), true)).toBe('close');
  });

  it('switches views with Ctrl+digit, even from a field', () => {
    expect(actionFor(key('1', { ctrl: true }), true)).toBe('view-graph');
    expect(actionFor(key('3', { ctrl: true }), false)).toBe('view-board');
    expect(actionFor(key('0', { ctrl: true }), false)).toBe('view-releases');
    expect(actionFor(key('5', { ctrl: true }), false)).toBe('view-runbook');
    expect(actionFor(key('6', { ctrl: true }), true)).toBe('view-sync');
  });

  it('has single-key shortcuts outside fields', () => {
    expect(actionFor(key('d'), false)).toBe('add-dependency');
    expect(actionFor(key('?', { shift: true }), false)).toBe('shortcuts');
    expect(actionFor(key('x'), false)).toBeNull();
    expect(actionFor(key('d', { alt: true }), false)).toBeNull();
  });

  it('lists every action it can return in the help', () => {
    const listed = new Set(SHORTCUTS.map((s) => s.action));
    for (const [k, mods] of [
      ['z', { ctrl: true }],
      ['1', { ctrl: true }],
      ['e', { ctrl: true }],
      ['o', { ctrl: true }],
      ['d', {}],
      ['w', {}],
      ['?', {}],
      ['Escape', {}],
    ] as const) {
      const action = actionFor(key(k, mods), false);
      expect(action).not.toBeNull();
      expect(listed.has(action!)).toBe(true);
    }
  });
});
