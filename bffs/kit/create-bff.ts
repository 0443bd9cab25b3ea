import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { FastifyRequest } from 'fastify';
import type { GraphQLFieldResolver } from 'graphql';
import { installAuthHook } from '../../platform/auth/hook.ts';
import { createKeyResolver } from '../../platform/auth/keys.ts';
import { resolveAuth } from '../../platform/auth/resolve.ts';
import { cachedVerifier } from '../../platform/auth/verify-cache.ts';
import type { PorticoConfig } from '../../platform/config/schema.ts';
import { installCors } from '../../platform/cors.ts';
import { requestDeadline } from '../../platform/deadline.ts';
import { mountGraphQL } from '../../platform/graphql.ts';
import { createQueryGuard } from '../../platform/limits/guard.ts';
import { projectRoot } from '../../platform/paths.ts';
import { createFieldRateLimits, rateLimitDirectiveTypeDefs } from '../../platform/rate-limit/directive.ts';
import { createService, type Service } from '../../platform/service.ts';
import type { BffName } from '../../platform/services.ts';
import { requestTrace } from '../../platform/telemetry/server-spans.ts';
import { inboundTrace } from '../../platform/trace.ts';
import type { BffContext } from './context.ts';
import { contractSdl } from './contract.ts';
import { createGatewayClient } from './gateway-client.ts';
import { createGatewayLoader } from './loaders.ts';
import { partialFailurePlugin } from './plugin.ts';
import { checkRules, type FieldRules, withRules } from './rules.ts';
import { scalarResolvers } from './scalars.ts';
import { createStaleCache } from './stale-cache.ts';

export type { BffName };
export type BffResolvers = Record<string, Record<string, GraphQLFieldResolver<unknown, BffContext>>>;

/** A BFF is its frontend-shaped schema, resolvers that read gateway operations, and field rules. */
export interface BffDefinition {
  name: BffName;
  resolvers: BffResolvers;
  rules: FieldRules;
  /** Extra HTTP behaviour of this frontend (the mobile ETags, say). */
  install?: (service: Service) => void;
}

/** The BFF's own schema file, with the `@rateLimit` directive its fields may use. */
export function bffTypeDefs(name: BffName, root = projectRoot): string {
  return withBffDirectives(readFileSync(join(root, 'bffs', name, 'schema.graphql'), 'utf8'));
}

/** A BFF schema's text with the definitions of the directives BFF schemas may use. */
export function withBffDirectives(schemaText: string): string {
  return `${rateLimitDirectiveTypeDefs}\n${schemaText}`;
}

const GRAPHQL_PATH = '/graphql';

/**
 * Who a BFF's field rate limits count against: the verified token's subject, however its
 * Authorization header is spelt (a caller cannot multiply its budget by re-spelling one token).
 * Callers without a token share a budget per IP.
 */
function callerKey(request: FastifyRequest): string {
  return request.identity ? `sub:${request.identity.subject}` : `ip:${request.ip}`;
}

/**
 * Builds (without listening) one BFF: its schema on Apollo Server over the shared service skeleton,
 * a keep-alive client to the gateway, and per request: a deadline (the BFF's, or the client's if
 * sooner), DataLoaders over the gateway, and the partial-failure rules on its fields.
 *
 *   client -> BFF (deadline, loaders) -> N gateway operations in parallel -> shaped answer
 */
export async function createBff(
  definition: BffDefinition,
  config: Readonly<PorticoConfig>,
): Promise<Service> {
  const service = createService({ name: definition.name, config });
  const settings = config.bffs;
  await installCors(service.app, config, definition.name);
  // The BFF verifies tokens itself, against the gateway's keys: a bad token costs no gateway call,
  // and its limits key on who the caller is, not on how the header was written.
  const auth = resolveAuth(config);
  installAuthHook(service.app, cachedVerifier(auth, createKeyResolver(auth, service.logger)), GRAPHQL_PATH);
  const guard = createQueryGuard({ ...settings.limits, ...settings[definition.name].limits }, 'bffs.limits');
  guard.install(service.app, GRAPHQL_PATH);
  const client = createGatewayClient({
    url: settings.gatewayUrl,
    connections: settings.connections,
    marginMs: settings.deadlineMarginMs,
    retries: settings.retries,
  });
  const cache = createStaleCache(settings.staleCacheEntries);
  const typeDefs = bffTypeDefs(definition.name);
  let schema = makeExecutableSchema({
    typeDefs,
    resolvers: [withRules(definition.resolvers, definition.rules, cache), scalarResolvers(typeDefs)],
  });
  checkRules(schema, definition.rules);
  const fieldLimits = createFieldRateLimits({
    config,
    service: `bff-${definition.name}`,
    log: service.logger,
    metrics: service.metrics,
  });
  schema = fieldLimits.apply<BffContext>(schema, (context) => context.caller);
  await fieldLimits.ready();
  definition.install?.(service);
  if (config.environment === 'development') {
    // The contract as SDL, for tools that download a schema (Apollo iOS / Kotlin, graphql-codegen).
    const sdl = contractSdl(typeDefs);
    service.app.get('/schema.graphql', async (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send(sdl),
    );
  }
  const maxRequestMs = settings[definition.name].deadlineMs;

  const context = async (request: FastifyRequest): Promise<BffContext> => {
    const receivedAt = Date.now();
    const authorization = request.headers.authorization;
    const deadline = requestDeadline(request.headers, receivedAt, { maxRequestMs });
    const call = {
      authorization,
      requestId: request.id,
      traceparent: inboundTrace(request.headers).traceparent,
      trace: requestTrace(request.raw),
      deadline,
      log: request.log,
    };
    const ctx: BffContext = {
      requestId: request.id,
      log: request.log,
      authorization,
      caller: callerKey(request),
      deadline,
      notes: [],
      wholeFailure: null,
      gateway: createGatewayLoader(
        client,
        call,
        (failure) => {
          ctx.wholeFailure ??= failure;
        },
        settings.maxGatewayCalls,
      ),
    };
    return ctx;
  };

  await mountGraphQL<BffContext>({
    service,
    apollo: { schema, plugins: [partialFailurePlugin()] },
    context,
    development: config.environment === 'development',
    guard,
    path: GRAPHQL_PATH,
  });
  service.app.addHook('onClose', async () => {
    await client.close();
    await fieldLimits.close();
  });
  return service;
}
