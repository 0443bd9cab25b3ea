import type { Redis } from 'ioredis';
import type { Logger } from '../../platform/logger.ts';
import { createRedisClient } from '../../platform/redis.ts';
import { type FillLock, redisFillLock } from './fill-lock.ts';
import { type CacheEntry, createMemoryTier } from './memory-store.ts';

/** Where cached answers live: memory alone, or memory in front of Redis. Never throws. */
export interface CacheStore {
  get(key: string): Promise<CacheEntry | undefined>;
  set(key: string, entry: CacheEntry, ttlSec: number): Promise<void>;
  /** Drops every entry tagged with one of `tags`, here and (through Redis) at every replica. */
  purge(tags: readonly string[]): Promise<number>;
  /** One fill per key across replicas (Redis only; see fill-lock.ts). */
  fills?: FillLock;
  close(): Promise<void>;
}

export function memoryCacheStore(maxBytes: number): CacheStore {
  const memory = createMemoryTier(maxBytes);
  return {
    async get(key) {
      return memory.get(key);
    },
    async set(key, entry, ttlSec) {
      memory.set(key, entry, ttlSec);
    },
    async purge(tags) {
      return memory.purge(tags);
    },
    async close() {},
  };
}

// Deletes every key in the tag sets, then the sets; one round trip, atomic against fills.
const PURGE_SCRIPT = `
local dropped = 0
for _, tag in ipairs(KEYS) do
  local members = redis.call('SMEMBERS', tag)
  for _, key in ipairs(members) do dropped = dropped + redis.call('DEL', key) end
  redis.call('DEL', tag)
end
return dropped`;

/**
 * An entry from Redis, or undefined when it is not one (written by something else, or truncated):
 * a miss. Its body is checked here too, once per read from Redis: the fast path sends a body as
 * it is stored, without parsing it.
 */
function parseEntry(raw: string): CacheEntry | undefined {
  try {
    const entry = JSON.parse(raw) as Partial<CacheEntry>;
    const valid =
      typeof entry.body === 'string' &&
      typeof entry.storedAt === 'number' &&
      typeof entry.maxAge === 'number' &&
      Array.isArray(entry.tags) &&
      typeof JSON.parse(entry.body) === 'object';
    return valid ? (entry as CacheEntry) : undefined;
  } catch {
    return undefined;
  }
}

export interface RedisCacheStoreOptions {
  url: string;
  prefix: string;
  timeoutMs: number;
  memoryBytes: number;
  localTtlSec: number;
  /** No entry lives longer; tag sets live a minute beyond it. */
  maxTtlSec: number;
  log: Logger;
  /** Called for each Redis failure (a miss or a skipped write, never the caller's error). */
  onRedisError?: (error: unknown) => void;
}

/**
 * Redis, shared by every replica, with a small memory tier in front. Entries are JSON under
 * `<prefix>e:<key>` (fill locks under `<prefix>l:<key>`); each tag is a set of the keys carrying
 * it (`<prefix>t:<Type:id>`), kept as long as the longest entry in it. A purge runs the purge script and publishes the tags on
 * `<prefix>purge`, so every replica drops them from its memory tier at once; a lost message
 * (Redis down) leaves a local copy for at most `localTtlSec`.
 *
 * Redis failing (down, slow, refusing) is a miss on read and a skipped write: the client fails
 * fast (no offline queue, `timeoutMs` per command), so no request waits on an outage.
 */
export function redisCacheStore(options: RedisCacheStoreOptions): CacheStore {
  const { prefix, log } = options;
  const memory = createMemoryTier(options.memoryBytes);
  const client = createRedisClient({
    url: options.url,
    commandTimeoutMs: options.timeoutMs,
    log,
    name: 'cache',
  });
  const channel = `${prefix}purge`;
  // Our 'ready' handler subscribes (and catches); ioredis's own resubscribe on reconnect does not
  // catch, so a connection cut right after a reconnect would be an unhandled rejection.
  const subscriber: Redis = client.duplicate({
    connectionName: 'portico-cache-purges',
    autoResubscribe: false,
  });
  subscriber.on('error', () => {});
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).catch(() => {});
  });
  subscriber.on('message', (_channel: string, message: string) => {
    try {
      memory.purge(JSON.parse(message) as string[]);
    } catch {
      // A message we cannot read purges nothing; the local tier expires on its own.
    }
  });
  const failed = (error: unknown) => {
    options.onRedisError?.(error);
    log.debug({ err: error }, 'cache: redis failed; serving without it');
  };
  const entryKey = (key: string) => `${prefix}e:${key}`;
  const tagKey = (tag: string) => `${prefix}t:${tag}`;
  /** An entry read from Redis, kept in the memory tier for what is left of its life (at most localTtlSec). */
  const accept = (key: string, raw: string) => {
    const entry = parseEntry(raw);
    if (!entry) return undefined;
    const left = entry.storedAt / 1000 + entry.maxAge - Date.now() / 1000;
    memory.set(key, entry, Math.min(options.localTtlSec, left));
    return entry;
  };
  return {
    async get(key) {
      const local = memory.get(key);
      if (local) return local;
      let raw: string | null;
      try {
        raw = await client.get(entryKey(key));
      } catch (error) {
        failed(error);
        return undefined;
      }
      return raw === null ? undefined : accept(key, raw);
    },
    async set(key, entry, ttlSec) {
      memory.set(key, entry, Math.min(options.localTtlSec, ttlSec));
      const ttl = Math.max(1, Math.ceil(ttlSec));
      const pipeline = client.multi().set(entryKey(key), JSON.stringify(entry), 'EX', ttl);
      for (const tag of entry.tags) {
        // A tag outlives every entry in it (none lives past maxTtlSec): a purge must find every key.
        pipeline.sadd(tagKey(tag), entryKey(key)).expire(tagKey(tag), options.maxTtlSec + 60);
      }
      try {
        await pipeline.exec();
      } catch (error) {
        failed(error);
      }
    },
    async purge(tags) {
      if (tags.length === 0) return 0;
      let dropped = memory.purge(tags);
      try {
        dropped += Number(await client.eval(PURGE_SCRIPT, tags.length, ...tags.map(tagKey)));
        await client.publish(channel, JSON.stringify(tags));
      } catch (error) {
        failed(error);
      }
      return dropped;
    },
    fills: redisFillLock({ client, lockKey: (key) => `${prefix}l:${key}`, entryKey, accept, failed }),
    async close() {
      subscriber.disconnect();
      client.disconnect();
    },
  };
}
