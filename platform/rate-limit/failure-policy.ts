import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../logger.ts';

export type FailureMode = 'open' | 'closed';

export interface StoreFailurePolicy {
  readonly mode: FailureMode;
  /** Records a store failure (log, counter); the caller then serves (open) or answers 503 (closed). */
  failed(error: Error, context?: Record<string, unknown>): void;
}

const METRIC = 'rate_limit_store_failures_total';

function counterIn(registry: Registry | undefined): Counter<'mode'> | null {
  if (!registry) return null;
  const existing = registry.getSingleMetric(METRIC) as Counter<'mode'> | undefined;
  return (
    existing ??
    new Counter({
      name: METRIC,
      help: 'Rate-limit checks the store could not answer in time; by what was done (open: served, closed: 503)',
      labelNames: ['mode'] as const,
      registers: [registry],
    })
  );
}

/**
 * What a rate-limit check does when its store cannot answer: `open` serves the request as if it
 * were under every limit, `closed` refuses it with 503 (a capacity problem of ours, never a 429).
 * Either way the failure is counted, and logged at warn: the first of an outage at once, then at
 * most once a minute with the number left unlogged, so an outage cannot flood the log.
 */
export function storeFailurePolicy(options: {
  mode: FailureMode;
  log: Logger;
  metrics?: Registry;
}): StoreFailurePolicy {
  const counter = counterIn(options.metrics);
  let lastLogged = 0;
  let unlogged = 0;
  return {
    mode: options.mode,
    failed(error, context = {}) {
      counter?.inc({ mode: options.mode });
      const now = Date.now();
      if (now - lastLogged < 60_000) {
        unlogged += 1;
        return;
      }
      options.log.warn(
        { err: error, ...context, unlogged, onStoreFailure: options.mode },
        options.mode === 'open'
          ? 'rate-limit store unavailable: serving without limits'
          : 'rate-limit store unavailable: refusing with 503',
      );
      lastLogged = now;
      unlogged = 0;
    },
  };
}
