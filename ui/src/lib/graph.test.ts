import { describe, expect, it } from 'vitest';
import { drawing, edgeBundles, elkInput, fitView, layeredLayout, neededByLabel, sectionPath, zoomAbout } from './graph';
import { threeComponents } from './test_fixtures';
import type { Analysis } from './types';

const release = threeComponents;

describe('elkInput', () => {
  it('asks for a layered left-to-right layout of every component and dependency', () => {
    const g = elkInput(release);
    expect(g.layoutOptions['elk.algorithm']).toBe('layered');
    expect(g.layoutOptions['elk.direction']).toBe('RIGHT');
    expect(g.children.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(g.edges.map((e) => e.id)).toEqual(['a->b', 'b->c']);
    expect(g.edges[0]?.labels?.[0]?.text).toBe('by 8 Feb');
    expect(g.edges[1]?.labels).toBeUndefined();
  });

  it('keeps the chosen teams and the edges between them only', () => {
    const g = elkInput(release, new Set(['web']));
    expect(g.children.map((c) => c.id)).toEqual(['b', 'c']);
    expect(g.edges.map((e) => e.id)).toEqual(['b->c']);
  });
});

describe('drawing', () => {
  const analysis = {
    critical_path: ['a', 'b'],
    components: [
      { key: 'a', critical: true, done: false },
      { key: 'b', critical: true, done: false },
      { key: 'c', critical: false, done: false },
    ],
    dependencies: [
      { from: 'a', to: 'b', state: 'late', critical: false },
      { from: 'b', to: 'c', state: 'ok', critical: false },
    ],
  } as unknown as Analysis;
  const pt = (x: number, y: number) => ({ x, y });
  const layout = {
    width: 500,
    height: 200,
    children: [
      { id: 'a', x: 10, y: 20 },
      { id: 'b', x: 200, y: 20 },
      { id: 'c', x: 400, y: 20 },
    ],
    edges: [
      { id: 'a->b', sections: [{ startPoint: pt(190, 40), endPoint: pt(200, 40) }], labels: [{ text: 'by 8 Feb', x: 180, y: 30, width: 20, height: 10 }] },
      { id: 'b->c', sections: [{ startPoint: pt(380, 40), endPoint: pt(400, 40) }] },
    ],
  };

  it('marks the critical path, colours edges by risk and places needed-by labels', () => {
    const d = drawing(release, analysis, layout);
    expect(d.nodes.map((n) => [n.key, n.critical, n.x])).toEqual([
      ['a', true, 10],
      ['b', true, 200],
      ['c', false, 400],
    ]);
    expect(d.edges.map((e) => [e.id, e.state, e.critical])).toEqual([
      ['a->b', 'late', true],
      ['b->c', 'ok', false],
    ]);
    expect(d.edges[0]).toMatchObject({ label: 'by 8 Feb', labelX: 190, labelY: 35 });
  });
});

describe('sectionPath', () => {
  const pt = (x: number, y: number) => ({ x, y });
  it('draws a line, a spline or a polyline', () => {
    expect(sectionPath({ startPoint: pt(0, 0), endPoint: pt(10, 0) })).toBe('M0,0 L10,0');
    expect(sectionPath({ startPoint: pt(0, 0), bendPoints: [pt(1, 1), pt(2, 2)], endPoint: pt(3, 3) })).toBe('M0,0 C1,1 2,2 3,3');
    expect(sectionPath({ startPoint: pt(0, 0), bendPoints: [pt(5, 0)], endPoint: pt(5, 5) })).toBe('M0,0 L5,0 L5,5');
  });
});

describe('view maths', () => {
  it('fits the drawing in the viewport, centred, never above 1.5x', () => {
    expect(fitView({ width: 200, height: 100 }, 400, 400)).toEqual({ x: 50, y: 125, k: 1.5 });
    const v = fitView({ width: 1000, height: 500 }, 500, 500);
    expect(v.k).toBe(0.5);
    expect(v.y).toBe(125);
    expect(fitView({ width: 10, height: 10 }, 1000, 1000).k).toBe(1.5);
  });

  it('zooms about a point, which stays where it is', () => {
    const v = zoomAbout({ x: 0, y: 0, k: 1 }, 2, 100, 50);
    expect(v).toEqual({ x: -100, y: -50, k: 2 });
    expect(zoomAbout({ x: 0, y: 0, k: 4 }, 2, 0, 0).k).toBe(4);
  });

  it('labels needed-by dates', () => {
    expect(neededByLabel('2025-02-08')).toBe('by 8 Feb');
    expect(neededByLabel(null)).toBeNull();
  });
});

describe('layeredLayout', () => {
  it('puts each component one layer right of its latest blocker and routes edges left to right', () => {
    const g = elkInput({
      ...release,
      components: [...release.components, { key: 'd', title: 'D', team: 'api', status: 'planning', duration_days: 1 }],
      dependencies: [...(release.dependencies ?? []), { from: 'a', to: 'c' }, { from: 'd', to: 'c' }],
    });
    const out = layeredLayout(g);
    const x = new Map((out.children ?? []).map((c) => [c.id, c.x ?? 0]));
    expect(x.get('a')).toBe(x.get('d'));
    expect(x.get('b')!).toBeGreaterThan(x.get('a')!);
    expect(x.get('c')!).toBeGreaterThan(x.get('b')!);
    for (const e of out.edges ?? []) {
      const s = e.sections![0]!;
      expect(s.endPoint.x).toBeGreaterThan(s.startPoint.x);
    }
    const ys = (out.children ?? []).filter((c) => c.x === x.get('a')).map((c) => c.y);
    expect(new Set(ys).size).toBe(ys.length);
    expect(out.width).toBeGreaterThan(0);
    expect(out.edges?.find((e) => e.id === 'a->b')?.labels?.[0]?.text).toBe('by 8 Feb');
  });
});

describe('edgeBundles', () => {
  const edge = (from: string, to: string, state: 'ok' | 'at_risk' | 'late', critical: boolean) => ({
    id: `${from}->${to}`,
    from,
    to,
    state,
    critical,
    path: `M0,0 L${from.length},${to.length}`,
    labelX: 0,
    labelY: 0,
    label: null,
    end: { x: 0, y: 0 },
  });

  it('draws the edges of each look as one path, critical last', () => {
    const bundles = edgeBundles([
      edge('a', 'b', 'late', true),
      edge('b', 'c', 'ok', false),
      edge('c', 'd', 'late', false),
      edge('d', 'e', 'ok', false),
      edge('e', 'f', 'at_risk', false),
    ]);
    expect(bundles.map((b) => [b.key, b.count])).toEqual([
      ['ok', 2],
      ['at_risk', 1],
      ['late', 1],
      ['critical', 1],
    ]);
    expect(bundles[0]!.path).toBe('M0,0 L1,1 M0,0 L1,1');
    expect(bundles[3]!.critical).toBe(true);
  });

  it('keeps every edge: no edge is lost in a bundle', () => {
    const edges = Array.from({ length: 50 }, (_, i) => edge(`n${i}`, `m${i}`, i % 3 === 0 ? 'late' : 'ok', i % 7 === 0));
    const bundles = edgeBundles(edges);
    expect(bundles.reduce((n, b) => n + b.count, 0)).toBe(50);
    expect(bundles.reduce((n, b) => n + (b.path.match(/M/g)?.length ?? 0), 0)).toBe(50);
  });
});
