import { REQUEST_DEADLINE_HEADER } from '../../platform/headers.ts';
import { withHeader } from './headers.ts';
import { abortAfter } from './signals.ts';
import { type Interceptor, SubgraphFailure } from './types.ts';

/**
 * Gives each subgraph call what is left of the request's deadline, minus a margin the gateway
 * keeps to merge and answer. A call with nothing left is not sent at all (DEADLINE_EXCEEDED);
 * otherwise it carries its own deadline in `x-request-deadline` (epoch ms) so the subgraph can
 * give up in time too, and it is aborted when that moment passes. Retries, hedges and timeouts
 * further in all live inside this one budget.
 */
export function deadlineInterceptor(marginMs: number): Interceptor {
  return (next) => async (request) => {
    const requestDeadline = request.context?.deadline;
    if (requestDeadline === undefined) return next(request);
    const deadline = requestDeadline - marginMs;
    const budget = deadline - Date.now();
    if (budget <= 0) {
      throw new SubgraphFailure(
        'DEADLINE_EXCEEDED',
        request.subgraph,
        `not sent: the request deadline leaves ${budget} ms after a ${marginMs} ms margin`,
        true,
      );
    }
    const { signal, clear } = abortAfter(
      request.signal,
      budget,
      () =>
        new SubgraphFailure(
          'DEADLINE_EXCEEDED',
          request.subgraph,
          `no answer within the ${budget} ms the request deadline left`,
          true,
        ),
    );
    try {
      return await next({
        ...request,
        deadline,
        signal,
        headers: withHeader(request.headers, REQUEST_DEADLINE_HEADER, String(deadline)),
      });
    } finally {
      clear();
    }
  };
}
