import type { PorticoConfig } from '../../platform/config/schema.ts';
import { type KeyValueStore, memoryStore, redisStore, tieredStore } from '../../platform/kv-cache.ts';
import type { Logger } from '../../platform/logger.ts';
import { createRedisClient } from '../../platform/redis.ts';
import { sha256 } from './manifest.ts';
import type { Safelist } from './safelist.ts';

/** Memory for registered queries per gateway, as Apollo Server's own default cache has. */
const LOCAL_BYTES = 32 * 1024 * 1024;

/**
 * Queries larger than this are served but not persisted. Ours are about 1 KB; within the token
 * limit only long string literals make a query big, and those should not fill a shared store.
 */
const MAX_QUERY_BYTES = 64 * 1024;

/** Apollo Server prefixes its APQ keys (`apq:<hash>`); the hash is what the manifest knows. */
function hashOf(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}

function boundedEntries(store: KeyValueStore): KeyValueStore {
  return {
    ...store,
    async set(key, value, options) {
      if (Buffer.byteLength(value) <= MAX_QUERY_BYTES) await store.set(key, value, options);
    },
  };
}

/**
 * An entry is served only if it is the query its key names: Redis is shared, and whoever can
 * write to it (another service, a bug, an attacker on the network) could otherwise make one hash
 * run another's query. A mismatch is a miss, so the client sends the real query again.
 */
function verifiedEntries(store: KeyValueStore, log: Logger): KeyValueStore {
  return {
    ...store,
    async get(key) {
      const value = await store.get(key);
      if (value === undefined || sha256(value) === hashOf(key)) return value;
      log.warn({ key }, 'APQ entry does not match its hash; ignored');
      return undefined;
    },
  };
}

/** Manifest operations are always known by their hash, whatever the store holds. */
function manifestFirst(store: KeyValueStore, safelist: Safelist): KeyValueStore {
  return {
    ...store,
    async get(key) {
      return safelist.byId(hashOf(key))?.body ?? store.get(key);
    },
  };
}

/**
 * The store behind automatic persisted queries. Without Redis, each gateway keeps its own. With
 * `redisUrl`, registrations are shared through Redis, so a hash registered at one replica is known
 * at all of them, and each replica keeps what it has seen in memory; a Redis outage degrades to
 * memory only (see tieredStore) and costs a request at most `apq.redisTimeoutMs`.
 */
export function createApqStore(
  config: Pick<PorticoConfig, 'redisUrl' | 'persistedQueries'>,
  log: Logger,
  safelist: Safelist | null,
): { store: KeyValueStore; close(): Promise<void> } {
  const { apq } = config.persistedQueries;
  const local = memoryStore(LOCAL_BYTES);
  let store = local;
  let close = async () => {};
  if (config.redisUrl) {
    const client = createRedisClient({
      url: config.redisUrl,
      keyPrefix: apq.redisKeyPrefix,
      commandTimeoutMs: apq.redisTimeoutMs,
      log,
      name: 'apq',
    });
    store = tieredStore({
      local,
      shared: redisStore(client),
      localTtlSec: apq.ttlSec,
      onSharedError: (error) => log.debug({ err: error }, 'APQ store: redis failed; using memory'),
    });
    close = async () => {
      client.disconnect();
    };
  }
  const bounded = verifiedEntries(boundedEntries(store), log);
  return { store: safelist ? manifestFirst(bounded, safelist) : bounded, close };
}
