import type { GraphQLSchema } from 'graphql';
import { type RateLimitArgs, rateLimitDirective } from 'graphql-rate-limit-directive';
import type { Registry } from 'prom-client';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { PorticoConfig } from '../config/schema.ts';
import { fieldError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { consume, secondsUntilReset } from './attempt.ts';
import { type StoreFailurePolicy, storeFailurePolicy } from './failure-policy.ts';
import { createLimiterStore, type LimiterStore, STARTUP_WAIT_MS } from './store.ts';

/**
 * The spec URL a schema links to import `@rateLimit`, so that `@composeDirective` carries it into
 * the supergraph, where the gateway reads it:
 *
 *   extend schema
 *     @link(url: "https://specs.apollo.dev/federation/v2.9", import: [..., "@composeDirective"])
 *     @link(url: "https://specs.portico.dev/rateLimit/v1.0", import: ["@rateLimit"])
 *     @composeDirective(name: "@rateLimit")
 *
 * followed by the directive's definition, `rateLimitDirectiveTypeDefs` (graphql-rate-limit-directive's).
 */
export const RATE_LIMIT_SPEC_URL = 'https://specs.portico.dev/rateLimit/v1.0';
export const { rateLimitDirectiveTypeDefs } = rateLimitDirective();

type LimiterOptions = ConstructorParameters<typeof RateLimiterAbstract>[0];

/** rate-limiter-flexible types RateLimiterAbstract but does not export it at run time; its subclasses extend it. */
const LimiterBase = Object.getPrototypeOf(RateLimiterMemory) as typeof RateLimiterAbstract;

/**
 * Keys of one field limit: per service (a BFF field and a subgraph field may share a name), per
 * limit and window (a changed limit starts afresh, and cluster stores keep one limiter per prefix).
 * The gateway builds the same prefix to read what the subgraphs count.
 */
export function fieldLimiterPrefix(base: string, service: string, args: RateLimitArgs): string {
  return `${base}field:${service}:${args.limit}/${args.duration}`;
}

/** The caller a field budget belongs to: the verified user, or all anonymous callers together. */
export function fieldCallerKey(userId: string | null | undefined): string {
  return userId ? `user:${userId}` : 'anonymous';
}

export function fieldLimitKey(coordinate: string, caller: string): string {
  return `${coordinate}:${caller}`;
}

/**
 * graphql-rate-limit-directive constructs its limiters itself, from a class; this one takes them
 * from the store and applies the failure policy to every consume, so a store outage serves the
 * field (open) or fails it (closed) instead of failing it with the store's raw error.
 */
function limiterClassFor(
  store: LimiterStore,
  policy: StoreFailurePolicy,
  prefix: (args: RateLimitArgs) => string,
): typeof RateLimiterAbstract {
  return class PolicyLimiter extends LimiterBase {
    readonly #inner: RateLimiterAbstract;
    constructor(options: LimiterOptions) {
      super(options);
      const args = { limit: this.points, duration: this.duration };
      this.#inner = store.limiter({
        keyPrefix: prefix(args),
        points: args.limit,
        durationSec: args.duration,
      });
    }
    override async consume(key: string | number, points = 1): Promise<RateLimiterRes> {
      const attempt = await consume(this.#inner, String(key), points);
      if (attempt.status === 'admitted') return attempt.res;
      if (attempt.status === 'limited') throw attempt.res;
      policy.failed(attempt.error, { key: String(key) });
      if (policy.mode === 'open') return new RateLimiterRes(this.points, 0, 0, false);
      throw fieldError('GATEWAY_UNAVAILABLE', 'rate limiting is unavailable; retry shortly', {
        extensions: { retryAfter: 1 },
      });
    }
    override get(key: string | number) {
      return this.#inner.get(key);
    }
    override reward(key: string | number, points?: number) {
      return this.#inner.reward(key, points);
    }
    override delete(key: string | number) {
      return this.#inner.delete(key);
    }
  };
}

export interface FieldRateLimits {
  /**
   * Wraps the resolvers of every `@rateLimit` field (and of the fields of every `@rateLimit`
   * type) of `schema`: each call counts against `limit` per `duration` seconds for its caller,
   * and a call over the limit fails with RATE_LIMITED and `extensions.retryAfter` (seconds).
   * `userOf` names the caller from the request context (null: anonymous).
   */
  apply<TContext>(
    schema: GraphQLSchema,
    userOf: (context: TContext) => string | null | undefined,
  ): GraphQLSchema;
  /** Waits (at most `timeoutMs`) for the store to connect, so the first requests are counted too. */
  ready(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * `@rateLimit` for an Apollo Server of ours (a subgraph, a BFF): graphql-rate-limit-directive's
 * transformer on the shared limiter store (Redis when `redisUrl` is set), with Portico's error
 * shape and failure policy. `service` namespaces the keys and must be what the gateway knows the
 * service as (the subgraph name), so it can read the same budgets before planning.
 */
export function createFieldRateLimits(options: {
  config: Pick<PorticoConfig, 'redisUrl' | 'rateLimits'>;
  service: string;
  log: Logger;
  metrics?: Registry;
}): FieldRateLimits {
  const settings = options.config.rateLimits;
  const store = createLimiterStore({
    redisUrl: options.config.redisUrl,
    timeoutMs: settings.storeTimeoutMs,
    log: options.log,
    name: 'rate-limit',
  });
  const policy = storeFailurePolicy({
    mode: settings.onStoreFailure,
    log: options.log,
    metrics: options.metrics,
  });
  const limiterClass = limiterClassFor(store, policy, (args) =>
    fieldLimiterPrefix(settings.redisKeyPrefix, options.service, args),
  );
  return {
    apply<TContext>(schema: GraphQLSchema, userOf: (context: TContext) => string | null | undefined) {
      if (!settings.enabled) return schema;
      const { rateLimitDirectiveTransformer } = rateLimitDirective<TContext>({
        limiterClass,
        keyGenerator: (_args, _source, _fieldArgs, context, info) =>
          fieldLimitKey(`${info.parentType.name}.${info.fieldName}`, fieldCallerKey(userOf(context))),
        onLimit: (res, args, _source, _fieldArgs, _context, info) => {
          const retryAfter = secondsUntilReset(res);
          throw fieldError(
            'RATE_LIMITED',
            `${info.parentType.name}.${info.fieldName} is limited to ${args.limit} calls per ${args.duration} s; retry in ${retryAfter} s`,
            { extensions: { retryAfter } },
          );
        },
      });
      return rateLimitDirectiveTransformer(schema);
    },
    ready: (timeoutMs = STARTUP_WAIT_MS) => store.ready(timeoutMs),
    close: () => store.close(),
  };
}
