import type { UsageSettings } from '../../platform/config/telemetry.ts';
import type { Logger } from '../../platform/logger.ts';
import { createMemoryUsageStore } from './memory-store.ts';
import type { OperationMeta, RecordedOperation } from './record.ts';
import { createRedisUsageStore } from './redis-store.ts';

/** Where recorded usage lives: counted per request, read back by the export. */
export interface UsageStore {
  readonly kind: 'memory' | 'redis';
  /**
   * Counts one request (`weight` when sampled) of the operation under `key`; `describe` runs only
   * for a key not seen before. False when the key is new and the store is full (not recorded).
   */
  record(key: string, describe: () => OperationMeta, weight: number): boolean;
  /** Every operation seen in [since, until], with its count over that window. */
  read(since: number, until: number): Promise<RecordedOperation[]>;
  close(): Promise<void>;
}

export function createUsageStore(
  settings: UsageSettings,
  redisUrl: string | undefined,
  log: Logger,
): UsageStore {
  return redisUrl ? createRedisUsageStore(settings, redisUrl, log) : createMemoryUsageStore(settings);
}
