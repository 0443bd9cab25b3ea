import { peek, secondsUntilReset } from '../../platform/rate-limit/attempt.ts';
import { fieldLimiterPrefix, fieldLimitKey } from '../../platform/rate-limit/directive.ts';
import type { StoreFailurePolicy } from '../../platform/rate-limit/failure-policy.ts';
import type { PolicyState } from '../../platform/rate-limit/headers.ts';
import type { LimiterStore } from '../../platform/rate-limit/store.ts';
import type { RateLimitedField } from './operation-fields.ts';

export type FieldVerdict =
  | { kind: 'ok' }
  | { kind: 'limited'; refusing: PolicyState }
  | { kind: 'unavailable' };

/**
 * `@rateLimit` budgets are counted by the subgraphs that resolve the fields (graphql-rate-limit-
 * directive wraps their resolvers). The gateway only reads them, in the same store and under the
 * same keys, and refuses before planning an operation that selects a field whose budget is spent:
 * counting here too would charge every call twice. A budget that runs out during an operation is
 * still enforced by the subgraph (the field comes back null with RATE_LIMITED).
 *
 * Only a shared store shows the subgraphs' counts: with an in-memory store this check is off.
 */
export function createFieldLimitCheck(store: LimiterStore, policy: StoreFailurePolicy, keyPrefix: string) {
  return async (fields: readonly RateLimitedField[], caller: string): Promise<FieldVerdict> => {
    if (store.kind !== 'redis' || fields.length === 0) return { kind: 'ok' };
    const reads = fields.flatMap((field) =>
      field.subgraphs.map(async (subgraph) => {
        const limiter = store.limiter({
          keyPrefix: fieldLimiterPrefix(keyPrefix, subgraph, field.args),
          points: field.args.limit,
          durationSec: field.args.duration,
        });
        return { field, result: await peek(limiter, fieldLimitKey(field.coordinate, caller)) };
      }),
    );
    let refusing: PolicyState | null = null;
    let failed = false;
    for (const { field, result } of await Promise.all(reads)) {
      if (result.status === 'failed') {
        failed = true;
        policy.failed(result.error, { field: field.coordinate });
        continue;
      }
      if (!result.res || result.res.remainingPoints > 0) continue;
      const state: PolicyState = {
        name: field.coordinate,
        quota: field.args.limit,
        windowSec: field.args.duration,
        unit: 'requests',
        remaining: 0,
        resetSec: secondsUntilReset(result.res),
      };
      if (!refusing || state.resetSec > refusing.resetSec) refusing = state;
    }
    if (failed && policy.mode === 'closed') return { kind: 'unavailable' };
    return refusing ? { kind: 'limited', refusing } : { kind: 'ok' };
  };
}
