// Timings the benchmarks read from the page (window.__flotillaPerf): when the
// first release was drawn, and how long the last edit took to answer and redraw.

export interface PerfRecord {
  /** performance.now() when a view finished drawing, by view name. */
  drawn: Record<string, number>;
  /** Milliseconds from the start of a layout or draw to its end, by view name. */
  drawMs: Record<string, number>;
  /**
   * The last edit: from the call to its answer, from the answer to the page's
   * DOM brought up to date (`updateMs`, part of `redrawMs`), and to the next
   * painted frame.
   */
  lastEdit: { answerMs: number; updateMs: number; redrawMs: number; totalMs: number } | null;
}

function record(): PerfRecord {
  const w = globalThis as unknown as { __flotillaPerf?: PerfRecord };
  w.__flotillaPerf ??= { drawn: {}, drawMs: {}, lastEdit: null };
  return w.__flotillaPerf;
}

export function recordDrawn(view: string, startedAt: number, now = performance.now()): void {
  const r = record();
  r.drawn[view] = now;
  r.drawMs[view] = now - startedAt;
}

export function recordEdit(started: number, answered: number, updated: number, drawn: number): void {
  record().lastEdit = {
    answerMs: answered - started,
    updateMs: updated - answered,
    redrawMs: drawn - answered,
    totalMs: drawn - started,
  };
}

/** Records how long one step of a draw took (`drawMs[view]`), for the benchmarks. */
export function recordStep(view: string, ms: number): void {
  record().drawMs[view] = ms;
}

export function perf(): PerfRecord {
  return record();
}
