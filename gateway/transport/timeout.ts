import { abortAfter } from './signals.ts';
import { type Interceptor, SubgraphFailure } from './types.ts';

/**
 * Aborts a subgraph call after the subgraph's timeout. The abort reason is the failure itself, so
 * the HTTP layer reports SUBGRAPH_TIMEOUT rather than a generic abort. The caller's signal (the
 * request deadline) stays linked, so the effective limit is min(timeout, what the deadline leaves)
 * and the code says which one ran out.
 */
export function timeoutInterceptor(timeoutFor: (subgraph: string) => number): Interceptor {
  return (next) => async (request) => {
    const ms = timeoutFor(request.subgraph);
    const { signal, clear } = abortAfter(
      request.signal,
      ms,
      () => new SubgraphFailure('SUBGRAPH_TIMEOUT', request.subgraph, `no answer within ${ms} ms`, true),
    );
    try {
      return await next({ ...request, signal });
    } finally {
      clear();
    }
  };
}
