import { z } from 'zod';

const bff = (deadlineMs: number) =>
  z
    .strictObject({
      /** Every request of this BFF ends by then (or by the client's own deadline, if sooner). */
      deadlineMs: z.number().int().positive().default(deadlineMs),
    })
    .prefault({});

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
    web: bff(3_000),
    mobile: bff(2_000),
    cli: bff(5_000),
  })
  .prefault({});
