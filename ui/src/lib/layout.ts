// The elk layout worker, started once and shared by every graph view.

import type { ElkInput, ElkOutput } from './graph';

let worker: Worker | null = null;
let next = 1;
const waiting = new Map<number, { resolve: (l: ElkOutput) => void; reject: (e: Error) => void }>();

function start(): Worker {
  const w = new Worker(new URL('./elk.worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (event: MessageEvent<{ id: number; layout?: ElkOutput; error?: string }>) => {
    const job = waiting.get(event.data.id);
    if (!job) return;
    waiting.delete(event.data.id);
    if (event.data.layout) job.resolve(event.data.layout);
    else job.reject(new Error(event.data.error ?? 'the layout failed'));
  };
  w.onerror = (event) => {
    for (const job of waiting.values()) job.reject(new Error(event.message || 'the layout worker failed'));
    waiting.clear();
  };
  return w;
}

/** Starts the worker (and its parse of elk) ahead of the first graph. */
export function warmLayout(): void {
  worker ??= start();
}

/** Lays out `graph` in the worker. */
export function layoutGraph(graph: ElkInput): Promise<ElkOutput> {
  worker ??= start();
  const id = next++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker!.postMessage({ id, graph });
  });
}
