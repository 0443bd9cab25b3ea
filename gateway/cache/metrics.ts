import { Counter, type Registry } from 'prom-client';

/** Operation names come from clients: past this many distinct ones, the rest count as `other`. */
const MAX_OPERATIONS = 200;

export type CacheLayer = 'response' | 'entity';
export type MissReason = 'cold' | 'uncacheable' | 'bypass';

/**
 * Cache counters on the admin listener's registry, by layer (response, entity) and operation:
 * hits (memory or redis or a fill in flight), misses (and why), fills, purged entries, and bytes
 * served from and written to the cache.
 */
export function createCacheMetrics(registry?: Registry) {
  const registers = registry ? [registry] : [];
  const hits = new Counter({
    name: 'portico_cache_hits_total',
    help: 'Answers served from the gateway cache, by layer and operation',
    labelNames: ['layer', 'operation'] as const,
    registers,
  });
  const misses = new Counter({
    name: 'portico_cache_misses_total',
    help: 'Cache look-ups that found nothing usable, by layer, operation and reason',
    labelNames: ['layer', 'operation', 'reason'] as const,
    registers,
  });
  const fills = new Counter({
    name: 'portico_cache_fills_total',
    help: 'Entries written to the gateway cache, by layer and operation',
    labelNames: ['layer', 'operation'] as const,
    registers,
  });
  const purges = new Counter({
    name: 'portico_cache_purged_entries_total',
    help: 'Entries dropped because a mutation changed what they hold, by mutation',
    labelNames: ['operation'] as const,
    registers,
  });
  const bytes = new Counter({
    name: 'portico_cache_bytes_total',
    help: 'Bytes served from (read) and written to (write) the gateway cache, by layer',
    labelNames: ['layer', 'direction'] as const,
    registers,
  });
  const storeErrors = new Counter({
    name: 'portico_cache_store_failures_total',
    help: 'Redis commands of the cache that failed or timed out (served without the cache)',
    registers,
  });
  const fastHits = new Counter({
    name: 'portico_cache_fast_hits_total',
    help: 'Response cache hits answered before the GraphQL pipeline (also counted in hits)',
    registers,
  });
  const seen = new Set<string>();
  const name = (operation: string | null | undefined) => {
    const value = operation || 'anonymous';
    if (seen.has(value)) return value;
    if (seen.size >= MAX_OPERATIONS || value.length > 100) return 'other';
    seen.add(value);
    return value;
  };
  return {
    hit(layer: CacheLayer, operation: string | null | undefined, size: number) {
      hits.labels(layer, name(operation)).inc();
      bytes.labels(layer, 'read').inc(size);
    },
    /** A hit the fast path answered (see fast-path.ts). */
    fastHit(operation: string | null | undefined, size: number) {
      hits.labels('response', name(operation)).inc();
      bytes.labels('response', 'read').inc(size);
      fastHits.inc();
    },
    miss(layer: CacheLayer, operation: string | null | undefined, reason: MissReason, count = 1) {
      misses.labels(layer, name(operation), reason).inc(count);
    },
    fill(layer: CacheLayer, operation: string | null | undefined, size: number) {
      fills.labels(layer, name(operation)).inc();
      bytes.labels(layer, 'write').inc(size);
    },
    purge(operation: string | null | undefined, count: number) {
      purges.labels(name(operation)).inc(count);
    },
    storeError() {
      storeErrors.inc();
    },
  };
}

export type CacheMetrics = ReturnType<typeof createCacheMetrics>;
