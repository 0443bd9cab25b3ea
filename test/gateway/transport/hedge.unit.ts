import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBudgets } from '../../../gateway/transport/budget.ts';
import { hedgeInterceptor } from '../../../gateway/transport/hedge.ts';
import { createLatencies } from '../../../gateway/transport/latency.ts';
import type { SubgraphPolicy } from '../../../gateway/transport/policy.ts';
import type { GatewayGraphQLResponse, SubgraphRequest } from '../../../gateway/transport/types.ts';
import { HEDGED_REQUEST_HEADER } from '../../../platform/headers.ts';
import { transportPolicy } from '../../helpers/transport-policy.ts';

interface Copy {
  hedged: boolean;
  signal: AbortSignal | undefined;
  sentAt: number;
}

/**
 * The hedging interceptor on vitest's fake clock, over a downstream whose copies answer after
 * the delays the test gives them (in order of sending), so every timing is exact.
 */
function setup(policy: SubgraphPolicy, answersAfter: (number | Error)[]) {
  const copies: Copy[] = [];
  const latencies = createLatencies();
  const budgets = createBudgets(() => policy);
  const call = hedgeInterceptor({ policyFor: () => policy, budgets, latencies })((request) => {
    const index = copies.length;
    copies.push({
      hedged: request.headers[HEDGED_REQUEST_HEADER] === '1',
      signal: request.signal,
      sentAt: Date.now(),
    });
    const answer = answersAfter[index] ?? 0;
    return new Promise<GatewayGraphQLResponse>((resolve, reject) =>
      setTimeout(
        () => {
          if (answer instanceof Error) reject(answer);
          else resolve({ data: { copy: index } });
        },
        answer instanceof Error ? 10 : answer,
      ),
    );
  });
  const request = (isMutation = false): SubgraphRequest => ({
    subgraph: 'models',
    url: 'http://models.invalid/graphql',
    body: '{}',
    headers: {},
    isMutation,
    context: undefined,
  });
  return { call, request, copies, latencies, budgets };
}

const hedge = (settings: Partial<SubgraphPolicy['hedge']>, retry: Partial<SubgraphPolicy['retry']> = {}) =>
  transportPolicy({ hedge: { enabled: true, ...settings }, retry });

describe('hedged requests', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a second copy after the fixed delay; the first answer wins and the loser is aborted', async () => {
    const { call, request, copies } = setup(hedge({ delayMs: 100 }), [500, 50]);
    const started = Date.now();
    const answer = call(request());
    await vi.advanceTimersByTimeAsync(99);
    expect(copies).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(copies).toHaveLength(2);
    expect(copies[1]).toMatchObject({ hedged: true, sentAt: started + 100 });
    expect(copies[0]!.hedged).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    await expect(answer).resolves.toEqual({ data: { copy: 1 } });
    expect(copies[0]!.signal?.aborted).toBe(true);
    expect(copies[1]!.signal?.aborted).toBe(true); // settled: nothing of the call stays open
  });

  it('sends no second copy when the first answers within the delay', async () => {
    const { call, request, copies } = setup(hedge({ delayMs: 100 }), [99]);
    const answer = call(request());
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(answer).resolves.toEqual({ data: { copy: 0 } });
    expect(copies).toHaveLength(1);
  });

  it('without a fixed delay, waits for minSamples latencies, then hedges at their percentile', async () => {
    const policy = hedge({ delayMs: undefined, percentile: 95, minSamples: 20 });
    const { call, request, copies, latencies } = setup(policy, [40, 200, 10]);
    for (let i = 0; i < 19; i += 1) latencies('models').record(i < 18 ? 40 : 300);
    // 19 samples: not enough to hedge on.
    const unhedged = call(request());
    await vi.advanceTimersByTimeAsync(40);
    await expect(unhedged).resolves.toEqual({ data: { copy: 0 } });
    expect(copies).toHaveLength(1);
    // That call made 20; their 95th percentile is 40 ms.
    expect(latencies('models').percentile(95)).toBe(40);
    const started = Date.now();
    const hedged = call(request());
    await vi.advanceTimersByTimeAsync(50);
    await expect(hedged).resolves.toEqual({ data: { copy: 2 } });
    expect(copies[2]).toMatchObject({ hedged: true, sentAt: started + 40 });
  });

  it('never hedges a mutation', async () => {
    const { call, request, copies } = setup(hedge({ delayMs: 10 }), [500]);
    const answer = call(request(true));
    await vi.advanceTimersByTimeAsync(500);
    await answer;
    expect(copies).toHaveLength(1);
  });

  it('pays each hedge from the retry budget, and sends none when it is spent', async () => {
    const { call, request, copies } = setup(
      hedge({ delayMs: 10 }, { budgetPercent: 0, budgetMinRetries: 1 }),
      [100, 5, 100, 5],
    );
    const first = call(request());
    await vi.advanceTimersByTimeAsync(100);
    await expect(first).resolves.toEqual({ data: { copy: 1 } });
    const second = call(request());
    await vi.advanceTimersByTimeAsync(100);
    await expect(second).resolves.toEqual({ data: { copy: 2 } });
    expect(copies.map((c) => c.hedged)).toEqual([false, true, false]);
  });

  it('a copy that fails does not end the call while the other may still answer', async () => {
    const { call, request } = setup(hedge({ delayMs: 5 }), [new Error('reset'), 100]);
    const answer = call(request());
    await vi.advanceTimersByTimeAsync(200);
    await expect(answer).resolves.toEqual({ data: { copy: 1 } });
  });

  it('fails with the first error when every copy failed', async () => {
    const { call, request } = setup(hedge({ delayMs: 5 }), [new Error('first'), new Error('second')]);
    const answer = call(request());
    const outcome = expect(answer).rejects.toThrow('first');
    await vi.advanceTimersByTimeAsync(100);
    await outcome;
  });
});
