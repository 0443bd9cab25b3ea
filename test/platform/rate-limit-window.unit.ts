import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { consume, refund, secondsUntilReset } from '../../platform/rate-limit/attempt.ts';
import { rateLimitHeader } from '../../platform/rate-limit/headers.ts';
import { createLimiterStore } from '../../platform/rate-limit/store.ts';

/**
 * Fixed windows of the in-memory limiter store (the store of a single process without Redis), on
 * vitest's fake clock: exact window edges, Retry-After rounding, refunds near the edge.
 */
describe('rate-limit windows (memory store)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(Date.parse('2026-03-01T12:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const limiter = (points: number, durationSec: number) =>
    createLimiterStore({ timeoutMs: 100, log: pino({ level: 'silent' }), name: 'unit' }).limiter({
      keyPrefix: `unit-${Math.random()}`,
      points,
      durationSec,
    });

  it('admits `points` per window, refuses the next with the time to the window end', async () => {
    const l = limiter(3, 10);
    for (let i = 0; i < 3; i += 1) expect((await consume(l, 'tenant-a', 1)).status).toBe('admitted');
    await vi.advanceTimersByTimeAsync(2_500);
    const refused = await consume(l, 'tenant-a', 1);
    expect(refused.status).toBe('limited');
    if (refused.status !== 'limited') return;
    expect(refused.res.msBeforeNext).toBe(7_500);
    expect(secondsUntilReset(refused.res)).toBe(8); // rounded up: Retry-After is whole seconds
    expect(refused.res.remainingPoints).toBe(0);
    // Other keys have their own window.
    expect((await consume(l, 'tenant-b', 1)).status).toBe('admitted');
  });

  it('opens a new full window at the edge, not before', async () => {
    const l = limiter(2, 10);
    await consume(l, 'k', 2);
    await vi.advanceTimersByTimeAsync(9_999);
    expect((await consume(l, 'k', 1)).status).toBe('limited');
    await vi.advanceTimersByTimeAsync(1);
    const fresh = await consume(l, 'k', 1);
    expect(fresh.status).toBe('admitted');
    if (fresh.status === 'admitted') expect(fresh.res.remainingPoints).toBe(1);
  });

  it('a cost larger than what is left is refused whole', async () => {
    const l = limiter(10, 60);
    await consume(l, 'k', 7);
    expect((await consume(l, 'k', 4)).status).toBe('limited');
  });

  it('refunds points, except within the last half second of a window', async () => {
    const l = limiter(2, 10);
    const first = await consume(l, 'k', 2);
    if (first.status !== 'admitted') throw new Error('not admitted');
    await refund(l, 'k', 1, first.res);
    expect((await consume(l, 'k', 1)).status).toBe('admitted');
    await vi.advanceTimersByTimeAsync(9_600);
    const late = await consume(l, 'k', 1);
    expect(late.status).toBe('limited');
    if (late.status !== 'limited') return;
    await refund(l, 'k', 1, late.res);
    expect((await consume(l, 'k', 1)).status).toBe('limited');
  });

  it('says the same reset in the RateLimit header as in Retry-After', () => {
    expect(
      rateLimitHeader({
        name: 'tenant',
        quota: 3,
        windowSec: 10,
        unit: 'requests',
        remaining: 0,
        resetSec: 8,
      }),
    ).toBe('"tenant";r=0;t=8');
    expect(secondsUntilReset({ msBeforeNext: 0 })).toBe(0);
    expect(secondsUntilReset({ msBeforeNext: 1 })).toBe(1);
    expect(secondsUntilReset({ msBeforeNext: 1_000 })).toBe(1);
    expect(secondsUntilReset({ msBeforeNext: -5 })).toBe(0);
  });
});
