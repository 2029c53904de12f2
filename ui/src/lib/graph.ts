// The dependency graph: what is sent to elkjs (layered, left to right) and how
// its answer is drawn: nodes coloured by team, the critical path marked, late
// and at-risk dependencies coloured, needed-by dates on edges.

import type { Analysis, Release, RiskState } from './types';

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 52;

export interface ElkInput {
  id: string;
  layoutOptions: Record<string, string>;
  children: { id: string; width: number; height: number }[];
  edges: { id: string; sources: string[]; targets: string[]; labels?: { text: string; width: number; height: number }[] }[];
}

export interface ElkPoint {
  x: number;
  y: number;
}

export interface ElkOutput {
  width?: number;
  height?: number;
  children?: { id: string; x?: number; y?: number; width?: number; height?: number }[];
  edges?: {
    id: string;
    sections?: { startPoint: ElkPoint; endPoint: ElkPoint; bendPoints?: ElkPoint[] }[];
    labels?: { text: string; x?: number; y?: number; width?: number; height?: number }[];
  }[];
}

export interface GraphNode {
  key: string;
  title: string;
  team: string;
  x: number;
  y: number;
  critical: boolean;
  done: boolean;
  status: string;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  path: string;
  state: RiskState;
  critical: boolean;
  label: string | null;
  labelX: number;
  labelY: number;
  end: ElkPoint;
}

export interface GraphDrawing {
  width: number;
  height: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const edgeId = (from: string, to: string) => `${from}->${to}`;

/** The edges of one look (risk state, critical or not) drawn as one path. */
export interface EdgeBundle {
  key: string;
  state: RiskState;
  critical: boolean;
  path: string;
  count: number;
}

/**
 * A large graph seen from afar draws its edges as one path per look instead
 * of one element per edge: thousands of SVG elements cost the web process
 * tens of megabytes and the look is the same. On-time edges first, the
 * critical path last, so it is drawn on top.
 */
export function edgeBundles(edges: readonly GraphEdge[]): EdgeBundle[] {
  const order: RiskState[] = ['ok', 'at_risk', 'late'];
  const bundles = new Map<string, EdgeBundle>();
  for (const e of edges) {
    const key = e.critical ? 'critical' : e.state;
    const b = bundles.get(key);
    if (b) {
      b.path += ' ' + e.path;
      b.count += 1;
    } else bundles.set(key, { key, state: e.state, critical: e.critical, path: e.path, count: 1 });
  }
  const rank = (b: EdgeBundle) => (b.critical ? order.length : order.indexOf(b.state));
  return [...bundles.values()].sort((a, b) => rank(a) - rank(b));
}

/** "needed by 8 Feb": the label of an edge with a needed-by date. */
export function neededByLabel(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const [, m, d] = iso.split('-');
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `by ${Number(d)} ${months[Number(m) - 1] ?? ''}`;
}

/** The components (of `teams`, or all) and the dependencies among them, as elkjs takes them. */
export function elkInput(release: Release, teams: ReadonlySet<string> | null = null): ElkInput {
  const children = release.components
    .filter((c) => teams === null || teams.has(c.team))
    .map((c) => ({ id: c.key, width: NODE_WIDTH, height: NODE_HEIGHT }));
  const kept = new Set(children.map((c) => c.id));
  const edges = (release.dependencies ?? [])
    .filter((d) => kept.has(d.from) && kept.has(d.to))
    .map((d) => {
      const label = neededByLabel(d.needed_by);
      return {
        id: edgeId(d.from, d.to),
        sources: [d.from],
        targets: [d.to],
        ...(label ? { labels: [{ text: label, width: label.length * 6.2 + 8, height: 14 }] } : {}),
      };
    });
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'SPLINES',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.spacing.nodeNode': '22',
      'elk.spacing.edgeLabel': '2',
      'elk.edgeLabels.inline': 'true',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.padding': '[top=24,left=24,bottom=24,right=24]',
    },
    children,
    edges,
  };
}

