import { z } from 'zod';
import { subgraphNames } from './runtime.ts';

/**
 * One declared limit: `limit` units per `windowSec` for each value of the `per` key. Units are
 * requests (one per operation) or the operation's estimated cost. A limit applies to an operation
 * when the caller has the key (a tenant limit skips tokens without a tenant), matches `callers`,
 * and, when given, `operations` (by name) and `subgraphs` (the operation reads from one of them).
 */
const declaredLimit = z.strictObject({
  /** Shown to clients in the RateLimit headers and used in store keys: letters, digits, . _ - */
  name: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'use letters, digits, ".", "_" or "-" (at most 64)'),
  /**
   * Whose budget: the token's tenant, its subject (user), its API client (the claim named by
   * auth.claims.client), or the client IP (see gateway.trustProxy behind a load balancer).
   */
  per: z.enum(['tenant', 'user', 'apiKey', 'ip']),
  measure: z.enum(['requests', 'cost']).default('requests'),
  limit: z.number().int().positive(),
  windowSec: z.number().int().positive(),
  /**
   * `anonymous`: only requests without a token; `authenticated`: only requests with one;
   * `tenantless`: only requests whose token names no tenant (operators, service accounts), which
   * no tenant limit can cover.
   */
  callers: z.enum(['all', 'anonymous', 'authenticated', 'tenantless']).default('all'),
  /** Only operations with these names (names are the client's choice: see docs/rate-limits.md). */
  operations: z.array(z.string().min(1)).min(1).optional(),
  /** Only operations that read from at least one of these subgraphs. */
  subgraphs: z.array(z.enum(subgraphNames)).min(1).optional(),
});

export type DeclaredLimitConfig = z.infer<typeof declaredLimit>;

/**
 * The limits that apply when portico.yaml declares none: every caller is under at least one.
 * A tenant's users share the tenant's budget; a token without a tenant has its own, per user and
 * per API client; anonymous callers are limited per IP. portico.yaml repeats these explicitly.
 */
export const defaultLimits: z.input<typeof declaredLimit>[] = [
  { name: 'tenant-requests', per: 'tenant', limit: 600, windowSec: 60 },
  { name: 'tenant-cost', per: 'tenant', measure: 'cost', limit: 2_000_000, windowSec: 86_400 },
  { name: 'user-requests', per: 'user', callers: 'tenantless', limit: 600, windowSec: 60 },
  {
    name: 'user-cost',
    per: 'user',
    callers: 'tenantless',
    measure: 'cost',
    limit: 2_000_000,
    windowSec: 86_400,
  },
  { name: 'client-requests', per: 'apiKey', callers: 'tenantless', limit: 1_200, windowSec: 60 },
  { name: 'anonymous-ip', per: 'ip', callers: 'anonymous', limit: 20, windowSec: 1 },
];

/**
 * Rate limits and cost quotas. The gateway enforces `limits` before planning; the subgraphs (and
 * BFFs) enforce the `@rateLimit` fields of their own schemas, and the gateway refuses an
 * operation whose `@rateLimit` field budget is already spent. State lives in Redis when
 * `redisUrl` is set (shared by every replica), else in memory (or, in cluster mode, in the
 * primary process).
 */
export const rateLimitsSection = z
  .strictObject({
    enabled: z.boolean().default(true),
    /**
     * When the store cannot answer in time: `open` serves the request unlimited (a warning and the
     * rate_limit_store_failures_total counter), `closed` answers 503 GATEWAY_UNAVAILABLE.
     */
    onStoreFailure: z.enum(['open', 'closed']).default('open'),
    /** Prefix of the limiter keys in Redis. */
    redisKeyPrefix: z.string().min(1).default('portico:rl:'),
    /** A store call slower than this has failed; every request waits on it, so keep it short. */
    storeTimeoutMs: z.number().int().positive().default(100),
    /** The gateway also checks `@rateLimit` field budgets before planning (needs a shared store). */
    fieldLimits: z.boolean().default(true),
    cost: z
      .strictObject({
        /** Assumed length of a list field without `@listSize`. */
        defaultListSize: z.number().int().min(0).default(10),
        /** Added once for a mutation, as Apollo's demand control does. */
        mutationCost: z.number().int().min(0).default(10),
      })
      .prefault({}),
    limits: z.array(declaredLimit).default(() => defaultLimits.map((limit) => declaredLimit.parse(limit))),
  })
  .superRefine((section, context) => {
    const seen = new Set<string>();
    section.limits.forEach((limit, index) => {
      if (seen.has(limit.name)) {
        context.addIssue({
          code: 'custom',
          path: ['limits', index, 'name'],
          message: `duplicate limit name "${limit.name}"`,
        });
      }
      seen.add(limit.name);
    });
  })
  .prefault({});
