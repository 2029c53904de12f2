// The layout worker, shared by every graph view. It is started on demand (or
// ahead of the first graph by warmLayout) and stopped once it has been idle for
// IDLE_MS: elk's script and heap cost the web process about 50 MB, which an idle
// window should not hold.

import type { ElkInput, ElkOutput } from './graph';

/** How long the worker may sit idle before it is stopped. */
export const IDLE_MS = 10_000;

type Job = { resolve: (l: ElkOutput) => void; reject: (e: Error) => void };

let worker: Worker | null = null;
let next = 1;
let idleTimer: ReturnType<typeof setTimeout> | null = null;
const waiting = new Map<number, Job>();

function start(): Worker {
  const w = new Worker(new URL('./elk.worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (event: MessageEvent<{ id: number; layout?: ElkOutput; error?: string }>) => {
    const job = waiting.get(event.data.id);
    if (!job) return;
    waiting.delete(event.data.id);
    if (event.data.layout) job.resolve(event.data.layout);
    else job.reject(new Error(event.data.error ?? 'the layout failed'));
    idleSoon();
  };
  w.onerror = (event) => {
    for (const job of waiting.values()) job.reject(new Error(event.message || 'the layout worker failed'));
    waiting.clear();
    stop();
  };
  return w;
}

function stop(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  worker?.terminate();
  worker = null;
}

/** Stops the worker after IDLE_MS unless a job arrives first. */
function idleSoon(): void {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (waiting.size === 0) stop();
  }, IDLE_MS);
}

function running(): Worker {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  worker ??= start();
  return worker;
}

/** Starts the worker and its parse of elk ahead of the first graph. */
export function warmLayout(): void {
  running().postMessage({ warm: true });
  idleSoon();
}

/** Whether the worker is running (for tests and the perf report). */
export function layoutRunning(): boolean {
  return worker !== null;
}

/** Lays out `graph` in the worker. */
export function layoutGraph(graph: ElkInput): Promise<ElkOutput> {
  const w = running();
  const id = next++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ id, graph });
  });
}
