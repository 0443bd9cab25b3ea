import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { OperationMetricsSettings } from '../config/telemetry.ts';
import { isErrorCode } from '../errors.ts';
import { boundedLabel } from './bounded-label.ts';
import { onReplay } from './replay.ts';

/** The client a request names in its headers (Apollo's convention, or configured ones). */
export type ClientOf = (headers: { get(name: string): string | undefined | null } | undefined) => {
  name: string;
  version: string;
};

/** The calling client's name and version as bounded label values (see bounded-label.ts). */
export function clientLabels(settings: OperationMetricsSettings): ClientOf {
  const name = boundedLabel(settings.maxClients, settings.clients);
  // Versions per client are few; the bound keeps a client that stamps builds from running away.
  const version = boundedLabel(settings.maxClients * 4);
  return (headers) => ({
    name: name(headers?.get(settings.clientNameHeader)),
    version: version(headers?.get(settings.clientVersionHeader)),
  });
}

function metricsIn(registry: Registry) {
  const registers = [registry];
  return {
    requests: new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations answered, by operation name, client and outcome (success, error)',
      labelNames: ['operation', 'client', 'client_version', 'outcome'] as const,
      registers,
    }),
    errors: new Counter({
      name: 'graphql_operation_errors_total',
      help: 'Errors in GraphQL responses, by operation name, client and error code',
      labelNames: ['operation', 'client', 'code'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'Time from request to response of GraphQL operations, by operation name and client',
      labelNames: ['operation', 'client'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    documents: new Counter({
      name: 'graphql_document_cache_total',
      help: 'Parsed and validated documents served from the cache (hit) or parsed anew (miss)',
      labelNames: ['result'] as const,
      registers,
    }),
  };
}

/**
 * RED metrics of a GraphQL endpoint per operation and client: how many, how many failed (and with
 * which catalogue codes), how long. An operation is labelled by the name it resolved to (so only
 * names of valid operations, bounded); a request that never resolved one is `unknown`. Also the
 * document cache: Apollo Server skips parsing and validation for a document it has cached.
 */
export function operationMetricsPlugin<TContext extends BaseContext>(
  registry: Registry,
  settings: OperationMetricsSettings,
): ApolloServerPlugin<TContext> {
  const metrics = metricsIn(registry);
  const operationLabel = boundedLabel(settings.maxOperations);
  const clientOf = clientLabels(settings);
  return {
    async requestDidStart({ request }) {
      const started = performance.now();
      const client = clientOf(request.http?.headers);
      let parsed = false;
      return {
        async parsingDidStart() {
          parsed = true;
          metrics.documents.inc({ result: 'miss' });
        },
        async willSendResponse({ response, operation, operationName, document, contextValue }) {
          if (!parsed && document) metrics.documents.inc({ result: 'hit' });
          const name = operation ? operationLabel(operationName ?? 'anonymous') : 'unknown';
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          metrics.requests.inc({
            operation: name,
            client: client.name,
            client_version: client.version,
            outcome: errors.length > 0 ? 'error' : 'success',
          });
          for (const error of errors) {
            const code = error.extensions?.code;
            // Codes are the catalogue's after formatting; anything else is one value, not many.
            metrics.errors.inc({
              operation: name,
              client: client.name,
              code: isErrorCode(code) ? code : 'OTHER',
            });
          }
          metrics.duration.observe(
            { operation: name, client: client.name },
            (performance.now() - started) / 1000,
          );
          if (errors.length > 0) return;
          // An answer the response cache may serve again without the pipeline: counted the same way.
          onReplay(contextValue, (replayed) => {
            const again = clientOf(replayed.headers);
            metrics.documents.inc({ result: 'hit' });
            metrics.requests.inc({
              operation: name,
              client: again.name,
              client_version: again.version,
              outcome: 'success',
            });
            metrics.duration.observe(
              { operation: name, client: again.name },
              (performance.now() - replayed.startedAt) / 1000,
            );
          });
        },
      };
    },
  };
}
