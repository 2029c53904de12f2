// Runs elkjs's layered layout off the main thread. Receives { id, graph },
// answers { id, layout } or { id, error }.

import ELK from 'elkjs/lib/elk.bundled.js';

const elk = new ELK();

self.onmessage = async (event: MessageEvent<{ id: number; graph: unknown }>) => {
  const { id, graph } = event.data;
  try {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const layout = await elk.layout(graph as any);
    self.postMessage({ id, layout });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
