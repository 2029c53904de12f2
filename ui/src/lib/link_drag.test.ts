import { describe, expect, it, vi } from 'vitest';
import {
  boxAt,
  dragPath,
  followPointer,
  isLinkGesture,
  linkVerdict,
  movedEnough,
  rightMiddle,
  rowAt,
  swallowNextClick,
  toDrawing,
  toScreen,
  verdictText,
} from './link_drag';

const nodes = [
  { key: 'api', x: 0, y: 0, width: 180, height: 52 },
  { key: 'ui', x: 240, y: 0, width: 180, height: 52 },
  { key: 'db', x: 240, y: 30, width: 180, height: 52 }, // drawn over ui's lower part
];

describe('geometry', () => {
  it('maps screen points to the drawing and back through pan and zoom', () => {
    const view = { x: 100, y: 50, k: 2 };
    expect(toDrawing(view, { x: 300, y: 150 })).toEqual({ x: 100, y: 50 });
    expect(toScreen(view, { x: 100, y: 50 })).toEqual({ x: 300, y: 150 });
  });

  it('hits the topmost box, never the one the drag started on', () => {
    expect(boxAt(nodes, { x: 300, y: 10 })?.key).toBe('ui');
    expect(boxAt(nodes, { x: 300, y: 40 })?.key).toBe('db');
    expect(boxAt(nodes, { x: 300, y: 40 }, 'db')?.key).toBe('ui');
    expect(boxAt(nodes, { x: 50, y: 20 }, 'api')).toBeNull();
    expect(boxAt(nodes, { x: 210, y: 20 })).toBeNull();
    expect(boxAt(nodes, { x: 185, y: 20 }, null, 6)?.key).toBe('api');
  });

  it('hits a timeline row anywhere along it', () => {
    const bars = [
      { key: 'api', y: 24 },
      { key: 'ui', y: 50 },
    ];
    expect(rowAt(bars, 30, 26)?.key).toBe('api');
    expect(rowAt(bars, 50, 26)?.key).toBe('ui');
    expect(rowAt(bars, 76, 26)).toBeNull();
    expect(rowAt(bars, 30, 26, 'api')).toBeNull();
  });

  it('starts the line on the right edge and draws it as one curve', () => {
    expect(rightMiddle(nodes[0]!)).toEqual({ x: 180, y: 26 });
    expect(dragPath({ x: 0, y: 0 }, { x: 100, y: 40 })).toBe('M0,0 C50,0 50,40 100,40');
    expect(dragPath({ x: 0, y: 0 }, { x: 10, y: 0 })).toBe('M0,0 C24,0 -14,0 10,0');
  });

  it('tells a drag from a click, and a link press from a plain one', () => {
    expect(movedEnough({ x: 0, y: 0 }, { x: 2, y: 2 })).toBe(false);
    expect(movedEnough({ x: 0, y: 0 }, { x: 3, y: 2 })).toBe(true);
    expect(isLinkGesture({ altKey: true, shiftKey: false, button: 0 })).toBe(true);
    expect(isLinkGesture({ altKey: false, shiftKey: true, button: 0 })).toBe(true);
    expect(isLinkGesture({ altKey: false, shiftKey: false, button: 0 })).toBe(false);
    expect(isLinkGesture({ altKey: true, shiftKey: false, button: 2 })).toBe(false);
  });
});

describe('linkVerdict', () => {
  const deps = [
    { from: 'db', to: 'api' },
    { from: 'api', to: 'ui' },
  ];

  it('accepts a new dependency', () => {
    expect(linkVerdict(deps, 'db', 'ui')).toEqual({ kind: 'ok' });
    expect(verdictText('db', 'ui', { kind: 'ok' })).toBe('db blocks ui');
  });

  it('explains a drop on nothing, on itself and on one it already blocks', () => {
    expect(linkVerdict(deps, 'db', null)).toEqual({ kind: 'none' });
    expect(linkVerdict(deps, 'db', 'db')).toEqual({ kind: 'self' });
    expect(linkVerdict(deps, 'api', 'ui')).toEqual({ kind: 'exists' });
  });

  it('names the cycle a drop would close', () => {
    expect(linkVerdict(deps, 'ui', 'db')).toEqual({ kind: 'cycle', keys: ['ui', 'db', 'api', 'ui'] });
    expect(linkVerdict(deps, 'api', 'db')).toEqual({ kind: 'cycle', keys: ['api', 'db', 'api'] });
    expect(verdictText('api', 'db', { kind: 'cycle', keys: ['api', 'db', 'api'] })).toBe('Would close a cycle: api → db → api');
  });
});

describe('following the pointer', () => {
  const pointer = (type: string, pointerId: number) => Object.assign(new Event(type), { pointerId });

  it('moves, then ends on release of the same pointer, and stops listening', () => {
    const t = new EventTarget();
    const move = vi.fn();
    const end = vi.fn();
    followPointer(t, 1, { move, end });
    t.dispatchEvent(pointer('pointermove', 2));
    t.dispatchEvent(pointer('pointermove', 1));
    t.dispatchEvent(pointer('pointerup', 1));
    t.dispatchEvent(pointer('pointermove', 1));
    expect(move).toHaveBeenCalledTimes(1);
    expect(end).toHaveBeenCalledTimes(1);
    expect(end.mock.calls[0]![0]).not.toBeNull();
  });

  it('ends with null on Escape or cancel', () => {
    for (const ev of [Object.assign(new Event('keydown'), { key: 'Escape' }), pointer('pointercancel', 1)]) {
      const t = new EventTarget();
      const end = vi.fn();
      followPointer(t, 1, { move: () => {}, end });
      t.dispatchEvent(ev);
      t.dispatchEvent(pointer('pointerup', 1));
      expect(end).toHaveBeenCalledTimes(1);
      expect(end).toHaveBeenCalledWith(null);
    }
  });

  it('swallows the one click after a drag', () => {
    const t = new EventTarget();
    swallowNextClick(t);
    const first = new Event('click', { cancelable: true });
    t.dispatchEvent(first);
    const second = new Event('click', { cancelable: true });
    t.dispatchEvent(second);
    expect(first.defaultPrevented).toBe(true);
    expect(second.defaultPrevented).toBe(false);
  });
});
