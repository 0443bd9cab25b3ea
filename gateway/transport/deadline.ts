import { REQUEST_DEADLINE_HEADER } from '../../platform/headers.ts';
import { withHeader } from './headers.ts';
import { type Interceptor, SubgraphFailure } from './types.ts';

/** Why a call was given up at its deadline (timeout.ts and dedup.ts raise it; one wording). */
export function deadlineExceeded(subgraph: string, leftMs: number): SubgraphFailure {
  return new SubgraphFailure(
    'DEADLINE_EXCEEDED',
    subgraph,
    `no answer within the ${leftMs} ms the request deadline left`,
    true,
  );
}

/**
 * Gives each subgraph call what is left of the request's deadline, minus a margin the gateway
 * keeps to merge and answer. A call with nothing left is not sent at all (DEADLINE_EXCEEDED);
 * otherwise it carries its own deadline in `x-request-deadline` (epoch ms) so the subgraph can
 * give up in time too. Retries, hedges and timeouts further in all live inside this one budget.
 *
 * The deadline is a number on the request, not a signal of its own: an AbortSignal and the
 * listeners that follow it cost more than the rest of this interceptor, on every fetch. Whoever
 * waits ends the wait at it instead:
 *
 *   deadline  sets `deadline` (and the header)
 *   dedup     each caller waits until its own deadline (a shared call is not cut at the first's)
 *   retry     sends no retry that would start after it
 *   timeout   aborts each attempt at min(timeout, deadline), with the code of the one that ran out
 */
export function deadlineInterceptor(marginMs: number): Interceptor {
  return (next) => (request) => {
    const requestDeadline = request.context?.deadline;
    if (requestDeadline === undefined) return next(request);
    const deadline = requestDeadline - marginMs;
    const budget = deadline - Date.now();
    if (budget <= 0) {
      return Promise.reject(
        new SubgraphFailure(
          'DEADLINE_EXCEEDED',
          request.subgraph,
          `not sent: the request deadline leaves ${budget} ms after a ${marginMs} ms margin`,
          true,
        ),
      );
    }
    return next({
      ...request,
      deadline,
      headers: withHeader(request.headers, REQUEST_DEADLINE_HEADER, String(deadline)),
    });
  };
}
