import type { GraphQLSchema } from 'graphql';
import type { Registry } from 'prom-client';
import type { PorticoConfig } from '../../platform/config/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import { apiSchemaFromSupergraph } from '../api-schema.ts';
import { entityCacheInterceptor } from './entities.ts';
import { createFastPath } from './fast-path.ts';
import { type CacheHints, noCacheHints, readCacheHints } from './hints.ts';
import { createCacheMetrics } from './metrics.ts';
import { responseCachePlugin } from './plugin.ts';
import { type CacheStore, memoryCacheStore, redisCacheStore } from './store.ts';

/**
 * The gateway's caches, built once: the store (Redis with memory in front when `redisUrl` is set,
 * memory alone otherwise), the hints of the current supergraph (replaced on every reload), the
 * response cache plugin and its metrics. docs/caching.md describes the whole.
 */
export function createGatewayCache(
  config: Pick<PorticoConfig, 'cache' | 'redisUrl'>,
  deps: { log: Logger; metrics?: Registry },
) {
  const settings = config.cache;
  const metrics = createCacheMetrics(deps.metrics);
  const store: CacheStore = config.redisUrl
    ? redisCacheStore({
        url: config.redisUrl,
        prefix: settings.redisKeyPrefix,
        timeoutMs: settings.redisTimeoutMs,
        memoryBytes: settings.memoryBytes,
        localTtlSec: settings.localTtlSec,
        maxTtlSec: settings.maxTtlSec,
        log: deps.log,
        onRedisError: () => metrics.storeError(),
      })
    : memoryCacheStore(settings.memoryBytes);
  let hints: CacheHints = noCacheHints();
  let current: { schema: GraphQLSchema; hints: CacheHints } | null = null;
  const fastPath = createFastPath({ store, metrics });
  return {
    store,
    metrics,
    /** Hits answered before the GraphQL pipeline; see fast-path.ts. */
    fastPath,
    /** Called with each supergraph the gateway loads. */
    onSupergraph(sdl: string) {
      hints = readCacheHints(sdl);
      fastPath.reset();
      // The entity cache reads fetches in terms of the API schema, built here once per supergraph.
      current = settings.entities.enabled ? { schema: apiSchemaFromSupergraph(sdl), hints } : null;
    },
    /** The transport's first interceptor when entity caching is on. */
    entityInterceptor: settings.entities.enabled
      ? entityCacheInterceptor({ store, metrics, current: () => current, maxTtlSec: settings.maxTtlSec })
      : null,
    plugin: responseCachePlugin({
      store,
      hints: () => hints,
      metrics,
      maxTtlSec: settings.maxTtlSec,
      maxEntryBytes: settings.maxEntryBytes,
      bypassScope: settings.bypassScope,
      fillLockMs: settings.fillLockMs,
      onHit: fastPath.offer,
    }),
    close: () => store.close(),
  };
}

export type GatewayCache = ReturnType<typeof createGatewayCache>;
