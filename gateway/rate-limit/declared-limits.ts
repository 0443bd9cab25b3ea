import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { VerifiedIdentity } from '../../platform/auth/verify.ts';
import type { DeclaredLimitConfig } from '../../platform/config/rate-limits.ts';
import type { LimiterStore } from '../../platform/rate-limit/store.ts';

/** What the limits of `portico.yaml` are judged on; the costly facts are computed only when asked. */
export interface RequestFacts {
  identity: VerifiedIdentity | null;
  clientIp: string;
  /** The name of the operation being run (from the document), if it has one. */
  operationName: string | null;
  subgraphs(): ReadonlySet<string>;
  cost(): number;
}

export interface DeclaredLimit {
  readonly config: DeclaredLimitConfig;
  readonly limiter: RateLimiterAbstract;
}

/** One limiter per declared limit, its keys namespaced by the limit's name. */
export function declareLimits(
  limits: readonly DeclaredLimitConfig[],
  store: LimiterStore,
  keyPrefix: string,
): DeclaredLimit[] {
  return limits.map((config) => ({
    config,
    limiter: store.limiter({
      keyPrefix: `${keyPrefix}${config.name}`,
      points: config.limit,
      durationSec: config.windowSec,
    }),
  }));
}

function keyValue(per: DeclaredLimitConfig['per'], facts: RequestFacts): string | null {
  switch (per) {
    case 'tenant':
      return facts.identity?.tenant ?? null;
    case 'user':
      return facts.identity?.subject ?? null;
    case 'apiKey':
      return facts.identity?.client ?? null;
    case 'ip':
      return facts.clientIp || null;
  }
}

/**
 * The store key of a limit for this request, or null when the limit does not apply to it: the
 * caller lacks the key (no tenant in the token, no token for a user limit), is not among `callers`
 * (anonymous, authenticated, or authenticated without a tenant),
 * or the operation is outside the limit's `operations` / `subgraphs`.
 */
export function keyFor(limit: DeclaredLimitConfig, facts: RequestFacts): string | null {
  if (limit.callers === 'anonymous' && facts.identity) return null;
  if (limit.callers === 'authenticated' && !facts.identity) return null;
  if (limit.callers === 'tenantless' && (!facts.identity || facts.identity.tenant)) return null;
  const value = keyValue(limit.per, facts);
  if (value === null) return null;
  if (limit.operations && (facts.operationName === null || !limit.operations.includes(facts.operationName))) {
    return null;
  }
  if (limit.subgraphs) {
    const touched = facts.subgraphs();
    if (!limit.subgraphs.some((name) => touched.has(name))) return null;
  }
  return `${limit.per}:${value}`;
}
