import { HEDGED_REQUEST_HEADER } from '../../platform/headers.ts';
import type { Budgets } from './budget.ts';
import { withHeader } from './headers.ts';
import type { Latencies } from './latency.ts';
import type { SubgraphPolicy } from './policy.ts';
import { type GatewayGraphQLResponse, type Interceptor, type SubgraphRequest, stateKey } from './types.ts';

export interface HedgeOptions {
  policyFor: (subgraph: string) => SubgraphPolicy;
  budgets: Budgets;
  latencies: Latencies;
  onHedge?: (request: SubgraphRequest, delayMs: number) => void;
}

/** Why a losing copy was aborted; it never reaches anyone, the winner's answer does. */
const HEDGE_LOST = new Error('another copy of this hedged call answered first');

/**
 * Hedged requests (off by default, queries only): when a call has not answered after the hedge
 * delay (fixed, or the subgraph's recent percentile latency), a second copy is sent, if the retry
 * budget allows, and the first good answer wins; the other copy is aborted.
 *
 *   copy 1 ──────────────x (slow replica)
 *            delay ─> copy 2 ───> answer (wins; copy 1 aborted)
 *
 * A copy that fails does not end the call while the other may still answer. The timeout sits
 * outside this interceptor, so a hedged call never costs more than one timeout. Every successful
 * copy's latency feeds the window the percentile is taken from, hedging or not.
 */
export function hedgeInterceptor(options: HedgeOptions): Interceptor {
  return (next) => (request) => {
    const key = stateKey(request);
    const window = options.latencies(key);
    const timed = async (copy: SubgraphRequest) => {
      const started = performance.now();
      const response = await next(copy);
      window.record(performance.now() - started);
      return response;
    };
    const policy = options.policyFor(request.subgraph).hedge;
    if (!policy.enabled || request.isMutation) return timed(request);
    const delay =
      policy.delayMs ??
      (window.count >= policy.minSamples ? window.percentile(policy.percentile) : undefined);
    if (delay === undefined) return timed(request);

    return new Promise<GatewayGraphQLResponse>((resolve, reject) => {
      const controllers: AbortController[] = [];
      let pending = 0;
      let firstError: unknown;
      let settled = false;
      const settle = (done: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        for (const controller of controllers) controller.abort(HEDGE_LOST);
        done();
      };
      const launch = (headers: Record<string, string>) => {
        const controller = new AbortController();
        controllers.push(controller);
        pending += 1;
        const signal = request.signal
          ? AbortSignal.any([request.signal, controller.signal])
          : controller.signal;
        timed({ ...request, headers, signal }).then(
          (response) => settle(() => resolve(response)),
          (error: unknown) => {
            pending -= 1;
            if (firstError === undefined) firstError = error;
            if (pending === 0) settle(() => reject(firstError));
          },
        );
      };
      const timer = setTimeout(() => {
        if (settled || !options.budgets(key, request.subgraph).tryAcquire()) return;
        options.onHedge?.(request, delay);
        launch(withHeader(request.headers, HEDGED_REQUEST_HEADER, '1'));
      }, delay);
      launch(request.headers);
    });
  };
}
