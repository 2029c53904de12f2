// Lays graphs out off the main thread: elkjs's layered layout, or for graphs
// above ELK_NODE_LIMIT components the fast layered layout of graph.ts (elk
// takes seconds there). Receives { id, graph }, answers { id, layout } or { id, error }.

import ELK from 'elkjs/lib/elk.bundled.js';
import { ELK_NODE_LIMIT, layeredLayout, type ElkInput } from './graph';

const elk = new ELK();

self.onmessage = async (event: MessageEvent<{ id: number; graph: ElkInput }>) => {
  const { id, graph } = event.data;
  try {
    const layout =
      graph.children.length > ELK_NODE_LIMIT
        ? layeredLayout(graph)
        : // elk's types want its own graph class; ElkInput is that shape.
          await elk.layout(graph as Parameters<typeof elk.layout>[0]);
    self.postMessage({ id, layout });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
