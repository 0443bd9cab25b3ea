import type { ServiceEndpointDefinition } from '@apollo/gateway';
import type { PorticoConfig } from '../../platform/config/schema.ts';
import { SubgraphDataSource } from './data-source.ts';
import { createAgentPool, createHttpCall } from './http.ts';
import { timeoutInterceptor } from './timeout.ts';
import { compose, type Interceptor } from './types.ts';

type GatewayConfig = PorticoConfig['gateway'];

/** A subgraph's effective transport policy: its own settings over the defaults. */
export function policyFor(config: GatewayConfig, subgraph: string) {
  return { ...config.subgraphDefaults, ...config.subgraphs[subgraph] };
}

/**
 * The subgraph side of the gateway. State that must outlive a supergraph reload (connection pools,
 * and later breakers and budgets) lives here, not in the data sources, which @apollo/gateway
 * rebuilds on every schema change.
 *
 *   data source -> timeout -> http (undici agent per subgraph)
 */
export function createTransport(
  config: GatewayConfig,
  auth: Pick<PorticoConfig['auth'], 'strippedHeaderPrefix'>,
) {
  const agents = createAgentPool((subgraph) => policyFor(config, subgraph).connections);
  const interceptors: Interceptor[] = [
    timeoutInterceptor((subgraph) => policyFor(config, subgraph).timeoutMs),
  ];
  const call = compose(createHttpCall(agents.agentFor), interceptors);
  const headers = { propagate: config.propagateHeaders, strippedPrefix: auth.strippedHeaderPrefix };
  return {
    buildService({ name, url }: ServiceEndpointDefinition) {
      const policy = policyFor(config, name);
      return new SubgraphDataSource({
        subgraph: name,
        url: policy.url ?? url ?? '',
        call,
        headers,
        exposure: {
          exposeMessages: policy.exposeErrorMessages,
          exposeExtensions: policy.exposeErrorExtensions,
        },
      });
    },
    close: () => agents.close(),
  };
}
