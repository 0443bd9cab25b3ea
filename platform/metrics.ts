import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** One Prometheus registry per service process, served on the admin listener (see admin.ts). */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Request durations, labelled by route pattern (never the raw URL, which would explode
 * cardinality).
 */
export function installRequestMetrics(app: FastifyInstance, registry: Registry): void {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration
      .labels(request.routeOptions.url ?? 'unmatched', request.method, String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });
}

/** Why a connection was cut off before its request had fully arrived. */
export type CutOffReason = 'request_timeout' | 'body_idle' | 'malformed' | 'headers_too_large';

/** Connections closed because the client was too slow, too big or spoke broken HTTP. */
export function createCutOffCounter(registry: Registry): (reason: CutOffReason) => void {
  const counter = new Counter({
    name: 'http_connections_cut_off_total',
    help: 'Connections closed before their request arrived whole, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  return (reason) => counter.labels(reason).inc();
}
