import type { SubgraphName } from '../platform/config/runtime.ts';
import type { PorticoConfig } from '../platform/config/schema.ts';
import type { Service } from '../platform/service.ts';
import { definition as billing } from './billing/index.ts';
import { definition as health } from './health/index.ts';
import { definition as metering } from './metering/index.ts';
import { definition as models } from './models/index.ts';
import { buildSubgraph, type SubgraphDefinition } from './shared/build.ts';

export const subgraphDefinitions: Record<SubgraphName, () => SubgraphDefinition> = {
  models,
  billing,
  metering,
  health,
};

/** Builds one subgraph service without listening; tests and the launcher both start here. */
export function buildSubgraphService(name: SubgraphName, config: Readonly<PorticoConfig>): Promise<Service> {
  return buildSubgraph(subgraphDefinitions[name](), config);
}
