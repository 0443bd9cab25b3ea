import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/**
 * The operational listener of a service, separate from the port clients and load balancers use:
 * Prometheus metrics (Node version, heap, breaker states, limiter decisions) and whatever else
 * only operators and internal peers should reach (the gateway's public signing keys). It logs
 * nothing per request: scrapers call it every few seconds.
 */
export function createAdminListener(registry: Registry): FastifyInstance {
  const admin = Fastify({ logger: false, forceCloseConnections: true });
  admin.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  admin.get('/health', async () => ({ status: 'ok' }));
  return admin;
}
