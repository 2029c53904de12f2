import { describe, expect, it } from 'vitest';
import {
  cull,
  drawing,
  edgeBundles,
  elkInput,
  fitView,
  layeredLayout,
  neededByLabel,
  NODE_HEIGHT,
  NODE_WIDTH,
  nodeAt,
  paintGraph,
  sectionPath,
  visibleArea,
  zoomAbout,
  type GraphDrawing,
  type GraphNode,
  type Painter,
} from './graph';
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

describe('large graphs: culling, hit-testing, painting', () => {
  const node = (key: string, x: number, y: number, extra: Partial<GraphNode> = {}): GraphNode => ({
    key,
    title: key,
    team: 't',
    x,
    y,
    critical: false,
    done: false,
    status: 'planned',
    ...extra,
  });
  const edge = (from: string, to: string, state: 'ok' | 'late' = 'ok', critical = false) => ({
    id: `${from}->${to}`,
    from,
    to,
    state,
    critical,
    path: `M${from} L${to}`,
    label: null,
    labelX: 0,
    labelY: 0,
    end: { x: 0, y: 0 },
  });
  // Three columns far apart: a at x=0, b at x=1000, c at x=5000.
  const d: GraphDrawing = {
    width: 5180,
    height: 400,
    nodes: [node('a', 0, 0), node('b', 1000, 300), node('c', 5000, 0, { critical: true })],
    edges: [edge('a', 'b'), edge('b', 'c', 'late'), edge('a', 'c', 'ok', true)],
  };

  it('visibleArea is the graph rectangle under the viewport, with its margin', () => {
    expect(visibleArea({ x: -100, y: 50, k: 0.5 }, 400, 200)).toEqual({ x0: 200, y0: -100, x1: 1000, y1: 300 });
    expect(visibleArea({ x: 0, y: 0, k: 2 }, 400, 200, 20)).toEqual({ x0: -10, y0: -10, x1: 210, y1: 110 });
  });

  it('cull keeps what meets the view: nodes by their box, edges by the box of their ends', () => {
    const left = cull(d, { x0: -10, y0: -10, x1: 500, y1: 500 });
    expect(left.nodes.map((n) => n.key)).toEqual(['a']);
    // a>b and a>c start in view; b>c lies wholly to the right.
    expect(left.edges.map((e) => e.id)).toEqual(['a->b', 'a->c']);
    // A view between b and c shows no node, but the long edges crossing it.
    const middle = cull(d, { x0: 2000, y0: 0, x1: 3000, y1: 100 });
    expect(middle.nodes).toEqual([]);
    expect(middle.edges.map((e) => e.id)).toEqual(['b->c', 'a->c']);
    expect(cull(d, { x0: -1e6, y0: -1e6, x1: 1e6, y1: 1e6 })).toEqual(d);
  });

  it('nodeAt finds the box under a viewport point at any pan and zoom', () => {
    const view = { x: 10, y: 20, k: 0.25 };
    // b's box spans x 1000..1180, y 300..352 in the graph: 260..305, 95..108 on screen.
    expect(nodeAt(d, view, 261, 96)?.key).toBe('b');
    expect(nodeAt(d, view, 10 + (1000 + NODE_WIDTH) * 0.25, 20 + (300 + NODE_HEIGHT) * 0.25)?.key).toBe('b');
    expect(nodeAt(d, view, 258, 96)).toBeNull();
    expect(nodeAt(d, view, 11, 21)?.key).toBe('a');
    expect(nodeAt({ ...d, nodes: [node('under', 0, 0), node('over', 0, 0)] }, view, 11, 21)?.key).toBe('over');
  });

  it('paintGraph paints edges one path per look (critical last), then every node in its ink', () => {
    const calls: string[] = [];
    const ctx: Painter<string> & { calls: string[] } = {
      calls,
      fillStyle: '',
      strokeStyle: '',
      lineWidth: 1,
      globalAlpha: 1,
      setTransform: (...m) => calls.push(`transform ${m.join(',')}`),
      clearRect: (...r) => calls.push(`clear ${r.join(',')}`),
      beginPath: () => {},
      rect: (x, y) => calls.push(`rect ${x},${y}`),
      roundRect: (x, y) => calls.push(`box ${x},${y}`),
      fill: () => calls.push(`fill ${ctx.fillStyle} alpha ${ctx.globalAlpha}`),
      stroke: (p) => calls.push(p ? `edges ${p} ${ctx.strokeStyle} ${ctx.lineWidth}` : `outline ${ctx.strokeStyle} ${ctx.lineWidth}`),
      setLineDash: () => {},
    };
    paintGraph(ctx, { nodes: d.nodes, bundles: edgeBundles(d.edges) }, { x: 5, y: 6, k: 0.5 }, { w: 300, h: 200, ratio: 2 }, {
      edge: (b) => ({ stroke: b.critical ? 'crit' : b.state, width: b.critical ? 3 : 1 }),
      node: (n) => ({ fill: 'fill-' + n.key, stroke: n.critical ? 'crit' : 'team', width: n.critical ? 3 : 1.2, alpha: n.key === 'b' ? 0.65 : 1 }),
      path: (p) => `[${p}]`,
    });
    expect(calls).toEqual([
      'transform 2,0,0,2,0,0',
      'clear 0,0,300,200',
      'transform 1,0,0,1,10,12',
      'edges [Ma Lb] ok 1',
      'edges [Mb Lc] late 1',
      'edges [Ma Lc] crit 3',
      'box 0,0',
      'fill fill-a alpha 1',
      'outline team 1.2',
      'box 1000,300',
      'fill fill-b alpha 0.65',
      'outline team 1.2',
      'box 5000,0',
      'fill fill-c alpha 1',
      'outline crit 3',
    ]);
  });
});
