import type { SubgraphPolicy } from './policy.ts';
import { rollingCounts } from './rolling.ts';

type RetryPolicy = SubgraphPolicy['retry'];

export interface RetryBudget {
  /** Counts a first attempt: each one earns the subgraph a share of a retry. */
  recordCall(): void;
  /** Takes one retry (or hedge) from the budget; false when the budget is spent. */
  tryAcquire(): boolean;
}

/**
 * A retry budget for one subgraph: over a sliding window, retries and hedges may add at most
 * `budgetPercent` of the calls made, or `budgetMinRetries` if that is more. When a backend fails,
 * nearly every call wants a retry; the budget is what keeps retries from multiplying the load on
 * a backend that is already struggling (the same idea as Finagle's and Envoy's retry budgets).
 */
export function createRetryBudget(policy: RetryPolicy, now: () => number = Date.now): RetryBudget {
  const counts = rollingCounts(['calls', 'retries'], policy.budgetWindowMs, now);
  return {
    recordCall: () => counts.add('calls'),
    tryAcquire() {
      const earned = Math.floor((counts.total('calls') * policy.budgetPercent) / 100);
      if (counts.total('retries') >= Math.max(policy.budgetMinRetries, earned)) return false;
      counts.add('retries');
      return true;
    },
  };
}

/** Budgets per subgraph (and canary), kept for the life of the gateway, across schema reloads. */
export function createBudgets(policyFor: (subgraph: string) => SubgraphPolicy) {
  const budgets = new Map<string, RetryBudget>();
  return (key: string, subgraph: string): RetryBudget => {
    let budget = budgets.get(key);
    if (!budget) {
      budget = createRetryBudget(policyFor(subgraph).retry);
      budgets.set(key, budget);
    }
    return budget;
  };
}
export type Budgets = ReturnType<typeof createBudgets>;
