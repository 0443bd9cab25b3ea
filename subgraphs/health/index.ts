import { loadTypeDefs, type SubgraphDefinition } from '../shared/build.ts';
import { resolvers } from './resolvers.ts';

/** Platform health and per-model availability (extends `Model`). Public: no identity needed. */
export const definition = (): SubgraphDefinition => ({
  name: 'health',
  typeDefs: loadTypeDefs('health'),
  resolvers,
});
