import {
  ApolloServer,
  type ApolloServerOptions,
  type ApolloServerPlugin,
  type BaseContext,
} from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { type ApolloFastifyContextFunction, fastifyApolloHandler } from '@as-integrations/fastify';
import { installPageCompression } from './compressed-page.ts';
import { errorLoggingPlugin } from './error-logging.ts';
import { formatClientError } from './graphql-errors.ts';
import { type IdeOptions, landingPagePlugin } from './landing-page.ts';
import type { QueryGuard } from './limits/guard.ts';
import { operationKindsPlugin } from './operation-kinds.ts';
import type { Service } from './service.ts';
import { operationMetricsPlugin } from './telemetry/operation-metrics.ts';

export interface MountGraphQLOptions<TContext extends BaseContext> {
  service: Service;
  /** Schema or gateway and any server options; Portico's standard plugins are added to these. */
  apollo: ApolloServerOptions<TContext>;
  context: ApolloFastifyContextFunction<TContext>;
  /** Introspection, field suggestions and the offline IDE: development only. */
  development: boolean;
  /** Subgraphs turn inline (ftv1) tracing off; the gateway never asks for it. */
  subgraph?: boolean;
  /**
   * The query limits of a public service (the gateway, a BFF): parse and validation limits are
   * applied here; the caller installs `guard.install` in its hook order.
   */
  guard?: QueryGuard;
  path?: string;
  /** What the development IDE opens with: an example query and a dev token (see landing-page.ts). */
  ide?: IdeOptions;
}

/**
 * Starts an Apollo Server and serves it on the service's fastify app. Every Portico GraphQL
 * endpoint goes through here so all of them share the same policy: nothing phones home, no
 * CDN-hosted landing page, CSRF prevention on, stack traces never in responses, errors mapped onto
 * the catalogue.
 */
export async function mountGraphQL<TContext extends BaseContext>(
  options: MountGraphQLOptions<TContext>,
): Promise<ApolloServer<TContext>> {
  const { service, development } = options;
  const path = options.path ?? '/graphql';
  const plugins: ApolloServerPlugin<TContext>[] = [
    ApolloServerPluginUsageReportingDisabled(),
    ApolloServerPluginSchemaReportingDisabled(),
    errorLoggingPlugin<TContext>(service.logger),
    operationKindsPlugin<TContext>(),
    operationMetricsPlugin<TContext>(service.metrics, service.telemetry.metrics),
    development
      ? landingPagePlugin({ endpoint: path, title: `Portico ${service.name}`, ide: options.ide })
      : ApolloServerPluginLandingPageDisabled(),
    ...(options.subgraph ? [ApolloServerPluginInlineTraceDisabled()] : []),
    ...(options.apollo.plugins ?? []),
  ];
  const { guard } = options;
  const apollo = new ApolloServer<TContext>({
    ...options.apollo,
    ...(guard
      ? {
          validationRules: [...(options.apollo.validationRules ?? []), ...guard.validationRules],
          parseOptions: { ...options.apollo.parseOptions, ...guard.parseOptions },
          allowBatchedHttpRequests: guard.allowBatchedHttpRequests,
        }
      : {}),
    plugins,
    introspection: options.apollo.introspection ?? development,
    hideSchemaDetailsFromClientErrors: !development,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: true,
    formatError: options.apollo.formatError ?? formatClientError,
    logger: {
      debug: (message) => service.logger.debug(message),
      info: (message) => service.logger.info(message),
      warn: (message) => service.logger.warn(message),
      error: (message) => service.logger.error(message),
    },
  } as ApolloServerOptions<TContext>);
  await apollo.start();
  service.app.route({
    url: path,
    method: ['GET', 'POST', 'OPTIONS'],
    handler: fastifyApolloHandler(apollo, { context: options.context }),
  });
  if (development) installPageCompression(service.app, path);
  service.app.addHook('onClose', async () => {
    await apollo.stop();
  });
  service.addReadinessCheck('graphql', () => true);
  return apollo;
}
