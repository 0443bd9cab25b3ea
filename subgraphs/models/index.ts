import { loadTypeDefs, type SubgraphDefinition } from '../shared/build.ts';
import { resolvers } from './resolvers.ts';

/** The model catalogue: `Model` is defined here and extended by metering and health. */
export const definition = (): SubgraphDefinition => ({
  name: 'models',
  typeDefs: loadTypeDefs('models'),
  resolvers,
});
