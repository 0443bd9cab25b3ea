import { devIde } from '../issuer/ide.ts';
import { createAssertionSigner } from '../platform/assertion/sign.ts';
import { installAuthHook } from '../platform/auth/hook.ts';
import { createKeyResolver } from '../platform/auth/keys.ts';
import { resolveAuth } from '../platform/auth/resolve.ts';
import { cachedVerifier } from '../platform/auth/verify-cache.ts';
import {
  presentEnforcedSecurityFeatures,
  readRequirements,
  type SecurityRequirements,
} from '../platform/authz/requirements.ts';
import { resolveFromRoot } from '../platform/config/load.ts';
import type { PorticoConfig } from '../platform/config/schema.ts';
import { installCors } from '../platform/cors.ts';
import { mountGraphQL } from '../platform/graphql.ts';
import { createQueryGuard } from '../platform/limits/guard.ts';
import { STARTUP_WAIT_MS } from '../platform/rate-limit/store.ts';
import { createService, type Service } from '../platform/service.ts';
import { createGatewayCache } from './cache/index.ts';
import { type GatewayContext, gatewayContext } from './context.ts';
import { EXAMPLE_QUERY } from './example-query.ts';
import { installOperationBound } from './operation-bound.ts';
import { createPersistedQueries } from './persisted/index.ts';
import { installSafelistHook } from './persisted/safelist.ts';
import { anonymousAccessPlugin } from './plugins/auth.ts';
import { fieldAuthorizationPlugin } from './plugins/field-authorization.ts';
import { operationRequiredPlugin } from './plugins/operation-required.ts';
import { rateLimitPlugin } from './plugins/rate-limit.ts';
import { valueCompletionPlugin } from './plugins/value-completion.ts';
import { createGatewayRateLimits } from './rate-limit/index.ts';
import {
  type LimitDirectives,
  noLimitDirectives,
  readLimitDirectives,
} from './rate-limit/supergraph-directives.ts';
import { installResultShaping } from './shaping/install.ts';
import { supergraphFromFile } from './supergraph.ts';
import { createGatewayMetrics } from './telemetry/gateway-metrics.ts';
import { installGatewayTracer } from './telemetry/gateway-tracer.ts';
import { observePlans, tracingPlugin } from './telemetry/phases.ts';
import { createTransport } from './transport/index.ts';
import { installUsage } from './usage/index.ts';

const GRAPHQL_PATH = '/graphql';

/**
 * @apollo/gateway sends host metrics to Apollo unless this is set when the gateway is constructed.
 * Portico never phones home unless `gateway.apolloTelemetry` is switched on.
 */
function applyTelemetryPolicy(config: Readonly<PorticoConfig>): void {
  if (!config.gateway.apolloTelemetry) process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}

/**
 * Builds the gateway without listening. The request runway, in order:
 *
 *   fastify (request id, body limit) -> auth hook (verify token)
 *     -> request limits (batch, variables, tokens) -> safelist (when on)
 *     -> Apollo: APQ, parse, validate (query limits)
 *     -> plugins (rate limits and cost, anonymous access, field authorization ...) -> plan
 *     -> transport per subgraph (headers, route, deadline, dedup, retry, breaker, timeout,
 *        hedge, undici pool; see transport/index.ts)
 */
