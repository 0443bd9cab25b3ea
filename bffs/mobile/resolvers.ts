import type { BffContext } from '../kit/context.ts';
import type { BffResolvers } from '../kit/create-bff.ts';
import { bestEffort, type FieldRules } from '../kit/rules.ts';
import { child, read, ref, type SourceRef } from '../kit/source.ts';
import {
  MobileAccountDocument,
  type MobileAccountQuery,
  MobileModelsDocument,
  type MobileModelsQuery,
  MobileStatusDocument,
  type MobileStatusQuery,
} from './generated/operations.ts';

type Tenant = NonNullable<MobileAccountQuery['tenant']>;
type ModelNode = NonNullable<MobileModelsQuery['models']>['nodes'][number];
type TopModelSource = { id: string; name: string; requests7d: number; source: SourceRef };

const account = async (ctx: BffContext) => ref(await ctx.gateway.load(MobileAccountDocument, {}));

export const resolvers: BffResolvers = {
  Query: {
    home: () => ({}),
  },
  Home: {
    greeting: async (_parent, _args, ctx) => {
      const viewer = read<NonNullable<MobileAccountQuery['viewer']>>(child(await account(ctx), 'viewer'));
      return viewer && `Hi ${viewer.name}`;
    },
    quotaPercent: async (_parent, _args, ctx) => {
      const tenant = child(await account(ctx), 'tenant');
      const quota = read<Tenant['quota']>(child(tenant, 'quota'));
      const usage = read<NonNullable<Tenant['usage']>>(child(tenant, 'usage'));
      if (!quota || !usage) return null;
      return Math.round(((usage.tokensIn + usage.tokensOut) / quota.tokenLimit) * 1000) / 10;
    },
    topModels: async (_parent, _args, ctx) => {
      const nodes = ref(await ctx.gateway.load(MobileModelsDocument, {}), ['models', 'nodes']);
      const list = read<ModelNode[]>(nodes);
      if (!list) return null;
      // Ranking needs every model's usage: if metering failed, the list cannot be ranked at all.
      const ranked = list.map((node, i) => {
        const usage = read<NonNullable<ModelNode['usage']>>(child(nodes, i, 'usage'));
        return { id: node.id, name: node.name, requests7d: usage?.requests ?? 0, source: child(nodes, i) };
      });
      return ranked
        .filter((model) => model.requests7d > 0)
        .sort((a, b) => b.requests7d - a.requests7d || a.id.localeCompare(b.id))
        .slice(0, 3);
    },
    status: async (_parent, _args, ctx) =>
      read<NonNullable<MobileStatusQuery['health']>>(
        ref(await ctx.gateway.load(MobileStatusDocument, {}), ['health']),
      )?.status ?? null,
  },
  TopModel: {
    available: (model) => {
      const availability = read<{ status: string }>(child((model as TopModelSource).source, 'availability'));
      return availability ? availability.status !== 'OUTAGE' && availability.status !== 'DEGRADED' : null;
    },
  },
};

/** Everything on the home screen is best-effort; the status may be 5 minutes stale. */
export const rules: FieldRules = {
  'Home.greeting': bestEffort(),
  'Home.quotaPercent': bestEffort({ maxAgeMs: 600_000, scope: 'caller' }),
  'Home.topModels': bestEffort(),
  'Home.status': bestEffort({ maxAgeMs: 300_000, scope: 'public' }),
  'TopModel.available': bestEffort(),
};
