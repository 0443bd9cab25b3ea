import type { ApolloServerPlugin } from '@apollo/server';
import { Counter } from 'prom-client';
import type { PorticoConfig } from '../../platform/config/schema.ts';
import type { Service } from '../../platform/service.ts';
import { clientLabels } from '../../platform/telemetry/operation-metrics.ts';
import { onReplay } from '../../platform/telemetry/replay.ts';
import type { GatewayContext } from '../context.ts';
import { createDescriber, type OperationFacts } from './describe.ts';
import { HOUR_MS, hourOf, parseWindow, type UsageExport } from './record.ts';
import { createUsageStore } from './store.ts';

/** The response extension that tells a client it used deprecated schema elements. */
export const DEPRECATIONS_EXTENSION = 'deprecations';

/**
 * Field usage, set up on the gateway: the recording plugin, the store (Redis when `redisUrl` is
 * set), `GET /usage?since=30d` on the admin listener (what `portico schema usage` exports when
 * there is no Redis to read), and the deprecation warnings.
 *
 *   didResolveOperation: describe the operation (cached per document) -> count it under
 *     (client, version, signature) in this hour's bucket (sampled: weight 1/sampleRate)
 *     deprecated coordinates -> counter per client, one log line per client and coordinate an hour
 *   willSendResponse: extensions.deprecations = [{ coordinate, reason, replacement }]
 */
export function installUsage(service: Service, config: Pick<PorticoConfig, 'redisUrl' | 'telemetry'>) {
  const settings = config.telemetry.usage;
  if (!settings.enabled) return null;
  const store = createUsageStore(settings, config.redisUrl, service.logger);
  const describe = createDescriber();
  const clientOf = clientLabels(config.telemetry.metrics);
  const weight = Math.round(1 / settings.sampleRate);
  const deprecatedUses = new Counter({
    name: 'gateway_deprecated_field_uses_total',
    help: 'Operations using a deprecated field, argument, input field or enum value, by coordinate and client',
    labelNames: ['coordinate', 'client'] as const,
    registers: [service.metrics],
  });
  const warned = new Map<string, number>();

  service.admin.get<{ Querystring: { since?: string } }>('/usage', async (request, reply) => {
    const window = parseWindow(request.query.since ?? '30d');
    if (window === null) return reply.code(400).send({ error: 'since takes a window like 30d, 12h or 90m' });
    const until = Date.now();
    const since = hourOf(until - window);
    const body: UsageExport = {
      version: 1,
      since: new Date(since).toISOString(),
      until: new Date(hourOf(until) + HOUR_MS).toISOString(),
      operations: await store.read(since, until),
    };
    return body;
  });
  service.app.addHook('onClose', () => store.close());

  /** Counts one use of an operation (sampled) and warns once an hour per deprecated element and client. */
  const count = (found: OperationFacts, client: ReturnType<typeof clientOf>, log: GatewayContext['log']) => {
    if (settings.sampleRate >= 1 || Math.random() < settings.sampleRate) {
      store.record(
        `${client.name}\t${client.version}\t${found.name}\t${found.signature}`,
        () => ({
          client: client.name,
          clientVersion: client.version,
          operation: found.name,
          signature: found.signature,
          coordinates: found.coordinates,
        }),
        weight,
      );
    }
    for (const use of found.deprecated) {
      deprecatedUses.inc({ coordinate: use.coordinate, client: client.name });
      const key = `${client.name}\t${use.coordinate}`;
      const hour = hourOf(Date.now());
      if (warned.get(key) === hour) continue;
      warned.set(key, hour);
      log.info(
        {
          client: client.name,
          clientVersion: client.version,
          operation: found.name,
          coordinate: use.coordinate,
          reason: use.reason,
        },
        'client used a deprecated schema element',
      );
    }
  };

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ request }) {
      let facts: OperationFacts | undefined;
      return {
        async didResolveOperation({ document, operation, schema, contextValue }) {
          if (!operation) return;
          facts = describe(document, operation, schema);
          count(facts, clientOf(request.http?.headers), contextValue.log);
        },
        async willSendResponse({ response, contextValue }) {
          const found = facts;
          // Answered again from the response cache's fast path: counted again, the same way.
          if (found)
            onReplay(contextValue, (replayed) => count(found, clientOf(replayed.headers), replayed.log));
          if (!found?.deprecated.length || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, [DEPRECATIONS_EXTENSION]: found.deprecated };
        },
      };
    },
  };
  return { plugin, store };
}