/** SVG path through an elk edge section's points. */
export function sectionPath(s: { startPoint: ElkPoint; endPoint: ElkPoint; bendPoints?: ElkPoint[] }): string {
  const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
  if (pts.length === 2) return `M${pts[0]!.x},${pts[0]!.y} L${pts[1]!.x},${pts[1]!.y}`;
  // Splines: elk gives control points in groups of three after the start.
  if ((pts.length - 1) % 3 === 0) {
    let d = `M${pts[0]!.x},${pts[0]!.y}`;
    for (let i = 1; i < pts.length; i += 3) {
      d += ` C${pts[i]!.x},${pts[i]!.y} ${pts[i + 1]!.x},${pts[i + 1]!.y} ${pts[i + 2]!.x},${pts[i + 2]!.y}`;
    }
    return d;
  }
  return pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
}

/** Joins elk's positions with the schedule into what the view draws. */
export function drawing(release: Release, analysis: Analysis, layout: ElkOutput): GraphDrawing {
  const comps = new Map(release.components.map((c) => [c.key, c]));
  const sched = new Map(analysis.components.map((c) => [c.key, c]));
  const deps = new Map(analysis.dependencies.map((d) => [edgeId(d.from, d.to), d]));
  const onPath = new Set<string>();
  const cp = analysis.critical_path;
  for (let i = 0; i + 1 < cp.length; i++) onPath.add(edgeId(cp[i]!, cp[i + 1]!));
  const nodes: GraphNode[] = (layout.children ?? []).flatMap((n) => {
    const c = comps.get(n.id);
    if (!c) return [];
    const s = sched.get(n.id);
    return [
      {
        key: c.key,
        title: c.title,
        team: c.team,
        x: n.x ?? 0,
        y: n.y ?? 0,
        critical: s?.critical ?? false,
        done: s?.done ?? false,
        status: c.status ?? 'planning',
      },
    ];
  });
  const edges: GraphEdge[] = (layout.edges ?? []).flatMap((e) => {
    const d = deps.get(e.id);
    const section = e.sections?.[0];
    if (!d || !section) return [];
    const label = e.labels?.[0];
    return [
      {
        id: e.id,
        from: d.from,
        to: d.to,
        path: sectionPath(section),
        state: d.state,
        critical: onPath.has(e.id) || d.critical,
        label: label?.text ?? null,
        labelX: (label?.x ?? 0) + (label?.width ?? 0) / 2,
        labelY: (label?.y ?? 0) + (label?.height ?? 0) / 2,
        end: section.endPoint,
      },
    ];
  });
  return { width: layout.width ?? 0, height: layout.height ?? 0, nodes, edges };
}

/** The view box that shows the whole drawing inside a `w` x `h` viewport. */
export function fitView(d: { width: number; height: number }, w: number, h: number): { x: number; y: number; k: number } {
  if (d.width <= 0 || d.height <= 0 || w <= 0 || h <= 0) return { x: 0, y: 0, k: 1 };
  const k = Math.min(w / d.width, h / d.height, 1.5);
  return { x: (w - d.width * k) / 2, y: (h - d.height * k) / 2, k };
}

/** Zooms by `factor` about the point (px, py) of the viewport. */
export function zoomAbout(
  view: { x: number; y: number; k: number },
  factor: number,
  px: number,
  py: number,
): { x: number; y: number; k: number } {
  const k = Math.min(4, Math.max(0.05, view.k * factor));
  const f = k / view.k;
  return { x: px - (px - view.x) * f, y: py - (py - view.y) * f, k };
}

/** A pan and zoom: graph point (gx, gy) is drawn at viewport point (x + gx * k, y + gy * k). */
export interface PanZoom {
  x: number;
  y: number;
  k: number;
}

