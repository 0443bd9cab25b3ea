import { Counter, Gauge, type Registry } from 'prom-client';
import type { CircuitState } from './breaker.ts';

const STATE_VALUE: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

/**
 * What the resilience interceptors did, on /metrics: retries sent and given up (and why), hedges
 * sent, deduplicated calls, and each circuit's state. Labels are subgraph names (or
 * `<name>/canary`), a small fixed set.
 */
export function createTransportMetrics(registry: Registry | undefined) {
  const registers = registry ? [registry] : [];
  const retries = new Counter({
    name: 'gateway_subgraph_retries_total',
    help: 'Subgraph call retries: sent, or not sent for want of budget, time or an acceptable Retry-After',
    labelNames: ['subgraph', 'outcome'] as const,
    registers,
  });
  const hedges = new Counter({
    name: 'gateway_subgraph_hedges_total',
    help: 'Second copies of slow subgraph calls sent by hedging',
    labelNames: ['subgraph'] as const,
    registers,
  });
  const circuit = new Gauge({
    name: 'gateway_subgraph_circuit_state',
    help: 'Circuit breaker state per subgraph: 0 closed, 1 half-open, 2 open',
    labelNames: ['subgraph'] as const,
    registers,
  });
  return {
    retry: (subgraph: string, outcome: 'sent' | 'budget' | 'deadline' | 'retry-after') =>
      retries.labels(subgraph, outcome).inc(),
    hedge: (subgraph: string) => hedges.labels(subgraph).inc(),
    circuit: (subgraph: string, state: CircuitState) => circuit.labels(subgraph).set(STATE_VALUE[state]),
  };
}
export type TransportMetrics = ReturnType<typeof createTransportMetrics>;
