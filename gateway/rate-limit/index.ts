import { Counter, type Registry } from 'prom-client';
import type { PorticoConfig } from '../../platform/config/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import { type StoreFailurePolicy, storeFailurePolicy } from '../../platform/rate-limit/failure-policy.ts';
import { createLimiterStore, type LimiterStore } from '../../platform/rate-limit/store.ts';
import { type DeclaredLimit, declareLimits } from './declared-limits.ts';
import { createFieldLimitCheck } from './field-limits.ts';

export interface GatewayRateLimits {
  settings: PorticoConfig['rateLimits'];
  store: LimiterStore;
  policy: StoreFailurePolicy;
  limits: DeclaredLimit[];
  checkFields: ReturnType<typeof createFieldLimitCheck>;
  /** Counts refusals by the limit (or field) that refused, for /metrics. */
  refused: Counter<'limit'>;
  close(): Promise<void>;
}

/**
 * The gateway's rate-limiting state, built once at start: the limiter store (Redis when
 * `redisUrl` is set, shared by every replica), one limiter per declared limit, and the reader of
 * the subgraphs' `@rateLimit` budgets.
 */
export function createGatewayRateLimits(
  config: Pick<PorticoConfig, 'redisUrl' | 'rateLimits'>,
  deps: { log: Logger; metrics: Registry },
): GatewayRateLimits {
  const settings = config.rateLimits;
  const store = createLimiterStore({
    redisUrl: config.redisUrl,
    timeoutMs: settings.storeTimeoutMs,
    log: deps.log,
    name: 'rate-limit',
  });
  const policy = storeFailurePolicy({ mode: settings.onStoreFailure, log: deps.log, metrics: deps.metrics });
  deps.log.info(
    {
      store: store.kind,
      limits: settings.limits.map((l) => l.name),
      onStoreFailure: settings.onStoreFailure,
    },
    'rate limits',
  );
  return {
    settings,
    store,
    policy,
    limits: declareLimits(settings.limits, store, settings.redisKeyPrefix),
    checkFields: createFieldLimitCheck(store, policy, settings.redisKeyPrefix),
    refused: new Counter({
      name: 'gateway_rate_limited_total',
      help: 'Operations refused with 429, by the limit (or @rateLimit field) that refused them',
      labelNames: ['limit'] as const,
      registers: [deps.metrics],
    }),
    close: () => store.close(),
  };
}