export async function buildGateway(config: Readonly<PorticoConfig>): Promise<Service> {
  applyTelemetryPolicy(config);
  // Imported after the telemetry policy is set, so nothing in the gateway can start reporting first.
  const { ApolloGateway } = await import('@apollo/gateway');
  const development = config.environment === 'development';
  const introspection = config.gateway.introspection ?? development;
  const service = createService({
    name: 'gateway',
    config,
    bodyLimit: config.gateway.maxBodyBytes,
    trustProxy: config.gateway.trustProxy,
  });
  await installCors(service.app, config, 'gateway');
  const auth = resolveAuth(config);
  const signer = await createAssertionSigner(config.subgraphAuth, { development, log: service.logger });
  // Subgraphs (or anything else internal) may fetch the keys that verify our assertions here.
  service.admin.get('/.well-known/jwks.json', async () => signer.publicKeys());
  const cache = config.cache.enabled
    ? createGatewayCache(config, { log: service.logger, metrics: service.metrics })
    : null;
  const transport = createTransport(config.gateway, auth, {
    signer,
    log: service.logger,
    metrics: service.metrics,
    entityCache: cache?.entityInterceptor,
  });
  const persisted = createPersistedQueries(config, service.logger);
  let schemaId: string | null = null;
  let requirements: SecurityRequirements = { fields: new Map(), types: new Map() };
  let limitDirectives: LimitDirectives = noLimitDirectives();
  const rateLimits = config.rateLimits.enabled
    ? createGatewayRateLimits(config, { log: service.logger, metrics: service.metrics })
    : null;
  const gatewayMetrics = createGatewayMetrics(service.metrics, rateLimits !== null);
  const usage = installUsage(service, config);

  if (!installResultShaping()) {
    service.logger.warn(
      '@apollo/gateway is not the version gateway/shaping reproduces: its own result shaping runs',
    );
  }
  installGatewayTracer();
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphFromFile({
      path: resolveFromRoot(config.gateway.supergraphPath),
      watch: config.gateway.watchSupergraph,
      log: service.logger,
      transform: presentEnforcedSecurityFeatures,
      onLoaded: (sdl, id) => {
        requirements = readRequirements(sdl);
        limitDirectives = readLimitDirectives(sdl);
        schemaId = id;
        cache?.onSupergraph(sdl);
      },
    }),
    buildService: (definition) => transport.buildService(definition),
    experimental_didResolveQueryPlan: observePlans(gatewayMetrics.plan),
    logger: service.logger,
  });

  installAuthHook(service.app, cachedVerifier(auth, createKeyResolver(auth, service.logger)), GRAPHQL_PATH);
  const guard = createQueryGuard(config.limits, 'limits');
  guard.install(service.app, GRAPHQL_PATH);
  if (persisted.safelist) installSafelistHook(service.app, persisted.safelist, GRAPHQL_PATH);
  // After every check above, so a fast hit has passed them all.
  if (cache) cache.fastPath.install(service.app, GRAPHQL_PATH, rateLimits);
  // Last of the hooks: a request refused or answered from the cache above never waits for a slot.
  installOperationBound(service.app, config.gateway.maxConcurrentOperations, GRAPHQL_PATH);
  await mountGraphQL<GatewayContext>({
    service,
    apollo: {
      gateway,
      introspection,
      persistedQueries: persisted.apollo,
      plugins: [
        tracingPlugin(),
        gatewayMetrics.plugin,
        ...(usage ? [usage.plugin] : []),
        ...(rateLimits ? [rateLimitPlugin(rateLimits, () => limitDirectives)] : []),
        operationRequiredPlugin(),
        anonymousAccessPlugin({
          mode: auth.anonymousAccess,
          anonymousRootFields: auth.anonymousRootFields,
          introspection,
          requirements: () => requirements,
        }),
        // Before field authorization: it stores the answer before the denials are written into it.
        ...(cache ? [cache.plugin] : []),
        fieldAuthorizationPlugin(() => requirements),
        valueCompletionPlugin(),
        // Last: it sees the answer as it goes out (see cache/fast-path.ts).
        ...(cache ? [cache.fastPath.recorder] : []),
      ],
    },
    context: gatewayContext({ maxRequestMs: config.gateway.maxRequestMs }),
    development,
    guard,
    path: GRAPHQL_PATH,
    ide: devIde(config, 'gateway', EXAMPLE_QUERY),
  });
  service.addReadinessCheck('supergraph', () => schemaId !== null);
  // Counted from the first request: wait (briefly) for the limiter store before listening.
  await rateLimits?.store.ready(STARTUP_WAIT_MS);
  service.app.addHook('onClose', async () => {
    await transport.close();
    await persisted.close();
    await rateLimits?.close();
    await cache?.close();
  });
  return service;
}
