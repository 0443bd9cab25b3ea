import { z } from 'zod';
import { CANARY_HEADER } from '../headers.ts';

/*
 * The per-subgraph transport policy. Every key may be set under `gateway.subgraphDefaults` or under
 * `gateway.subgraphs.<name>`; a subgraph's own keys win key by key, nested groups (retry, breaker,
 * hedge) included. The override schemas carry no defaults on purpose: zod fills defaults even
 * inside `.partial()`, which would make every override silently reset the defaults.
 */

const ms = z.number().int().min(0);
const positiveMs = z.number().int().positive();

const retryShape = {
  /** Attempts per call, the first included; 1 turns retries off. Queries only, never mutations. */
  maxAttempts: z.number().int().min(1).max(5),
  /** Exponential backoff with full jitter: attempt n waits random(0, min(maxDelayMs, baseDelayMs * 2^n)). */
  baseDelayMs: ms,
  maxDelayMs: ms,
  /** A Retry-After longer than this is not waited for: the call fails at once instead. */
  maxRetryAfterMs: ms,
  /** Retries (and hedges) allowed per subgraph, as a percentage of its calls in the window. */
  budgetPercent: z.number().min(0).max(100),
  /** Retries always allowed per window, so a quiet subgraph can still retry a blip. */
  budgetMinRetries: z.number().int().min(0),
  budgetWindowMs: positiveMs,
};

const breakerShape = {
  enabled: z.boolean(),
  /** Rolling window over which the failure ratio is measured. */
  windowMs: positiveMs,
  /** Calls the window must hold before the ratio can open the circuit. */
  minimumCalls: z.number().int().positive(),
  /** Share of failed calls (unavailable, timeout, 5xx, unreadable) that opens the circuit. */
  failureRatio: z.number().gt(0).max(1),
  /** How long an open circuit fails calls fast before letting probes through. */
  openMs: positiveMs,
  /** Probe calls let through while half-open; this many successes in a row close the circuit. */
  halfOpenProbes: z.number().int().positive(),
};

const hedgeShape = {
  enabled: z.boolean(),
  /** A fixed hedge delay; when unset, the percentile of the subgraph's recent latencies. */
  delayMs: positiveMs.optional(),
  percentile: z.number().gt(0).max(100),
  /** Successful calls measured before a percentile delay is trusted; no hedging until then. */
  minSamples: z.number().int().positive(),
};

export const retryDefaults = {
  maxAttempts: 3,
  baseDelayMs: 25,
  maxDelayMs: 250,
  maxRetryAfterMs: 1_000,
  budgetPercent: 10,
  budgetMinRetries: 3,
  budgetWindowMs: 10_000,
};
export const breakerDefaults = {
  enabled: true,
  windowMs: 10_000,
  minimumCalls: 10,
  failureRatio: 0.5,
  openMs: 5_000,
  halfOpenProbes: 2,
};
export const hedgeDefaults = { enabled: false, percentile: 95, minSamples: 20 };

/**
 * An alternate routing URL for some traffic: requests whose `header` lists `value` (a comma-separated
 * list, so `x-canary: models,billing` works), plus `percent` of the others, chosen per client request.
 */
const canary = z.strictObject({
  url: z.url(),
  header: z.string().min(1).toLowerCase().default(CANARY_HEADER),
  /** The header value that selects the canary; defaults to the subgraph's name. */
  value: z.string().min(1).optional(),
  percent: z.number().min(0).max(100).default(0),
});

/** Keys shared by defaults and overrides. */
const common = {
  /** Replaces the supergraph's routing URL (compose and tests point at other hosts). */
  url: z.url().optional(),
  /** Per attempt; a request deadline that ends sooner wins. */
  timeoutMs: positiveMs.optional(),
  /** Keep-alive connections held open to this subgraph. */
  connections: z.number().int().positive().optional(),
  /** Let this subgraph's error messages reach clients (they are masked by default). */
  exposeErrorMessages: z.boolean().optional(),
  /** Extension keys of this subgraph's errors that may reach clients. */
  exposeErrorExtensions: z.array(z.string().min(1)).optional(),
  /** Identical concurrent queries (same subgraph, URL, body and forwarded identity) share one call. */
  dedup: z.boolean().optional(),
};

export const subgraphTransport = z.strictObject({
  ...common,
  retry: z.strictObject(retryShape).partial().optional(),
  breaker: z.strictObject(breakerShape).partial().optional(),
  hedge: z.strictObject(hedgeShape).partial().optional(),
  canary: canary.optional(),
});
export type SubgraphTransportConfig = z.infer<typeof subgraphTransport>;

/**
 * A group whose every key may be given or left to its default. The defaults are applied after
 * validation rather than with zod's `.default()`, so the same field schemas serve the override
 * groups, which must not have defaults.
 */
function withDefaults<S extends z.ZodRawShape>(shape: S, defaults: z.output<z.ZodObject<S>>) {
  return z
    .strictObject(shape)
    .partial()
    .optional()
    .transform((given): z.output<z.ZodObject<S>> => ({ ...defaults, ...given }));
}

export const subgraphDefaultsSchema = z
  .strictObject({
    ...common,
    timeoutMs: positiveMs.default(3_000),
    connections: z.number().int().positive().default(64),
    exposeErrorMessages: z.boolean().default(false),
    exposeErrorExtensions: z.array(z.string().min(1)).default([]),
    dedup: z.boolean().default(true),
    retry: withDefaults(retryShape, retryDefaults),
    breaker: withDefaults(breakerShape, breakerDefaults),
    hedge: withDefaults(hedgeShape, hedgeDefaults),
  })
  .prefault({});
export type SubgraphDefaults = z.infer<typeof subgraphDefaultsSchema>;
