import { z } from 'zod';
import { queryLimitsOverride, queryLimitsSection } from './limits.ts';

const bff = (deadlineMs: number) =>
  z
    .strictObject({
      /** Every request of this BFF ends by then (or by the client's own deadline, if sooner). */
      deadlineMs: z.number().int().positive().default(deadlineMs),
      /** This BFF's changes to `bffs.limits`, key by key. */
      limits: queryLimitsOverride.default({}),
    })
    .prefault({});

/**
 * What one request may ask of a BFF. A BFF's schema is shaped for its screens, so its operations
 * are smaller than the gateway's: the deepest real one is 4 levels (`dashboard.models.
 * availability.status`), the widest 3 root fields (the CLI's status, models and usage), about
 * 80 tokens, no aliases and no directives. Each default leaves room for the next screens; batching
 * is off (clients send one screen's query at a time).
 */
const bffLimits = queryLimitsSection({
  maxDepth: 8,
  maxAliases: 10,
  maxRootFields: 5,
  maxTokens: 500,
  maxDirectives: 10,
  maxBatchOperations: 1,
  maxVariablesBytes: 4_096,
});

/** The backends-for-frontends: where the gateway is and how long each frontend may wait. */
export const bffsSection = z
  .strictObject({
    /** The gateway (or the load balancer in front of its replicas). */
    gatewayUrl: z.url().default('http://127.0.0.1:4000/graphql'),
    /** Keep-alive connections each BFF holds to the gateway. */
    connections: z.number().int().positive().default(32),
    /** Kept back from each gateway call's share of the deadline, for the BFF's own work. */
    deadlineMarginMs: z.number().int().min(0).default(25),
    /** Retries of a gateway call that could not connect or got 502/503/504 (queries only). */
    retries: z.number().int().min(0).max(3).default(1),
    /** Last-known-good values kept for stale-if-error fields, per BFF process. */
    staleCacheEntries: z.number().int().positive().default(10_000),
    /** Query limits of every BFF (each may change some under `bffs.<name>.limits`). */
    limits: bffLimits,
    /**
     * Gateway calls one BFF request may make, however it is written: our screens need 3 or 4, so a
     * hostile request cannot spend more than this of its caller's gateway rate limit.
     */
    maxGatewayCalls: z.number().int().positive().default(8),
    web: bff(3_000),
    mobile: bff(2_000),
    cli: bff(5_000),
  })
  .prefault({});
