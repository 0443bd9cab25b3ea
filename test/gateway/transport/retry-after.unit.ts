import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../gateway/transport/http.ts';
import { retryDelay } from '../../../gateway/transport/retry.ts';
import { transportPolicy } from '../../helpers/transport-policy.ts';

describe('Retry-After', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('3', now)).toBe(3);
    expect(parseRetryAfter(' 120 ', now)).toBe(120);
    expect(parseRetryAfter(['2', '9'], now)).toBe(2);
  });

  it('reads an HTTP date as whole seconds from now, rounded up, never negative', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:05 GMT', now)).toBe(5);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:05 GMT', now + 500)).toBe(5);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:05 GMT', now + 4_001)).toBe(1);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('2026', now)).toBe(2026);
    expect(parseRetryAfter('2026-03-01T12:00:05Z', now)).toBeUndefined();
  });
});

describe('retry delay', () => {
  const policy = transportPolicy({
    retry: { baseDelayMs: 25, maxDelayMs: 250, maxRetryAfterMs: 1_000 },
  }).retry;
  const top = () => 0.999_999;

  it('full jitter under an exponential cap: 25, 50, 100, 200, then 250 ms at most', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => Math.round(retryDelay(policy, n, undefined, top)!))).toEqual([
      25, 50, 100, 200, 250, 250,
    ]);
    expect(retryDelay(policy, 3, undefined, () => 0)).toBe(0);
    expect(retryDelay(policy, 3, undefined, () => 0.5)).toBe(50);
  });

  it('waits what Retry-After asks when that is longer than the backoff', () => {
    expect(retryDelay(policy, 1, 1, () => 0.5)).toBe(1_000);
    expect(retryDelay(policy, 1, 0, () => 0.5)).toBe(12.5);
  });

  it('gives up when Retry-After asks for more than maxRetryAfterMs', () => {
    expect(retryDelay(policy, 1, 2, () => 0.5)).toBeUndefined();
  });
});
