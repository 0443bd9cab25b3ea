import type { VerifiedIdentity } from '../../platform/auth/verify.ts';
import { fieldCallerKey } from '../../platform/rate-limit/directive.ts';
import type { RequestFacts } from './declared-limits.ts';
import { enforceLimits, type Verdict } from './enforce.ts';
import type { FieldVerdict } from './field-limits.ts';
import type { GatewayRateLimits } from './index.ts';
import type { RateLimitedField } from './operation-fields.ts';

/**
 * What the limits need to know of one operation, apart from who sends it: worked out once by the
 * full path (rate-limit plugin) and reused, as is, by the response cache's fast path for the same
 * request, so both count exactly the same thing. `subgraphs` and `cost` stay lazy (and the cost is
 * memoized), as only some limits ask for them.
 */
export interface OperationLimitFacts {
  operationName: string | null;
  subgraphs(): ReadonlySet<string>;
  cost(): number;
  fields: readonly RateLimitedField[];
}

export type Judgement = readonly [Verdict, FieldVerdict];

/** One round of limiter calls for one request: the declared limits and the `@rateLimit` budgets. */
export function judgeLimits(
  rateLimits: GatewayRateLimits,
  operation: OperationLimitFacts,
  caller: { identity: VerifiedIdentity | null; clientIp: string },
): Promise<Judgement> {
  const facts: RequestFacts = {
    identity: caller.identity,
    clientIp: caller.clientIp,
    operationName: operation.operationName,
    subgraphs: operation.subgraphs,
    cost: operation.cost,
  };
  return Promise.all([
    enforceLimits(rateLimits.limits, facts, rateLimits.policy),
    rateLimits.checkFields(operation.fields, fieldCallerKey(caller.identity?.subject)),
  ]);
}

/** Whether a judgement lets the request through (then its RateLimit headers are set). */
export function admitted(
  judgement: Judgement,
): judgement is readonly [Verdict & { kind: 'admitted' }, FieldVerdict] {
  return (
    judgement[0].kind === 'admitted' && judgement[1].kind !== 'unavailable' && judgement[1].kind !== 'limited'
  );
}
