import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { AccessLog, installAbortedRequestLog, PROBES } from './access-log.ts';
import { createAdminListener } from './admin.ts';
import { clientErrorHandler } from './client-errors.ts';
import type { PorticoConfig } from './config/schema.ts';
import { installHttpErrorHandlers } from './http-errors.ts';
import { createLogger, type Logger } from './logger.ts';
import { createCutOffCounter, createMetricsRegistry, installRequestMetrics } from './metrics.ts';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.ts';
import { installBodyIdleTimeout, serverTimeoutOptions } from './socket-limits.ts';
import { createServerSpans } from './telemetry/server-spans.ts';
import { createTracing, TRACING_OFF, type Tracing, tracesUrl } from './telemetry/tracing.ts';

export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface Service {
  readonly name: string;
  readonly app: FastifyInstance;
  readonly logger: Logger;
  readonly metrics: Registry;
  /** This service's tracer (off until `listen`, and for good when no OTLP endpoint is set). */
  readonly tracing: Tracing;
  /** Telemetry settings (per-operation metrics labels), for what the service mounts. */
  readonly telemetry: PorticoConfig['telemetry'];
  /** The operational listener (metrics, internal keys): never the port clients use. */
  readonly admin: FastifyInstance;
  /** Where the admin listener listens, once `listen` has run. */
  readonly adminAddress: string | null;
  /** /ready answers 200 only when every check passes and the service is not draining. */
  addReadinessCheck(name: string, check: ReadinessCheck): void;
  /** Listens on the public port, and the admin listener on `adminPort` (0: any free port). */
  listen(port: number, host?: string, adminPort?: number): Promise<string>;
  /** Stops accepting, lets in-flight requests finish, then runs the close hooks. */
  close(): Promise<void>;
  readonly draining: boolean;
}

export interface CreateServiceOptions {
  name: string;
  config: Pick<PorticoConfig, 'logLevel' | 'logPretty' | 'host' | 'server' | 'admin' | 'telemetry'>;
  logger?: Logger;
  bodyLimit?: number;
  /** Which proxies' X-Forwarded-For to believe for `request.ip` (fastify's trustProxy); none by default. */
  trustProxy?: boolean | readonly string[];
}

/**
 * The skeleton every Portico process is built on: fastify with pino, a request id on every line
 * and response, liveness and readiness probes, Prometheus metrics and a drain that finishes
 * in-flight work. Services add their routes to `app` before `listen`.
 */
export function createService(options: CreateServiceOptions): Service {
  const logger = options.logger ?? createLogger(options.name, options.config);
  const metrics = createMetricsRegistry(options.name);
  const cutOff = createCutOffCounter(metrics);
  let tracing = TRACING_OFF;
  const tracingReady = createTracing(options.name, options.config.telemetry.tracing).then((ready) => {
    tracing = ready;
  });
  const spans = createServerSpans(() => tracing, PROBES);
  const accessLog = new AccessLog();
  const app = Fastify({
    ...serverTimeoutOptions(options.config.server),
    // pino's Logger is a FastifyBaseLogger at runtime; the generic would otherwise leak into every signature.
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: requestIdFrom,
    childLoggerFactory: spans.childLoggerFactory,
    logController: accessLog,
    bodyLimit: options.bodyLimit ?? 1_048_576,
    // fastify wants a mutable array; the config holds a frozen one.
    trustProxy: typeof options.trustProxy === 'object' ? [...options.trustProxy] : options.trustProxy,
    clientErrorHandler: clientErrorHandler(logger as FastifyBaseLogger, cutOff),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });
  const checks = new Map<string, ReadinessCheck>();
  let draining = false;

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  // While draining, a finished response closes its keep-alive connection; otherwise an idle client
  // connection would hold the drain open until the keep-alive timeout.
  app.addHook('onSend', async (_request, reply) => {
    if (draining) reply.header('connection', 'close');
  });
  installBodyIdleTimeout(app, options.config.server.bodyIdleTimeoutMs, cutOff);
  installHttpErrorHandlers(app);
  installRequestMetrics(app, metrics);
  installAbortedRequestLog(app, accessLog);
  spans.install(app, tracesUrl(options.config.telemetry.tracing) !== undefined);
  const admin = createAdminListener(metrics);
  let adminAddress: string | null = null;

  app.get('/health', async () => ({ status: 'ok', service: options.name }));
  app.get('/ready', async (_request, reply) => {
    const results: Record<string, boolean> = {};
    for (const [name, check] of checks) {
      try {
        results[name] = await check();
      } catch {
        results[name] = false;
      }
    }
    const ready = !draining && Object.values(results).every(Boolean);
    reply.code(ready ? 200 : 503);
    return {
      status: ready ? 'ready' : draining ? 'draining' : 'not-ready',
      service: options.name,
      checks: results,
    };
  });

  return {
    name: options.name,
    app,
    logger,
    metrics,
    admin,
    get tracing() {
      return tracing;
    },
    telemetry: options.config.telemetry,
    get adminAddress() {
      return adminAddress;
    },
    get draining() {
      return draining;
    },
    addReadinessCheck(name, check) {
      checks.set(name, check);
    },
    async listen(port, host = options.config.host, adminPort = 0) {
      await tracingReady;
      const address = await app.listen({ port, host });
      adminAddress = await admin.listen({ port: adminPort, host: options.config.admin.host });
      return address;
    },
    async close() {
      draining = true;
      await app.close();
      await admin.close();
      await tracing.shutdown();
    },
  };
}
