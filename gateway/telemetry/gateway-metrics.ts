import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, type Registry } from 'prom-client';
import type { GatewayContext } from '../context.ts';

/** What the rate limiter decided for an operation, read from how the operation went on. */
type Decision = 'admitted' | 'refused' | 'too_costly' | 'unavailable';

/**
 * The gateway's own counters beyond RED: query plans served from the plan cache or planned anew,
 * and the rate limiter's decisions. Decisions are read from the outcome, not from inside the
 * limiter: an operation that reached execution was admitted; one refused with RATE_LIMITED,
 * QUERY_TOO_COMPLEX naming a limit, or GATEWAY_UNAVAILABLE before execution was refused, too
 * costly, or met a limiter store that was down (fail-closed).
 */
export function createGatewayMetrics(registry: Registry, rateLimited: boolean) {
  const plans = new Counter({
    name: 'gateway_query_plan_cache_total',
    help: 'Query plans served from the plan cache (hit) or planned anew (miss)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const decisions = new Counter({
    name: 'gateway_rate_limit_decisions_total',
    help: 'Rate limiter decisions per operation: admitted, refused (429), too_costly (400), unavailable (503)',
    labelNames: ['decision'] as const,
    registers: [registry],
  });
  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      if (!rateLimited) return;
      let resolved = false;
      let decided = false;
      const decide = (decision: Decision) => {
        if (decided) return;
        decided = true;
        decisions.inc({ decision });
      };
      return {
        async didResolveOperation() {
          resolved = true;
        },
        async executionDidStart() {
          decide('admitted');
        },
        async didEncounterErrors({ errors }) {
          if (!resolved) return;
          const error = errors[0];
          const code = error?.extensions?.code;
          if (code === 'RATE_LIMITED') decide('refused');
          else if (code === 'QUERY_TOO_COMPLEX' && error?.extensions?.limit !== undefined)
            decide('too_costly');
          else if (code === 'GATEWAY_UNAVAILABLE') decide('unavailable');
        },
      };
    },
  };
  return {
    plan: (cached: boolean) => plans.inc({ result: cached ? 'hit' : 'miss' }),
    plugin,
  };
}
