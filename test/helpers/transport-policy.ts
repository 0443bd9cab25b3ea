import type { SubgraphPolicy } from '../../gateway/transport/policy.ts';
import { testConfig } from './config.ts';

type Sections = Pick<SubgraphPolicy, 'breaker' | 'retry' | 'hedge'>;

/** A subgraph transport policy as the gateway would read it: portico.yaml's defaults, with overrides. */
export function transportPolicy(
  overrides: { [K in keyof Sections]?: Partial<Sections[K]> } = {},
): SubgraphPolicy {
  return testConfig({ gateway: { subgraphDefaults: overrides } }).gateway.subgraphDefaults as SubgraphPolicy;
}

/** A clock the test moves by hand: `now()` for code that takes one, `advance(ms)` to move it. */
export function manualClock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}
