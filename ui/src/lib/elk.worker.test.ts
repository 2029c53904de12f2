import { afterEach, describe, expect, it, vi } from 'vitest';
import { elkInput } from './graph';
import { threeComponents } from './test_fixtures';
import type { Release } from './types';

const release = threeComponents;

// The worker's global scope, as the worker sees it.
type Scope = { onmessage: ((e: { data: unknown }) => unknown) | null; postMessage: (m: unknown) => void };

async function startWorker(): Promise<{ scope: Scope; answers: unknown[] }> {
  const answers: unknown[] = [];
  const scope: Scope = { onmessage: null, postMessage: (m) => answers.push(m) };
  vi.stubGlobal('self', scope);
  vi.resetModules();
  await import('./elk.worker');
  return { scope, answers };
}

async function until(check: () => boolean) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('the layout worker script', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('still answers after elk is loaded by a warm-up (elk takes self.onmessage when it loads)', async () => {
    const { scope, answers } = await startWorker();
    const ours = scope.onmessage;
    await scope.onmessage!({ data: { warm: true } });
    // The first layout waits for elk to load.
    await scope.onmessage!({ data: { id: 6, graph: elkInput(release) } });
    await until(() => answers.length === 1);
    expect(scope.onmessage).toBe(ours);
    // The next one must reach the worker's handler too, not elk's.
    await scope.onmessage!({ data: { id: 7, graph: elkInput(release) } });
    await until(() => answers.length === 2);
    const answer = answers[1] as { id: number; layout?: { children: { id: string }[] } };
    expect(answer.id).toBe(7);
    expect(answer.layout?.children.map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });

  it('lays out a graph above the elk limit without loading elk', async () => {
    const { scope, answers } = await startWorker();
    const ours = scope.onmessage;
    const big: Release = {
      ...release,
      components: Array.from({ length: 400 }, (_, i) => ({
        key: `c${i}`,
        title: `C${i}`,
        team: 'api',
        status: 'planning' as const,
        duration_days: 1,
      })),
      dependencies: Array.from({ length: 399 }, (_, i) => ({ from: `c${i}`, to: `c${i + 1}` })),
    };
    await scope.onmessage!({ data: { id: 1, graph: elkInput(big) } });
    expect(answers).toHaveLength(1);
    expect((answers[0] as { layout: { children: unknown[] } }).layout.children).toHaveLength(400);
    expect(scope.onmessage).toBe(ours);
  });
});
