import { z } from 'zod';

/**
 * The gateway's response cache (whole answers of cacheable queries) and entity cache (the
 * `_entities` answers of subgraphs), both driven by the `@cacheControl` hints in the supergraph.
 * In Redis when `redisUrl` is set (shared by every replica, with a small memory tier in front),
 * in memory otherwise. docs/caching.md explains each setting.
 */
export const cacheSection = z
  .strictObject({
    /**
     * On by default: nothing is cached that the schema does not declare cacheable, PRIVATE data is
     * keyed by the verified tenant and user, and an answer with any error is never kept.
     */
    enabled: z.boolean().default(true),
    /** Caps every hint: nothing is kept longer than this, whatever the schema says. */
    maxTtlSec: z.number().int().positive().default(300),
    /** Memory per gateway process for the cache tier in front of Redis (or the only tier). */
    memoryBytes: z
      .number()
      .int()
      .positive()
      .default(32 * 1024 * 1024),
    /**
     * How long an entry read from Redis is kept in memory. Purges reach every replica at once
     * through Redis pub/sub; this bounds staleness only when a purge message was lost (outage).
     */
    localTtlSec: z.number().int().positive().default(5),
    /** Answers larger than this are served but not kept. */
    maxEntryBytes: z
      .number()
      .int()
      .positive()
      .default(512 * 1024),
    /** Prefix of the keys in Redis. */
    redisKeyPrefix: z.string().min(1).default('portico:cache:'),
    /** A Redis command slower than this is a miss (read) or skipped (write): never an error, never a hang. */
    redisTimeoutMs: z.number().int().positive().default(100),
    /**
     * With Redis, one replica fills a missed key while the others wait for its entry: the fill
     * holds a lock in Redis at most this long (never past its request's deadline), and the others
     * wait at most this long (and half of what is left of their deadline) before filling themselves.
     */
    fillLockMs: z.number().int().positive().default(2_000),
    /**
     * Operators skip the cache for one request with the header `x-portico-cache: bypass`, when
     * their verified token carries this scope; from anyone else the header is ignored.
     */
    bypassScope: z.string().min(1).default('admin'),
    /** Second level: cached `_entities` answers per type, key and scope, shared by different queries. */
    entities: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
  })
  .prefault({});

export type CacheConfig = z.infer<typeof cacheSection>;
