// Drag to add a dependency, in the graph and the timeline: the geometry of the
// drag (which box is under the pointer, the line drawn while dragging) and what
// dropping on a component would do, before the core is asked.
//
// The gesture starts from the small handle on a node's (bar's) right edge, or
// anywhere on it with Alt or Shift held; a plain press on a node still selects
// it, and on the background still pans. Dropping on another component asks
// for "dragged-from blocks dropped-on" (an `add_dependency` edit).

import type { Dependency } from './types';

/** Pixels the pointer must travel before a press on a node counts as a drag. */
export const DRAG_THRESHOLD = 4;

/** A box in some coordinate space: a graph node, a timeline bar. */
export interface Box {
  key: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** A pan and zoom: a point `g` of the drawing is seen at `g * k + (x, y)`. */
export interface PanZoom {
  x: number;
  y: number;
  k: number;
}

/** The drawing point under a screen point. */
export function toDrawing(view: PanZoom, p: Point): Point {
  return { x: (p.x - view.x) / view.k, y: (p.y - view.y) / view.k };
}

/** Where a drawing point is seen. */
export function toScreen(view: PanZoom, p: Point): Point {
  return { x: p.x * view.k + view.x, y: p.y * view.k + view.y };
}

/** The topmost box (the last drawn) holding `p`, grown by `pad` on each side; `except` is never hit. */
export function boxAt<B extends Box>(boxes: readonly B[], p: Point, except: string | null = null, pad = 0): B | null {
  for (let i = boxes.length - 1; i >= 0; i--) {
    const b = boxes[i]!;
    if (b.key === except) continue;
    if (p.x >= b.x - pad && p.x <= b.x + b.width + pad && p.y >= b.y - pad && p.y <= b.y + b.height + pad) return b;
  }
  return null;
}

/**
 * The timeline bar whose row holds height `y` (one row per bar, `rowHeight`
 * high from the bar's `y`): in Months a bar can be a few pixels wide, so the
 * whole row is the drop target.
 */
export function rowAt<B extends { key: string; y: number }>(bars: readonly B[], y: number, rowHeight: number, except: string | null = null): B | null {
  for (const b of bars) if (b.key !== except && y >= b.y && y < b.y + rowHeight) return b;
  return null;
}

/** The middle of a box's right edge: where its link handle sits and the drag line starts. */
export function rightMiddle(b: Box): Point {
  return { x: b.x + b.width, y: b.y + b.height / 2 };
}

/** The line drawn while dragging: a gentle S from `a` to `b`, leaving and arriving horizontally. */
export function dragPath(a: Point, b: Point): string {
  const bend = Math.max(24, Math.abs(b.x - a.x) / 2);
  const r = (n: number) => Math.round(n * 10) / 10;
  return `M${r(a.x)},${r(a.y)} C${r(a.x + bend)},${r(a.y)} ${r(b.x - bend)},${r(b.y)} ${r(b.x)},${r(b.y)}`;
}

/** Has the pointer gone far enough from where it was pressed to be a drag? */
export function movedEnough(from: Point, to: Point, threshold = DRAG_THRESHOLD): boolean {
  return Math.abs(to.x - from.x) + Math.abs(to.y - from.y) > threshold;
}

/** Does a press start a link drag anywhere on a node (not only on its handle)? */
export function isLinkGesture(e: { altKey: boolean; shiftKey: boolean; button: number }): boolean {
  return e.button === 0 && (e.altKey || e.shiftKey);
}

/** What dropping `from` on `to` would do. `cycle`: the keys of the loop it would close, `from` first and last. */
export type LinkVerdict =
  | { kind: 'none' }
  | { kind: 'self' }
  | { kind: 'exists' }
  | { kind: 'cycle'; keys: string[] }
  | { kind: 'ok' };

/** Checks a drop before the core is asked (the core refuses the same cases; this only explains them early). */
export function linkVerdict(dependencies: readonly Pick<Dependency, 'from' | 'to'>[], from: string, to: string | null): LinkVerdict {
  if (to === null) return { kind: 'none' };
  if (to === from) return { kind: 'self' };
  if (dependencies.some((d) => d.from === from && d.to === to)) return { kind: 'exists' };
  // `from -> to` closes a loop when `to` already leads to `from`.
  const next = new Map<string, string[]>();
  for (const d of dependencies) {
    const list = next.get(d.from);
    if (list) list.push(d.to);
    else next.set(d.from, [d.to]);
  }
  const came = new Map<string, string>();
  const queue = [to];
  const seen = new Set([to]);
  while (queue.length > 0) {
    const k = queue.shift()!;
    if (k === from) {
      const path = [from];
      let at = from;
      while (at !== to) {
        at = came.get(at)!;
        path.unshift(at);
      }
      return { kind: 'cycle', keys: [from, ...path] };
    }
    for (const n of next.get(k) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      came.set(n, k);
      queue.push(n);
    }
  }
  return { kind: 'ok' };
}

/** The tip shown by the pointer while dragging. */
export function verdictText(from: string, to: string | null, v: LinkVerdict): string {
  switch (v.kind) {
    case 'none':
      return `Drop on the component ${from} blocks`;
    case 'self':
      return 'A component cannot block itself';
    case 'exists':
      return `${from} already blocks ${to}`;
    case 'cycle':
      return `Would close a cycle: ${v.keys.join(' → ')}`;
    case 'ok':
      return `${from} blocks ${to}`;
  }
}

/** Handlers of one drag, called with points in the caller's own space. */
export interface DragHandlers {
  move: (e: PointerEvent) => void;
  /** The button was released (`e`) or the drag was cancelled (`null`: Escape, pointercancel). */
  end: (e: PointerEvent | null) => void;
}

/**
 * Follows pointer `pointerId` on `target` (the window) until it is released,
 * cancelled or Escape is pressed (that Escape goes no further: it does not also
 * close the page's panel). Returns the function that stops following early.
 */
export function followPointer(target: EventTarget, pointerId: number, h: DragHandlers): () => void {
  const mine = (e: Event) => (e as PointerEvent).pointerId === pointerId;
  const move = (e: Event) => mine(e) && h.move(e as PointerEvent);
  const up = (e: Event) => {
    if (!mine(e)) return;
    stop();
    h.end(e as PointerEvent);
  };
  const cancel = (e: Event) => {
    if (!mine(e)) return;
    stop();
    h.end(null);
  };
  const key = (e: Event) => {
    if ((e as KeyboardEvent).key !== 'Escape') return;
    e.stopPropagation();
    e.preventDefault();
    stop();
    h.end(null);
  };
  target.addEventListener('pointermove', move);
  target.addEventListener('pointerup', up);
  target.addEventListener('pointercancel', cancel);
  target.addEventListener('keydown', key, { capture: true });
  function stop() {
    target.removeEventListener('pointermove', move);
    target.removeEventListener('pointerup', up);
    target.removeEventListener('pointercancel', cancel);
    target.removeEventListener('keydown', key, { capture: true });
  }
  return stop;
}

/**
 * Swallows the one click that follows a drag (the browser sends it to the
 * node the drag started on, which would select it). Listens in the capture
 * phase of `target`; gives up after `ms` when no click comes.
 */
export function swallowNextClick(target: EventTarget, ms = 300): void {
  const eat = (e: Event) => {
    e.stopPropagation();
    e.preventDefault();
    done();
  };
  const timer = setTimeout(() => done(), ms);
  function done() {
    clearTimeout(timer);
    target.removeEventListener('click', eat, { capture: true });
  }
  target.addEventListener('click', eat, { capture: true });
}
