import { z } from 'zod';

/**
 * Persisted queries: automatic (APQ: a client sends a hash, the query text only when the gateway
 * does not know it yet) and, optionally, a safelist of the BFFs' operations, outside which
 * nothing runs.
 */
export const persistedQueriesSection = z
  .strictObject({
    apq: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** How long a registered query is kept; a client re-registers it after that. */
        ttlSec: z.number().int().positive().default(86_400),
        /** Prefix of the keys in Redis (when `redisUrl` is set); Apollo Server adds `apq:` after it. */
        redisKeyPrefix: z.string().min(1).default('portico:'),
        /** A Redis read slower than this is treated as a miss, so an outage never holds up a request. */
        redisTimeoutMs: z.number().int().positive().default(250),
      })
      .prefault({}),
    /** Only operations in the manifest may run (by hash or identical document); others are refused. */
    safelist: z.boolean().default(false),
    /** The manifest `npm run manifest` writes and the gateway loads in safelist mode. */
    manifest: z.string().min(1).default('persisted-operations.json'),
    /** Operation files (globs from the project root) the manifest is built from. */
    operations: z.array(z.string().min(1)).min(1).default(['bffs/*/operations/*.graphql']),
  })
  .prefault({});
