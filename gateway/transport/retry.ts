import { RETRY_ATTEMPT_HEADER } from '../../platform/headers.ts';
import type { Budgets } from './budget.ts';
import { withHeader } from './headers.ts';
import type { SubgraphPolicy } from './policy.ts';
import { sleep } from './signals.ts';
import { type Interceptor, SubgraphFailure, type SubgraphRequest, stateKey } from './types.ts';

type RetryPolicy = SubgraphPolicy['retry'];

/**
 * How long to wait before retry number `retry` (1 for the first): exponential backoff with full
 * jitter, or what the subgraph's Retry-After asked if that is longer. Undefined when Retry-After
 * asks for more than `maxRetryAfterMs`: waiting that long is worse than answering without.
 */
export function retryDelay(
  policy: RetryPolicy,
  retry: number,
  retryAfterSec: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  const backoff = random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  if (retryAfterSec === undefined) return backoff;
  const asked = retryAfterSec * 1_000;
  return asked > policy.maxRetryAfterMs ? undefined : Math.max(asked, backoff);
}

/** Only what a second try can fix: no connection, a reset, 502/503/504. Never timeouts (a hang twice costs double). */
function worthRetrying(error: unknown): error is SubgraphFailure {
  return error instanceof SubgraphFailure && error.code === 'SUBGRAPH_UNAVAILABLE' && error.retryable;
}

export interface RetryOptions {
  policyFor: (subgraph: string) => SubgraphPolicy;
  budgets: Budgets;
  /** Told when a retry is given up for want of budget or time (for the log and metrics). */
  onGiveUp?: (request: SubgraphRequest, reason: 'budget' | 'deadline' | 'retry-after') => void;
  onRetry?: (request: SubgraphRequest, retry: number, delayMs: number) => void;
}

/**
 * Retries queries (never mutations) that failed in a way a second try can fix, after a jittered
 * backoff, within the request's deadline and the subgraph's retry budget. A retried call carries
 * `x-retry-attempt: n`. Every first attempt, mutations included, counts towards the budget.
 */
export function retryInterceptor(options: RetryOptions): Interceptor {
  return (next) => async (request) => {
    const policy = options.policyFor(request.subgraph).retry;
    const budget = options.budgets(stateKey(request), request.subgraph);
    budget.recordCall();
    if (request.isMutation || policy.maxAttempts <= 1) return next(request);
    for (let attempt = 1; ; attempt += 1) {
      const headers =
        attempt === 1
          ? request.headers
          : withHeader(request.headers, RETRY_ATTEMPT_HEADER, String(attempt - 1));
      try {
        return await next({ ...request, headers });
      } catch (error) {
        if (!worthRetrying(error) || attempt >= policy.maxAttempts) throw error;
        const delay = retryDelay(policy, attempt, error.retryAfterSec);
        if (delay === undefined) {
          options.onGiveUp?.(request, 'retry-after');
          throw error;
        }
        if (request.deadline !== undefined && Date.now() + delay >= request.deadline) {
          options.onGiveUp?.(request, 'deadline');
          throw error;
        }
        if (!budget.tryAcquire()) {
          options.onGiveUp?.(request, 'budget');
          throw error;
        }
        options.onRetry?.(request, attempt, delay);
        await sleep(delay, request.signal);
      }
    }
  };
}
