import type { UsageSettings } from '../../platform/config/telemetry.ts';
import { addCount, collect, HOUR_MS, hourOf, type OperationMeta, type RecordedOperation } from './record.ts';
import type { UsageStore } from './store.ts';

/**
 * Usage in the gateway's memory (no Redis): hourly buckets of counts per operation key, the
 * operations' descriptions once each. Bounded by `maxOperations` keys and `retentionDays` of
 * buckets; lost on restart, and per replica, which is why production sets `redisUrl`.
 */
export function createMemoryUsageStore(settings: UsageSettings, now: () => number = Date.now): UsageStore {
  const meta = new Map<string, OperationMeta>();
  const buckets = new Map<number, Map<string, number>>();
  let lastPrune = 0;
  const prune = (hour: number) => {
    if (hour === lastPrune) return;
    lastPrune = hour;
    const oldest = hour - settings.retentionDays * 24 * HOUR_MS;
    for (const key of buckets.keys()) if (key < oldest) buckets.delete(key);
  };
  return {
    kind: 'memory',
    record(key, describe, weight) {
      if (!meta.has(key)) {
        if (meta.size >= settings.maxOperations) return false;
        meta.set(key, describe());
      }
      const hour = hourOf(now());
      prune(hour);
      addCount(buckets, hour, key, weight);
      return true;
    },
    async read(since, until) {
      const entries = new Map<string, RecordedOperation>();
      for (const [hour, counts] of buckets) {
        if (hour >= hourOf(since) && hour <= until) collect(entries, hour, counts, (key) => meta.get(key));
      }
      return [...entries.values()];
    },
    async close() {},
  };
}
