import { Histogram, type Registry } from 'prom-client';
import { type Interceptor, SubgraphFailure } from './types.ts';

/**
 * Every subgraph fetch's duration and outcome (`ok`, or the catalogue code it failed with), as
 * the plan saw it: outermost in the chain, so retries, hedges and waits on the breaker count in.
 * Labels are subgraph names and catalogue codes, small fixed sets.
 */
export function fetchMetricsInterceptor(registry: Registry | undefined): Interceptor {
  const duration = new Histogram({
    name: 'gateway_subgraph_fetch_duration_seconds',
    help: 'Subgraph fetches by subgraph and outcome (ok or the error code), retries and hedges included',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: registry ? [registry] : [],
  });
  return (next) => async (request) => {
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await next(request);
    } catch (error) {
      outcome = error instanceof SubgraphFailure ? error.code : 'SUBGRAPH_ERROR';
      throw error;
    } finally {
      duration.observe({ subgraph: request.subgraph, outcome }, (performance.now() - started) / 1000);
    }
  };
}
