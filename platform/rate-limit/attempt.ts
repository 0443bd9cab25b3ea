import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * rate-limiter-flexible rejects with a RateLimiterRes when a key is over its limit and with an
 * Error when the store failed; the two mean opposite things (the caller is refused, or we do not
 * know), so they are told apart here, once.
 */
export type Attempt =
  | { status: 'admitted'; res: RateLimiterRes }
  | { status: 'limited'; res: RateLimiterRes }
  | { status: 'failed'; error: Error };

function failure(error: unknown): { status: 'failed'; error: Error } {
  return { status: 'failed', error: error instanceof Error ? error : new Error(String(error)) };
}

export async function consume(limiter: RateLimiterAbstract, key: string, points: number): Promise<Attempt> {
  try {
    return { status: 'admitted', res: await limiter.consume(key, points) };
  } catch (error) {
    if (error instanceof RateLimiterRes) return { status: 'limited', res: error };
    return failure(error);
  }
}

export type Peek = { status: 'read'; res: RateLimiterRes | null } | { status: 'failed'; error: Error };

/** The key's state without consuming: null when it has no count in the current window. */
export async function peek(limiter: RateLimiterAbstract, key: string): Promise<Peek> {
  try {
    return { status: 'read', res: await limiter.get(key) };
  } catch (error) {
    return failure(error);
  }
}

/**
 * Too close to the end of a window, a refund could land after the key expired and open the next
 * window below zero, handing out points nobody paid for. Near the end nothing is refunded: the
 * window resets anyway.
 */
const REFUND_MARGIN_MS = 500;

/** Gives back points consumed by a request that was refused after all; failures are ignored. */
export async function refund(
  limiter: RateLimiterAbstract,
  key: string,
  points: number,
  res: RateLimiterRes,
): Promise<void> {
  if (points <= 0 || res.msBeforeNext <= REFUND_MARGIN_MS) return;
  try {
    await limiter.reward(key, points);
  } catch {
    // The store failed: the points stay spent until the window ends, which only errs on the safe side.
  }
}

/** Whole seconds until a window resets, rounded up (what Retry-After and the `t` parameter carry). */
export function secondsUntilReset(res: Pick<RateLimiterRes, 'msBeforeNext'>): number {
  return Math.max(0, Math.ceil(res.msBeforeNext / 1000));
}
