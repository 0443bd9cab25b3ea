import { loadTypeDefs, type SubgraphDefinition } from '../shared/build.ts';
import { resolvers } from './resolvers.ts';

/** Tenants, plans, quotas and invoices: `Tenant` is defined here and extended by metering. */
export const definition = (): SubgraphDefinition => ({
  name: 'billing',
  typeDefs: loadTypeDefs('billing'),
  resolvers,
});