/** A rectangle in graph coordinates. */
export interface Area {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The part of the graph a `w` x `h` viewport shows at `view`, grown by `margin` viewport pixels each side. */
export function visibleArea(view: PanZoom, w: number, h: number, margin = 0): Area {
  return {
    x0: (-margin - view.x) / view.k,
    y0: (-margin - view.y) / view.k,
    x1: (w + margin - view.x) / view.k,
    y1: (h + margin - view.y) / view.k,
  };
}

const meets = (a: Area, x0: number, y0: number, x1: number, y1: number) =>
  x1 >= a.x0 && x0 <= a.x1 && y1 >= a.y0 && y0 <= a.y1;

/**
 * The nodes and edges that can be seen in `area`: a node when its box meets
 * it, an edge when the box spanned by its two nodes and its label does (the
 * layered layout routes an edge between its ends).
 */
export function cull(d: GraphDrawing, area: Area): GraphDrawing {
  const at = new Map(d.nodes.map((n) => [n.key, n]));
  const nodes = d.nodes.filter((n) => meets(area, n.x, n.y, n.x + NODE_WIDTH, n.y + NODE_HEIGHT));
  const edges = d.edges.filter((e) => {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) return true;
    const xs = [a.x, a.x + NODE_WIDTH, b.x, b.x + NODE_WIDTH, e.label ? e.labelX : a.x];
    const ys = [a.y, a.y + NODE_HEIGHT, b.y, b.y + NODE_HEIGHT, e.label ? e.labelY : a.y];
    return meets(area, Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys));
  });
  return { width: d.width, height: d.height, nodes, edges };
}

/** The node drawn under viewport point (px, py), the topmost (last drawn) when boxes overlap. */
export function nodeAt(d: GraphDrawing, view: PanZoom, px: number, py: number): GraphNode | null {
  const gx = (px - view.x) / view.k;
  const gy = (py - view.y) / view.k;
  for (let i = d.nodes.length - 1; i >= 0; i--) {
    const n = d.nodes[i]!;
    if (gx >= n.x && gx <= n.x + NODE_WIDTH && gy >= n.y && gy <= n.y + NODE_HEIGHT) return n;
  }
  return null;
}

/** How one node or edge look is painted: the same colours and widths as the SVG drawing. */
export interface Ink {
  fill?: string;
  stroke: string;
  width: number;
  dash?: number[];
  alpha?: number;
}

/** The part of a canvas 2D context {@link paintGraph} uses. */
export interface Painter<P> {
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  clearRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  rect(x: number, y: number, w: number, h: number): void;
  roundRect?(x: number, y: number, w: number, h: number, r: number): void;
  fill(): void;
  stroke(path?: P): void;
  setLineDash(dash: number[]): void;
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  globalAlpha: number;
}

/**
 * Paints a graph seen from afar on a canvas `w` x `h` viewport pixels with
 * `ratio` device pixels each: the edges one path per look (its
 * {@link edgeBundles}, critical last, on top), then the nodes as rounded
 * boxes. Node text is left out, as the SVG
 * drawing leaves it out at that distance.
 */
