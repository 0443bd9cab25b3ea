import type { BffResolvers } from '../kit/create-bff.ts';
import { bestEffort, type FieldRules, required } from '../kit/rules.ts';
import { child, read, ref, type SourceRef } from '../kit/source.ts';
import {
  CliAccountDocument,
  type CliAccountQuery,
  CliModelsDocument,
  type CliModelsQuery,
  CliPlatformDocument,
  type CliPlatformQuery,
  CliUsageDocument,
  type CliUsageQuery,
} from './generated/operations.ts';

type ModelNode = NonNullable<CliModelsQuery['models']>['nodes'][number];
type ModelLineSource = ModelNode & { source: SourceRef };
type Usage = NonNullable<NonNullable<CliUsageQuery['tenant']>['usage']>;

const windows = { D1: 'LAST_24H', D7: 'LAST_7D', D30: 'LAST_30D' } as const;

export const resolvers: BffResolvers = {
  Query: {
    status: () => ({}),
    models: async (_parent, args: { first?: number }, ctx) => {
      const nodes = ref(await ctx.gateway.load(CliModelsDocument, { first: args.first ?? 30 }), [
        'models',
        'nodes',
      ]);
      return (
        read<ModelNode[]>(nodes)?.map((node, i): ModelLineSource => ({ ...node, source: child(nodes, i) })) ??
        null
      );
    },
    usage: async (_parent, args: { window: keyof typeof windows }, ctx) => {
      const result = await ctx.gateway.load(CliUsageDocument, { window: windows[args.window] });
      const usage = read<Usage>(ref(result, ['tenant', 'usage']));
      return (
        usage && {
          ...usage,
          window: args.window,
          days: usage.series.map((day) => ({
            date: day.at.slice(0, 10),
            requests: day.requests,
            tokens: day.tokensIn + day.tokensOut,
            cost: day.cost,
          })),
        }
      );
    },
  },
  StatusReport: {
    platform: async (_parent, _args, ctx) => {
      const health = read<NonNullable<CliPlatformQuery['health']>>(
        ref(await ctx.gateway.load(CliPlatformDocument, {}), ['health']),
      );
      return (
        health && {
          overall: health.status,
          checkedAt: health.checkedAt,
          services: health.services,
          incidents: health.openIncidents.map((incident) => ({ ...incident, since: incident.startedAt })),
        }
      );
    },
    account: async (_parent, _args, ctx) => {
      const source = ref(await ctx.gateway.load(CliAccountDocument, {}), ['tenant']);
      const tenant = read<NonNullable<CliAccountQuery['tenant']>>(source);
      const usage =
        tenant && read<NonNullable<NonNullable<CliAccountQuery['tenant']>['usage']>>(child(source, 'usage'));
      if (!tenant || !usage) return null;
      const used = usage.tokensIn + usage.tokensOut;
      return {
        tenant: tenant.name,
        plan: tenant.plan.name,
        quotaPercent: Math.round((used / tenant.quota.tokenLimit) * 1000) / 10,
      };
    },
  },
  ModelLine: {
    inputPer1k: (line) => (line as ModelLineSource).pricing.inputPer1kTokens,
    outputPer1k: (line) => (line as ModelLineSource).pricing.outputPer1kTokens,
    availability: (line) =>
      read<{ status: string }>(child((line as ModelLineSource).source, 'availability'))?.status ?? null,
    requests7d: (line) =>
      read<{ requests: number }>(child((line as ModelLineSource).source, 'usage'))?.requests ?? null,
  },
};

/**
 * The platform section is required (the report is withheld without it) but may be 5 minutes
 * stale; everything else is best-effort.
 */
export const rules: FieldRules = {
  'StatusReport.platform': required({ maxAgeMs: 300_000, scope: 'public' }),
  'StatusReport.account': bestEffort(),
  'Query.models': bestEffort(),
  'Query.usage': bestEffort(),
  'ModelLine.availability': bestEffort(),
  'ModelLine.requests7d': bestEffort(),
};
