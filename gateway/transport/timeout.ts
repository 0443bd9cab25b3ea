import { deadlineExceeded } from './deadline.ts';
import { abortAfter } from './signals.ts';
import { type Interceptor, type SubgraphCall, SubgraphFailure, type SubgraphRequest } from './types.ts';

/**
 * Aborts a subgraph attempt after the subgraph's timeout, or at the call's deadline when that
 * comes first: one signal and one timer per attempt for both. The abort reason is the failure
 * itself, so the HTTP layer reports SUBGRAPH_TIMEOUT or DEADLINE_EXCEEDED, whichever ran out,
 * rather than a generic abort. The caller's signal (a shared call given up by all its callers)
 * stays linked; when the call owns that signal's controller (`controller`), the timer aborts it
 * directly and no second signal is made.
 *
 * A call shared by dedup is not cut at its deadline (`deadlineWatched`): that is the first
 * caller's, and each caller already stops waiting at its own.
 */
export function timeoutInterceptor(timeoutFor: (subgraph: string) => number): Interceptor {
  return (next) => async (request) => {
    const ms = timeoutFor(request.subgraph);
    const left =
      request.deadline === undefined || request.deadlineWatched ? ms : request.deadline - Date.now();
    // Past the deadline already (a retry's backoff ended at it): not sent.
    if (left <= 0) throw deadlineExceeded(request.subgraph, left);
    const reason =
      left < ms
        ? () => deadlineExceeded(request.subgraph, left)
        : () => new SubgraphFailure('SUBGRAPH_TIMEOUT', request.subgraph, `no answer within ${ms} ms`, true);
    const owned = request.controller;
    if (owned && !owned.signal.aborted) return withTimer(next, request, owned, Math.min(left, ms), reason);
    const { signal, clear } = abortAfter(request.signal, Math.min(left, ms), reason);
    try {
      return await next({ ...request, signal });
    } finally {
      clear();
    }
  };
}

/** The attempt under the call's own controller, aborted by a timer that ends with the attempt. */
async function withTimer(
  next: SubgraphCall,
  request: SubgraphRequest,
  controller: AbortController,
  ms: number,
  reason: () => unknown,
): ReturnType<SubgraphCall> {
  const timer = setTimeout(() => controller.abort(reason()), ms);
  try {
    return await next(request);
  } finally {
    clearTimeout(timer);
  }
}
