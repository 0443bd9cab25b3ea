import { fieldError } from '../../platform/errors.ts';
import type { SubgraphResolvers } from '../shared/build.ts';
import { requireTenant, type SubgraphContext } from '../shared/identity.ts';
import { allModelIds, bucket, type Usage, type UsageWindow, usageFor } from './data.ts';

type WindowArgs = { window: UsageWindow };

export const resolvers: SubgraphResolvers = {
  Query: {
    usage: (_: unknown, { window }: WindowArgs, { identity }: SubgraphContext) =>
      usageFor(requireTenant(identity), allModelIds, window),
  },
  Tenant: {
    __resolveReference: ({ id }: { id: string }) => ({ id }),
    usage: ({ id }: { id: string }, { window }: WindowArgs, { identity }: SubgraphContext) => {
      // Operators (scope admin) may read any tenant's usage; everyone else only their own.
      if (requireTenant(identity) !== id && !identity.scopes.includes('admin')) {
        throw fieldError('FORBIDDEN', "another tenant's usage");
      }
      return usageFor(id, allModelIds, window);
    },
  },
  Model: {
    __resolveReference: ({ id }: { id: string }) => ({ id }),
    usage: ({ id }: { id: string }, { window }: WindowArgs, { identity }: SubgraphContext) =>
      usageFor(requireTenant(identity), [id], window),
  },
  Usage: {
    series: (usage: Usage, { granularity }: { granularity: 'HOUR' | 'DAY' }) => bucket(usage, granularity),
  },
};
