// Lays graphs out off the main thread: elkjs's layered layout, or for graphs
// above ELK_NODE_LIMIT components the fast layered layout of graph.ts (elk
// takes seconds there). elk's script (1.4 MB) is loaded only when a graph
// needs it, or when asked to warm up, so a large release's worker never
// holds it. Receives { id, graph } or { warm: true }; answers { id, layout }
// or { id, error }.

import { ELK_NODE_LIMIT, layeredLayout, type ElkInput } from './graph';

type Elk = { layout: (graph: unknown) => Promise<unknown> };
let elk: Promise<Elk> | null = null;

function loadElk(): Promise<Elk> {
  elk ??= import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => {
    const made = new ELK() as Elk;
    // elk's script, run in a worker, takes over self.onmessage (to serve as
    // elk's own worker) when it starts: take it back.
    self.onmessage = handle;
    return made;
  });
  return elk;
}

async function handle(event: MessageEvent<{ id: number; graph: ElkInput } | { warm: true }>) {
  if ('warm' in event.data) {
    void loadElk();
    return;
  }
  const { id, graph } = event.data;
  try {
    const layout =
      graph.children.length > ELK_NODE_LIMIT ? layeredLayout(graph) : await (await loadElk()).layout(graph);
    self.postMessage({ id, layout });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
}

self.onmessage = handle;
