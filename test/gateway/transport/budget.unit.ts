import { describe, expect, it } from 'vitest';
import { createRetryBudget } from '../../../gateway/transport/budget.ts';
import { rollingCounts } from '../../../gateway/transport/rolling.ts';
import { manualClock, transportPolicy } from '../../helpers/transport-policy.ts';

describe('rolling counts', () => {
  it('sum over the window that ends now, old buckets falling off a tenth at a time', () => {
    const clock = manualClock();
    const counts = rollingCounts(['calls'], 10_000, clock.now);
    counts.add('calls', 5);
    clock.advance(5_000);
    counts.add('calls', 3);
    expect(counts.total('calls')).toBe(8);
    clock.advance(4_999);
    expect(counts.total('calls')).toBe(8);
    clock.advance(1); // the first bucket is now a whole window old
    expect(counts.total('calls')).toBe(3);
    clock.advance(5_000);
    expect(counts.total('calls')).toBe(0);
  });

  it('a jump longer than the window clears every bucket', () => {
    const clock = manualClock();
    const counts = rollingCounts(['a', 'b'], 1_000, clock.now);
    for (let i = 0; i < 10; i += 1) {
      counts.add('a');
      counts.add('b', 2);
      clock.advance(100);
    }
    expect(counts.total('a')).toBe(9);
    clock.advance(60_000);
    expect(counts.total('a')).toBe(0);
    expect(counts.total('b')).toBe(0);
    counts.add('a');
    expect(counts.total('a')).toBe(1);
  });

  it('reset() empties every counter', () => {
    const counts = rollingCounts(['a'], 1_000, manualClock().now);
    counts.add('a', 4);
    counts.reset();
    expect(counts.total('a')).toBe(0);
  });
});

describe('retry budget', () => {
  const retry = (budgetPercent: number, budgetMinRetries: number) =>
    transportPolicy({ retry: { budgetPercent, budgetMinRetries, budgetWindowMs: 10_000 } }).retry;

  const acquired = (budget: { tryAcquire(): boolean }, tries: number) =>
    Array.from({ length: tries }, () => budget.tryAcquire()).filter(Boolean).length;

  it('allows the floor (budgetMinRetries) with no calls at all', () => {
    const budget = createRetryBudget(retry(10, 3), manualClock().now);
    expect(acquired(budget, 10)).toBe(3);
  });

  it('earns budgetPercent of recent calls once that is above the floor', () => {
    const budget = createRetryBudget(retry(10, 3), manualClock().now);
    for (let i = 0; i < 100; i += 1) budget.recordCall();
    expect(acquired(budget, 50)).toBe(10);
  });

  it('below the floor the floor wins (29 calls earn 2, the floor is 3)', () => {
    const budget = createRetryBudget(retry(10, 3), manualClock().now);
    for (let i = 0; i < 29; i += 1) budget.recordCall();
    expect(acquired(budget, 10)).toBe(3);
  });

  it('spent retries come back as they leave the window', () => {
    const clock = manualClock();
    const budget = createRetryBudget(retry(10, 2), clock.now);
    expect(acquired(budget, 5)).toBe(2);
    clock.advance(9_999);
    expect(budget.tryAcquire()).toBe(false);
    clock.advance(1);
    expect(acquired(budget, 5)).toBe(2);
  });

  it('a budget of 0 % and no floor allows no retry', () => {
    const budget = createRetryBudget(retry(0, 0), manualClock().now);
    for (let i = 0; i < 1_000; i += 1) budget.recordCall();
    expect(budget.tryAcquire()).toBe(false);
  });
});
