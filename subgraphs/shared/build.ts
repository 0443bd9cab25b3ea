import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { type DocumentNode, Kind, parse } from 'graphql';
import { createAssertionVerifier } from '../../platform/assertion/verify.ts';
import type { PorticoConfig } from '../../platform/config/schema.ts';
import { mountGraphQL } from '../../platform/graphql.ts';
import { projectRoot } from '../../platform/paths.ts';
import { createFieldRateLimits } from '../../platform/rate-limit/directive.ts';
import { createService, type Service } from '../../platform/service.ts';
import { enforceFieldRequirements } from './authorization.ts';
import { installGatewayOnly } from './gateway-only.ts';
import { type SubgraphContext, subgraphContext } from './identity.ts';

export type SubgraphResolvers = GraphQLResolverMap<SubgraphContext>;

export interface SubgraphDefinition {
  name: string;
  typeDefs: DocumentNode;
  resolvers: SubgraphResolvers;
}

export function schemaPath(name: string): string {
  return join(projectRoot, 'subgraphs', name, 'schema.graphql');
}

export function loadTypeDefs(name: string): DocumentNode {
  return parse(readFileSync(schemaPath(name), 'utf8'));
}

function declaresRateLimit(typeDefs: DocumentNode): boolean {
  return typeDefs.definitions.some(
    (d) => d.kind === Kind.DIRECTIVE_DEFINITION && d.name.value === 'rateLimit',
  );
}

/**
 * Builds (without listening) a subgraph service: the federated schema on Apollo Server, on the
 * shared service skeleton. Every subgraph is this function plus its schema, resolvers and data.
 */
export async function buildSubgraph(
  definition: SubgraphDefinition,
  config: Readonly<PorticoConfig>,
): Promise<Service> {
  const service = createService({ name: definition.name, config });
  const development = config.environment === 'development';
  installGatewayOnly(
    service,
    createAssertionVerifier(config.subgraphAuth, {
      audience: definition.name,
      development,
      log: service.logger,
    }),
  );
  const { delayMs } = config.faults;
  if (delayMs > 0) {
    service.logger.warn({ delayMs }, 'fault injection: every GraphQL request is delayed');
    service.app.addHook('onRequest', async (request) => {
      if (request.url.startsWith('/graphql')) await sleep(delayMs);
    });
  }
  let schema = enforceFieldRequirements(
    buildSubgraphSchema({
      typeDefs: definition.typeDefs,
      // The map is typed with our context; buildSubgraphSchema only knows `unknown` contexts.
      resolvers: definition.resolvers as GraphQLResolverMap<unknown>,
    }),
    definition.typeDefs,
  );
  if (declaresRateLimit(definition.typeDefs)) {
    // @rateLimit fields count per caller in the shared store; the gateway reads the same budgets.
    const limits = createFieldRateLimits({
      config,
      service: definition.name,
      log: service.logger,
      metrics: service.metrics,
    });
    schema = limits.apply(schema, (context: SubgraphContext) => context.identity.userId);
    service.app.addHook('onClose', () => limits.close());
    await limits.ready();
  }
  await mountGraphQL<SubgraphContext>({
    service,
    apollo: { schema },
    context: subgraphContext,
    development,
    subgraph: true,
  });
  return service;
}
