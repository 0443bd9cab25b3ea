import { resolveFromRoot } from '../../platform/config/load.ts';
import type { PorticoConfig } from '../../platform/config/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import { createApqStore } from './apq.ts';
import { readManifest } from './manifest.ts';
import { createSafelist, type Safelist } from './safelist.ts';

/**
 * Persisted queries as the gateway runs them: the APQ store handed to Apollo Server and, in
 * safelist mode, the manifest's safelist (loaded once at start; a missing or malformed manifest
 * stops start-up rather than letting everything or nothing through).
 */
export function createPersistedQueries(
  config: Pick<PorticoConfig, 'redisUrl' | 'persistedQueries' | 'limits'>,
  log: Logger,
) {
  const settings = config.persistedQueries;
  const safelist: Safelist | null = settings.safelist
    ? createSafelist(readManifest(resolveFromRoot(settings.manifest)), config.limits.maxTokens)
    : null;
  const { store, close } = createApqStore(config, log, safelist);
  // Safelist mode needs hash lookups even with APQ registration off: APQ clients send only hashes.
  const enabled = settings.apq.enabled || safelist !== null;
  return {
    safelist,
    apollo: enabled ? { cache: store, ttl: settings.apq.ttlSec } : (false as const),
    close,
  };
}
