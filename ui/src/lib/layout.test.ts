import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A stand-in for the browser's Worker: records what it is sent and answers on demand.
class FakeWorker {
  static made: FakeWorker[] = [];
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  sent: { id: number }[] = [];
  terminated = false;
  constructor() {
    FakeWorker.made.push(this);
  }
  postMessage(m: { id: number } | { warm: true }) {
    if ('warm' in m) return;
    this.sent.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  answer(id: number) {
    this.onmessage?.({ data: { id, layout: { children: [], edges: [] } } } as unknown as MessageEvent);
  }
}

const graph = { id: 'root', layoutOptions: {}, children: [], edges: [] };

describe('the layout worker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.resetModules();
    FakeWorker.made = [];
    vi.stubGlobal('Worker', FakeWorker);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('is stopped once idle and started again for the next layout', async () => {
    const { layoutGraph, layoutRunning, IDLE_MS } = await import('./layout');
    const first = layoutGraph(graph);
    expect(FakeWorker.made).toHaveLength(1);
    FakeWorker.made[0]!.answer(FakeWorker.made[0]!.sent[0]!.id);
    await first;
    vi.advanceTimersByTime(IDLE_MS - 1);
    expect(layoutRunning()).toBe(true);
    vi.advanceTimersByTime(1);
    expect(layoutRunning()).toBe(false);
    expect(FakeWorker.made[0]!.terminated).toBe(true);

    const second = layoutGraph(graph);
    expect(FakeWorker.made).toHaveLength(2);
    FakeWorker.made[1]!.answer(FakeWorker.made[1]!.sent[0]!.id);
    await expect(second).resolves.toEqual({ children: [], edges: [] });
  });

  it('is not stopped while a layout is still being computed', async () => {
    const { layoutGraph, layoutRunning, warmLayout, IDLE_MS } = await import('./layout');
    warmLayout();
    const pending = layoutGraph(graph);
    vi.advanceTimersByTime(IDLE_MS * 3);
    expect(layoutRunning()).toBe(true);
    const w = FakeWorker.made[0]!;
    expect(FakeWorker.made).toHaveLength(1);
    w.answer(w.sent[0]!.id);
    await pending;
    vi.advanceTimersByTime(IDLE_MS);
    expect(w.terminated).toBe(true);
  });

  it('rejects every waiting layout when the worker fails, and starts afresh', async () => {
    const { layoutGraph } = await import('./layout');
    const pending = layoutGraph(graph);
    FakeWorker.made[0]!.onerror?.({ message: 'boom' } as ErrorEvent);
    await expect(pending).rejects.toThrow('boom');
    expect(FakeWorker.made[0]!.terminated).toBe(true);
    void layoutGraph(graph);
    expect(FakeWorker.made).toHaveLength(2);
  });
});
