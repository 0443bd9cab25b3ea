import type { Redis } from 'ioredis';

/**
 * A string key-value store with optional TTL in seconds: the shape Apollo Server's KeyValueCache
 * expects (persisted queries), and what other shared stores can reuse.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean | undefined>;
}

/**
 * A bounded in-process store. Entries expire after their TTL; past `maxBytes` (keys and values,
 * counted as UTF-16 code units, close enough for a bound) the least recently used go first: a Map
 * keeps insertion order, and a read re-inserts. A value larger than the whole bound is not kept.
 */
export function memoryStore(maxBytes: number): KeyValueStore {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  let bytes = 0;
  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return false;
    entries.delete(key);
    bytes -= key.length + entry.value.length;
    return true;
  };
  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      remove(key);
      if (entry.expiresAt <= Date.now()) return undefined;
      entries.set(key, entry);
      bytes += key.length + entry.value.length;
      return entry.value;
    },
    async set(key, value, options) {
      remove(key);
      const size = key.length + value.length;
      if (size > maxBytes) return;
      const ttl = options?.ttl;
      entries.set(key, { value, expiresAt: ttl ? Date.now() + ttl * 1000 : Number.POSITIVE_INFINITY });
      bytes += size;
      while (bytes > maxBytes) remove(entries.keys().next().value!);
    },
    async delete(key) {
      return remove(key);
    },
  };
}

/** A store in Redis. Failures reject; `tieredStore` decides what a failure means. */
export function redisStore(client: Redis): KeyValueStore {
  return {
    async get(key) {
      return (await client.get(key)) ?? undefined;
    },
    async set(key, value, options) {
      if (options?.ttl) await client.set(key, value, 'EX', Math.ceil(options.ttl));
      else await client.set(key, value);
    },
    async delete(key) {
      return (await client.del(key)) > 0;
    },
  };
}

/**
 * A local store in front of a shared one. Reads try the local store first (no network for what
 * this process has seen), then the shared one, and keep what they find. Writes go to both. The
 * shared store failing (down, slow, refusing) is a miss on read and is skipped on write: callers
 * never see its errors and never wait longer than its client's command timeout.
 *
 *   get: local hit ----------------------------------> value
 *        local miss -> shared hit -> keep locally ----> value
 *                       shared miss or failure -------> undefined
 *   set: local, then shared (a failure is reported, not thrown)
 */
export function tieredStore(options: {
  local: KeyValueStore;
  shared: KeyValueStore;
  /** How long a value read from the shared store is kept locally. */
  localTtlSec: number;
  onSharedError: (error: unknown) => void;
}): KeyValueStore {
  const { local, shared, onSharedError } = options;
  return {
    async get(key) {
      const hit = await local.get(key);
      if (hit !== undefined) return hit;
      let value: string | undefined;
      try {
        value = await shared.get(key);
      } catch (error) {
        onSharedError(error);
        return undefined;
      }
      if (value !== undefined) await local.set(key, value, { ttl: options.localTtlSec });
      return value;
    },
    async set(key, value, options) {
      await local.set(key, value, options);
      try {
        await shared.set(key, value, options);
      } catch (error) {
        onSharedError(error);
      }
    },
    async delete(key) {
      const deleted = await local.delete(key);
      try {
        await shared.delete(key);
      } catch (error) {
        onSharedError(error);
      }
      return deleted;
    },
  };
}
