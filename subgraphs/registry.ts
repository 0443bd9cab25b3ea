import type { PorticoConfig } from '../platform/config/schema.ts';
import type { Service } from '../platform/service.ts';
import { buildService, type SubgraphName } from '../platform/services.ts';

/** Builds one subgraph service without listening; tests and `portico serve` both start here. */
export function buildSubgraphService(name: SubgraphName, config: Readonly<PorticoConfig>): Promise<Service> {
  return buildService(name, config);
}
