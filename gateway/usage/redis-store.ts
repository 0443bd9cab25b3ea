import type { Redis } from 'ioredis';
import type { UsageSettings } from '../../platform/config/telemetry.ts';
import type { Logger } from '../../platform/logger.ts';
import { createRedisClient } from '../../platform/redis.ts';
import { addCount, collect, HOUR_MS, hourOf, type OperationMeta, type RecordedOperation } from './record.ts';
import type { UsageStore } from './store.ts';

const OPS = 'ops';
const bucketKey = (hour: number) => `h:${hour}`;

/**
 * Reads recorded usage from Redis: the `ops` hash (operation key -> description) and one hash of
 * counts per hour (`h:<epoch ms>`), over every hour of the window. Used by the gateway's store
 * and by `portico schema usage` / `schema check --usage redis` straight from Redis.
 */
export async function readRedisUsage(
  client: Redis,
  since: number,
  until: number,
): Promise<RecordedOperation[]> {
  const hours: number[] = [];
  for (let hour = hourOf(since); hour <= until; hour += HOUR_MS) hours.push(hour);
  const pipeline = client.pipeline();
  pipeline.hgetall(OPS);
  for (const hour of hours) pipeline.hgetall(bucketKey(hour));
  const results = (await pipeline.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
  const ops = results[0]?.[1] as Record<string, string>;
  const meta = (key: string) => (ops[key] ? (JSON.parse(ops[key]) as OperationMeta) : undefined);
  const entries = new Map<string, RecordedOperation>();
  hours.forEach((hour, index) => {
    const counts = results[index + 1]?.[1] as Record<string, string>;
    collect(
      entries,
      hour,
      Object.entries(counts).map(([key, count]) => [key, Number(count)]),
      meta,
    );
  });
  return [...entries.values()];
}

/**
 * Usage in Redis, shared by every gateway replica. Requests only touch memory: counts gather per
 * hour and operation key and are written every `flushIntervalMs` in one pipeline (HINCRBY per
 * key, HSETNX of a new operation's description, expiry at the retention), so recording costs no
 * round trip on the request path. A flush that fails is dropped and logged: usage is a
 * statistic, never worth holding up or failing traffic.
 */
export function createRedisUsageStore(settings: UsageSettings, url: string, log: Logger): UsageStore {
  const client = createRedisClient({
    url,
    keyPrefix: settings.redisKeyPrefix,
    log,
    name: 'usage',
    commandTimeoutMs: 2_000,
  });
  const known = new Set<string>();
  const newMeta = new Map<string, OperationMeta>();
  let pending = new Map<number, Map<string, number>>();
  const ttlSec = settings.retentionDays * 86_400;

  async function flush(): Promise<void> {
    if (pending.size === 0 && newMeta.size === 0) return;
    const batch = pending;
    const metas = [...newMeta];
    pending = new Map();
    newMeta.clear();
    const pipeline = client.pipeline();
    for (const [key, meta] of metas) pipeline.hsetnx(OPS, key, JSON.stringify(meta));
    if (metas.length > 0) pipeline.expire(OPS, ttlSec);
    for (const [hour, counts] of batch) {
      for (const [key, count] of counts) pipeline.hincrby(bucketKey(hour), key, count);
      pipeline.expire(bucketKey(hour), ttlSec);
    }
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error);
      if (failed?.[0]) throw failed[0];
    } catch (error) {
      // Descriptions not written are written again with the next count of their operation.
      for (const [key] of metas) known.delete(key);
      log.warn({ err: error, store: 'usage' }, 'field usage not written to redis; these counts are lost');
    }
  }

  const timer = setInterval(() => void flush(), settings.flushIntervalMs);
  timer.unref();
  return {
    kind: 'redis',
    record(key, describe, weight) {
      if (!known.has(key)) {
        if (known.size >= settings.maxOperations) return false;
        known.add(key);
        newMeta.set(key, describe());
      }
      addCount(pending, hourOf(Date.now()), key, weight);
      return true;
    },
    async read(since, until) {
      await flush();
      return readRedisUsage(client, since, until);
    },
    async close() {
      clearInterval(timer);
      await flush();
      client.disconnect();
    },
  };
}