export function paintGraph<P>(
  ctx: Painter<P>,
  d: { nodes: readonly GraphNode[]; bundles: readonly EdgeBundle[] },
  view: PanZoom,
  size: { w: number; h: number; ratio: number },
  ink: { edge: (b: EdgeBundle) => Ink; node: (n: GraphNode) => Ink; path: (d: string) => P },
): void {
  const r = size.ratio;
  ctx.setTransform(r, 0, 0, r, 0, 0);
  ctx.clearRect(0, 0, size.w, size.h);
  ctx.setTransform(r * view.k, 0, 0, r * view.k, r * view.x, r * view.y);
  ctx.globalAlpha = 1;
  for (const b of d.bundles) {
    const look = ink.edge(b);
    ctx.strokeStyle = look.stroke;
    ctx.lineWidth = look.width;
    ctx.setLineDash(look.dash ?? []);
    ctx.stroke(ink.path(b.path));
  }
  ctx.setLineDash([]);
  for (const n of d.nodes) {
    const look = ink.node(n);
    ctx.globalAlpha = look.alpha ?? 1;
    ctx.beginPath();
    if (ctx.roundRect) ctx.roundRect(n.x, n.y, NODE_WIDTH, NODE_HEIGHT, 8);
    else ctx.rect(n.x, n.y, NODE_WIDTH, NODE_HEIGHT);
    ctx.fillStyle = look.fill ?? 'transparent';
    ctx.fill();
    ctx.strokeStyle = look.stroke;
    ctx.lineWidth = look.width;
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

/** Above this many components the worker uses {@link layeredLayout} instead of elk. */
export const ELK_NODE_LIMIT = 300;

const LAYER_GAP = 80;
const ROW_GAP = 22;
const PAD = 24;

/**
 * A fast layered left-to-right layout for large graphs, where elk's crossing
 * minimisation takes seconds: layers by longest path from the sources, order
 * within a layer by two barycentre sweeps, edges as curves from the right side
 * of one node to the left side of the next. Returns elk's output shape.
 */
export function layeredLayout(graph: ElkInput): ElkOutput {
  const ids = graph.children.map((c) => c.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const preds: number[][] = ids.map(() => []);
  const succs: number[][] = ids.map(() => []);
  const indegree = ids.map(() => 0);
  for (const e of graph.edges) {
    const f = index.get(e.sources[0] ?? '');
    const t = index.get(e.targets[0] ?? '');
    if (f === undefined || t === undefined) continue;
    preds[t]!.push(f);
    succs[f]!.push(t);
    indegree[t]!++;
  }
  // Longest path layering, in topological order (a cycle's members go last).
  const layer = ids.map(() => 0);
  const queue = ids.map((_, i) => i).filter((i) => indegree[i] === 0);
  const seen = new Set<number>();
  for (let q = 0; q < queue.length; q++) {
    const n = queue[q]!;
    seen.add(n);
    for (const s of succs[n]!) {
      layer[s] = Math.max(layer[s]!, layer[n]! + 1);
      if (--indegree[s]! === 0) queue.push(s);
    }
  }
  const layers: number[][] = [];
  ids.forEach((_, i) => {
    const l = seen.has(i) ? layer[i]! : 0;
    (layers[l] ??= []).push(i);
  });
  const pos = ids.map(() => 0);
  const place = () => layers.forEach((nodes) => nodes.forEach((n, i) => (pos[n] = i)));
  place();
  const sweep = (neighbours: number[][], order: number[][]) => {
    for (const nodes of order) {
      const bary = new Map(
        nodes.map((n) => {
          const ns = neighbours[n]!;
          return [n, ns.length ? ns.reduce((a, m) => a + pos[m]!, 0) / ns.length : pos[n]!];
        }),
      );
      nodes.sort((a, b) => bary.get(a)! - bary.get(b)! || a - b);
      nodes.forEach((n, i) => (pos[n] = i));
    }
  };
  for (let round = 0; round < 2; round++) {
    sweep(preds, layers);
    sweep(succs, [...layers].reverse());
  }
  const tallest = Math.max(1, ...layers.map((l) => l.length));
  const x = (n: number) => PAD + layer[n]! * (NODE_WIDTH + LAYER_GAP);
  const y = (n: number) => {
    const count = layers[layer[n]!]!.length;
    const offset = ((tallest - count) * (NODE_HEIGHT + ROW_GAP)) / 2;
    return PAD + offset + pos[n]! * (NODE_HEIGHT + ROW_GAP);
  };
  const children = ids.map((id, n) => ({ id, x: x(n), y: y(n), width: NODE_WIDTH, height: NODE_HEIGHT }));
  const edges = graph.edges.flatMap((e) => {
    const f = index.get(e.sources[0] ?? '');
    const t = index.get(e.targets[0] ?? '');
    if (f === undefined || t === undefined) return [];
    const start = { x: x(f) + NODE_WIDTH, y: y(f) + NODE_HEIGHT / 2 };
    const end = { x: x(t), y: y(t) + NODE_HEIGHT / 2 };
    const bend = Math.max(30, (end.x - start.x) / 2);
    const label = e.labels?.[0];
    return [
      {
        id: e.id,
        sections: [{ startPoint: start, endPoint: end, bendPoints: [{ x: start.x + bend, y: start.y }, { x: end.x - bend, y: end.y }] }],
        ...(label
          ? { labels: [{ text: label.text, width: label.width, height: label.height, x: (start.x + end.x - label.width) / 2, y: (start.y + end.y - label.height) / 2 }] }
          : {}),
      },
    ];
  });
  const width = PAD * 2 + layers.length * (NODE_WIDTH + LAYER_GAP) - LAYER_GAP;
  const height = PAD * 2 + tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP;
  return { width, height, children, edges };
}
