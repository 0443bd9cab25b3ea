import { type Interceptor, SubgraphFailure } from './types.ts';

/**
 * Aborts a subgraph call after the subgraph's timeout. The abort reason is the failure itself, so
 * the HTTP layer reports SUBGRAPH_TIMEOUT rather than a generic abort.
 */
export function timeoutInterceptor(timeoutFor: (subgraph: string) => number): Interceptor {
  return (next) => async (request) => {
    const ms = timeoutFor(request.subgraph);
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(
        new SubgraphFailure('SUBGRAPH_TIMEOUT', request.subgraph, `no answer within ${ms} ms`, true),
      );
    }, ms);
    const onAbort = () => controller.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await next({ ...request, signal: controller.signal });
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
  };
}
