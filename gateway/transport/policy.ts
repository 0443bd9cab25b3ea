import type { PorticoConfig } from '../../platform/config/schema.ts';

type GatewayConfig = PorticoConfig['gateway'];
type Defaults = GatewayConfig['subgraphDefaults'];
type Override = NonNullable<GatewayConfig['subgraphs'][string]>;

/** A subgraph's effective transport policy: its own settings over the defaults, key by key. */
export type SubgraphPolicy = Omit<Defaults, 'url'> & Pick<Override, 'url' | 'canary'>;

function defined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function mergePolicy(defaults: Defaults, own: Override | undefined): SubgraphPolicy {
  const { retry, breaker, hedge, ...flat } = own ?? {};
  return {
    ...defaults,
    ...defined(flat),
    retry: { ...defaults.retry, ...defined(retry) },
    breaker: { ...defaults.breaker, ...defined(breaker) },
    hedge: { ...defaults.hedge, ...defined(hedge) },
  };
}

/**
 * Policies are read on every call by every interceptor; config is frozen at start, so each
 * subgraph's merge is done once.
 */
export function createPolicies(config: GatewayConfig): (subgraph: string) => SubgraphPolicy {
  const cache = new Map<string, SubgraphPolicy>();
  return (subgraph) => {
    let policy = cache.get(subgraph);
    if (!policy) {
      policy = mergePolicy(config.subgraphDefaults, config.subgraphs[subgraph]);
      cache.set(subgraph, policy);
    }
    return policy;
  };
}
