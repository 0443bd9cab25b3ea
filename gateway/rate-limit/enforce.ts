import { type Attempt, consume, refund, secondsUntilReset } from '../../platform/rate-limit/attempt.ts';
import type { StoreFailurePolicy } from '../../platform/rate-limit/failure-policy.ts';
import type { PolicyState } from '../../platform/rate-limit/headers.ts';
import { type DeclaredLimit, keyFor, type RequestFacts } from './declared-limits.ts';

export type Verdict =
  /** Under every limit that applies (`policies` may be empty); `refund` undoes this request's count. */
  | { kind: 'admitted'; policies: PolicyState[]; refund(): Promise<void> }
  /** Over at least one limit; `refusing` is the one that resets last (the client must wait for it). */
  | { kind: 'limited'; policies: PolicyState[]; refusing: PolicyState }
  /** The operation alone costs more than a cost limit's whole window: waiting will never help. */
  | { kind: 'too-costly'; limit: DeclaredLimit; cost: number }
  /** The store failed and the policy is fail-closed. */
  | { kind: 'unavailable' };

interface Applying {
  limit: DeclaredLimit;
  key: string;
  points: number;
}

function stateOf(limit: DeclaredLimit, attempt: Attempt & { status: 'admitted' | 'limited' }): PolicyState {
  const { name, limit: quota, windowSec, measure } = limit.config;
  return {
    name,
    quota,
    windowSec,
    unit: measure,
    remaining: attempt.status === 'limited' ? 0 : attempt.res.remainingPoints,
    resetSec: secondsUntilReset(attempt.res),
  };
}

/**
 * Counts one operation against every declared limit that applies, all at once (one store round
 * trip in parallel), and judges:
 *
 *   applying limits --consume all--> any failed? -- closed --> unavailable (counts given back)
 *                                         | open: those limits are skipped (and counted as failures)
 *                                    any over? ----------> limited (every count given back)
 *                                         no ------------> admitted
 *
 * A refused operation gives back what it consumed, so refusals never eat into a budget and a
 * client hammering one limit does not drain its others. The refund is best effort (see refund()).
 */
export async function enforceLimits(
  limits: readonly DeclaredLimit[],
  facts: RequestFacts,
  policy: StoreFailurePolicy,
): Promise<Verdict> {
  const applying: Applying[] = [];
  for (const limit of limits) {
    const key = keyFor(limit.config, facts);
    if (key === null) continue;
    const points = limit.config.measure === 'cost' ? facts.cost() : 1;
    if (points > limit.config.limit) return { kind: 'too-costly', limit, cost: points };
    applying.push({ limit, key, points });
  }
  const attempts = await Promise.all(applying.map((a) => consume(a.limit.limiter, a.key, a.points)));
  const giveBack = () =>
    Promise.all(
      applying.map((a, i) => {
        const attempt = attempts[i]!;
        return attempt.status === 'failed'
          ? undefined
          : refund(a.limit.limiter, a.key, a.points, attempt.res);
      }),
    ).then(() => undefined);

  const policies: PolicyState[] = [];
  let failed = false;
  let refusing: PolicyState | null = null;
  for (const [i, a] of applying.entries()) {
    const attempt = attempts[i]!;
    if (attempt.status === 'failed') {
      failed = true;
      policy.failed(attempt.error, { limit: a.limit.config.name });
      continue;
    }
    const state = stateOf(a.limit, attempt);
    policies.push(state);
    if (attempt.status === 'limited' && (!refusing || state.resetSec > refusing.resetSec)) refusing = state;
  }
  if (failed && policy.mode === 'closed') {
    await giveBack();
    return { kind: 'unavailable' };
  }
  if (refusing) {
    await giveBack();
    return { kind: 'limited', policies, refusing };
  }
  return { kind: 'admitted', policies, refund: giveBack };
}
