import type { BffContext } from '../kit/context.ts';
import type { BffResolvers } from '../kit/create-bff.ts';
import type { BatchSpec } from '../kit/loaders.ts';
import { bestEffort, type FieldRules } from '../kit/rules.ts';
import { child, read, ref, type SourceRef } from '../kit/source.ts';
import {
  WebAccountDocument,
  type WebAccountQuery,
  WebHealthDocument,
  type WebHealthQuery,
  WebModelsByIdsDocument,
  type WebModelsByIdsQuery,
  WebModelsDocument,
  type WebModelsQuery,
} from './generated/operations.ts';

type Tenant = NonNullable<WebAccountQuery['tenant']>;
type ModelNode = NonNullable<WebModelsQuery['models']>['nodes'][number];
type ModelCardSource = ModelNode & { source: SourceRef };

const account = async (ctx: BffContext) => ref(await ctx.gateway.load(WebAccountDocument, {}));

/** Replacement names for many cards: one `modelsByIds` call, whatever the number of cards. */
const modelsById: BatchSpec<
  string,
  WebModelsByIdsQuery['modelsByIds'][number],
  WebModelsByIdsQuery,
  { ids: string[] }
> = {
  document: WebModelsByIdsDocument,
  variables: (ids) => ({ ids: [...ids] }),
  values: (result, ids) => ids.map((_, i) => read(ref(result, ['modelsByIds', i])) as never),
};

export const resolvers: BffResolvers = {
  Query: {
    dashboard: () => ({}),
  },
  Dashboard: {
    viewer: async (_parent, _args, ctx) =>
      read<WebAccountQuery['viewer']>(child(await account(ctx), 'viewer')),
    tenant: async (_parent, _args, ctx) => {
      const tenant = read<Tenant>(child(await account(ctx), 'tenant'));
      return (
        tenant && {
          id: tenant.id,
          name: tenant.name,
          plan: tenant.plan.name,
          tier: tenant.plan.tier,
          monthlyPrice: tenant.plan.monthlyPrice,
          currency: tenant.plan.currency,
        }
      );
    },
    quota: async (_parent, _args, ctx) => {
      const source = child(await account(ctx), 'tenant');
      const quota = read<Tenant['quota']>(child(source, 'quota'));
      const usage = read<NonNullable<Tenant['usage']>>(child(source, 'usage'));
      if (!quota || !usage) return null;
      const tokensUsed = usage.tokensIn + usage.tokensOut;
      return {
        tokensUsed,
        tokenLimit: quota.tokenLimit,
        percentUsed: Math.round((tokensUsed / quota.tokenLimit) * 1000) / 10,
        requestsUsed: usage.requests,
        requestLimit: quota.requestLimit,
        resetsAt: quota.resetsAt,
      };
    },
    recentInvoices: async (_parent, _args, ctx) =>
      read<NonNullable<Tenant['invoices']>>(child(await account(ctx), 'tenant', 'invoices'))?.nodes ?? null,
    models: async (_parent, args: { first?: number }, ctx) => {
      const source = ref(await ctx.gateway.load(WebModelsDocument, { first: args.first ?? 12 }), [
        'models',
        'nodes',
      ]);
      const nodes = read<ModelNode[]>(source);
      return nodes?.map((node, i): ModelCardSource => ({ ...node, source: child(source, i) })) ?? null;
    },
    health: async (_parent, _args, ctx) => {
      const health = read<NonNullable<WebHealthQuery['health']>>(
        ref(await ctx.gateway.load(WebHealthDocument, {}), ['health']),
      );
      return health && { ...health, incidents: health.openIncidents };
    },
    generatedAt: () => new Date().toISOString(),
  },
  ModelCard: {
    inputPricePer1k: (card) => (card as ModelCardSource).pricing.inputPer1kTokens,
    outputPricePer1k: (card) => (card as ModelCardSource).pricing.outputPer1kTokens,
    currency: (card) => (card as ModelCardSource).pricing.currency,
    availability: (card) => read(child((card as ModelCardSource).source, 'availability')),
    usage7d: (card) => {
      const usage = read<NonNullable<ModelNode['usage']>>(child((card as ModelCardSource).source, 'usage'));
      return (
        usage && { requests: usage.requests, tokens: usage.tokensIn + usage.tokensOut, cost: usage.cost }
      );
    },
    replacement: (card, _args, ctx) => {
      const id = (card as ModelCardSource).replacement?.id;
      return id ? ctx.gateway.batch(modelsById, id) : null;
    },
  },
};

/** Every section of the dashboard is best-effort; health may be served stale for 5 minutes. */
export const rules: FieldRules = {
  'Dashboard.viewer': bestEffort(),
  'Dashboard.tenant': bestEffort(),
  'Dashboard.quota': bestEffort(),
  'Dashboard.models': bestEffort(),
  'Dashboard.health': bestEffort({ maxAgeMs: 300_000, scope: 'public' }),
  'Dashboard.recentInvoices': bestEffort(),
  'ModelCard.availability': bestEffort(),
  'ModelCard.usage7d': bestEffort(),
  'ModelCard.replacement': bestEffort(),
};
