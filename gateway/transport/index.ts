import type { ServiceEndpointDefinition } from '@apollo/gateway';
import type { Registry } from 'prom-client';
import type { AssertionSigner } from '../../platform/assertion/sign.ts';
import type { PorticoConfig } from '../../platform/config/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import { assertionInterceptor } from './assertion.ts';
import { breakerInterceptor, createBreakers } from './breaker.ts';
import { createBudgets } from './budget.ts';
import { SubgraphDataSource } from './data-source.ts';
import { deadlineInterceptor } from './deadline.ts';
import { dedupInterceptor } from './dedup.ts';
import { fetchMetricsInterceptor } from './fetch-metrics.ts';
import { hedgeInterceptor } from './hedge.ts';
import { createAgentPool, createHttpCall } from './http.ts';
import { createLatencies } from './latency.ts';
import { createTransportMetrics } from './metrics.ts';
import { createPolicies } from './policy.ts';
import { retryInterceptor } from './retry.ts';
import { canaryRouteInterceptor } from './route.ts';
import { timeoutInterceptor } from './timeout.ts';
import { attemptSpanInterceptor, fetchSpanInterceptor } from './trace.ts';
import { compose, type Interceptor } from './types.ts';

type GatewayConfig = PorticoConfig['gateway'];

export interface TransportOptions {
  /** Signs the assertion every subgraph call carries (identity, audience, deadline). */
  signer: AssertionSigner;
  log?: Logger;
  metrics?: Registry;
  /** The entity cache (gateway/cache): right after routing, so a hit sends nothing. */
  entityCache?: Interceptor | null;
}

/**
 * The subgraph side of the gateway. Everything that must outlive a supergraph reload (connection
 * pools, breakers, retry budgets, latency windows, in-flight calls) is created here once, not in
 * the data sources, which @apollo/gateway rebuilds on every schema change.
 *
 * The order of the chain, outermost first, and why:
 *
 *   data source
 *     -> span      the fetch's trace span, around all that follows (pass-through when not traced)
 *     -> metrics   the fetch's duration and outcome
 *     -> route     picks the URL first: everything after it (dedup key, breaker, budget) is per target
 *     -> entities  cached `_entities` answers (gateway/cache/entities.ts), when on: only misses go on;
 *                  canary calls pass by, so a canary's answers are never served as the stable one's
 *     -> deadline  what is left of the request's deadline; nothing left = not sent (a number on the
 *                  request: the waits below end at it, so a fetch makes one abort signal, not one each)
 *     -> dedup     after deadline, so each waiting caller keeps its own deadline
 *     -> retry     one shared call is retried once, not once per waiting caller; spends the budget
 *     -> breaker   sees every attempt, so retries against a dead subgraph open it and then stop
 *     -> timeout   per attempt, and around the hedge, so a hedged attempt costs one timeout at most;
 *                  aborts at the deadline instead when that comes first (DEADLINE_EXCEEDED)
 *     -> hedge     a second copy of a slow attempt, from the same budget as retries
 *     -> attempt   one span per HTTP attempt; the traceparent the subgraph continues from
 *     -> assert    the gateway's signed assertion for this subgraph, on every attempt (cached)
 *     -> http      undici, one keep-alive pool per subgraph; every failure classified
 */
export function createTransport(
  config: GatewayConfig,
  auth: Pick<PorticoConfig['auth'], 'strippedHeaderPrefix'>,
  options: TransportOptions,
) {
  const policyFor = createPolicies(config);
  const metrics = createTransportMetrics(options.metrics);
  const budgets = createBudgets(policyFor);
  const latencies = createLatencies();
  const breakers = createBreakers(policyFor, (key, from, to) => {
    metrics.circuit(key, to);
    options.log?.warn({ subgraph: key, from, to }, 'subgraph circuit breaker changed state');
  });
  const agents = createAgentPool((subgraph) => policyFor(subgraph).connections);
  const interceptors: Interceptor[] = [
    fetchSpanInterceptor(),
    fetchMetricsInterceptor(options.metrics),
    canaryRouteInterceptor(policyFor),
    ...(options.entityCache ? [options.entityCache] : []),
    deadlineInterceptor(config.deadlineMarginMs),
    dedupInterceptor((subgraph) => policyFor(subgraph).dedup),
    retryInterceptor({
      policyFor,
      budgets,
      onRetry: (request) => metrics.retry(request.subgraph, 'sent'),
      onGiveUp: (request, reason) => {
        metrics.retry(request.subgraph, reason);
        request.context?.log.debug({ subgraph: request.subgraph, reason }, 'subgraph call not retried');
      },
    }),
    breakerInterceptor(breakers),
    timeoutInterceptor((subgraph) => policyFor(subgraph).timeoutMs),
    hedgeInterceptor({
      policyFor,
      budgets,
      latencies,
      onHedge: (request) => metrics.hedge(request.subgraph),
    }),
    attemptSpanInterceptor(),
    assertionInterceptor(options.signer),
  ];
  const call = compose(createHttpCall(agents.agentFor), interceptors);
  const headers = { propagate: config.propagateHeaders, strippedPrefix: auth.strippedHeaderPrefix };
  return {
    buildService({ name, url }: ServiceEndpointDefinition) {
      const policy = policyFor(name);
      return new SubgraphDataSource({
        subgraph: name,
        url: policy.url ?? url ?? '',
        call,
        headers,
        exposure: {
          exposeMessages: policy.exposeErrorMessages,
          exposeExtensions: policy.exposeErrorExtensions,
        },
      });
    },
    close: () => agents.close(),
  };
}
