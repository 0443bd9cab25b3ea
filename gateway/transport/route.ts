import { createHash } from 'node:crypto';
import type { SubgraphPolicy } from './policy.ts';
import type { Interceptor, SubgraphRequest } from './types.ts';

function headerLists(value: string | string[] | undefined, wanted: string): boolean {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.some((v) => v.split(',').some((item) => item.trim() === wanted));
}

/**
 * A stable number in [0, 100) per client request and subgraph: every call a request makes to one
 * subgraph lands on the same side, while the share across requests follows `percent`.
 */
export function trafficSlot(requestId: string, subgraph: string): number {
  const digest = createHash('sha1').update(`${requestId}\n${subgraph}`).digest();
  return (digest.readUInt32BE(0) / 0x1_0000_0000) * 100;
}

export function goesToCanary(
  request: SubgraphRequest,
  canary: NonNullable<SubgraphPolicy['canary']>,
): boolean {
  const context = request.context;
  if (!context) return false;
  if (headerLists(context.clientHeaders[canary.header], canary.value ?? request.subgraph)) return true;
  return canary.percent > 0 && trafficSlot(context.requestId, request.subgraph) < canary.percent;
}

/**
 * Canary and header routing: a subgraph with a `canary` setting sends a call to its alternate URL
 * when the client's header selects it (`x-canary: models`) or when the request falls in the
 * canary's share of traffic. The call is marked, so breakers, budgets and latency are kept apart
 * for the canary (see stateKey).
 */
export function canaryRouteInterceptor(policyFor: (subgraph: string) => SubgraphPolicy): Interceptor {
  return (next) => (request) => {
    const canary = policyFor(request.subgraph).canary;
    if (!canary || !goesToCanary(request, canary)) return next(request);
    return next({ ...request, url: canary.url, canary: true });
  };
}
