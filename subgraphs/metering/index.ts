import { loadTypeDefs, type SubgraphDefinition } from '../shared/build.ts';
import { resolvers } from './resolvers.ts';

/** Usage metering: extends `Tenant` and `Model` with `usage(window)`. */
export const definition = (): SubgraphDefinition => ({
  name: 'metering',
  typeDefs: loadTypeDefs('metering'),
  resolvers,
});
