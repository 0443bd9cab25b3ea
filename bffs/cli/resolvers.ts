import type { BffContext } from '../kit/context.ts';
import type { BffResolvers } from '../kit/create-bff.ts';
import { bestEffort, type FieldRules } from '../kit/rules.ts';
import { child, need, read, ref, type SourceRef } from '../kit/source.ts';
import { calendarDays } from './calendar-days.ts';
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

type Models = NonNullable<CliModelsQuery['models']>;
type ModelLineSource = Models['nodes'][number] & { source: SourceRef };
type Tenant = NonNullable<CliAccountQuery['tenant']>;
type AccountSource = { tenant: string; plan: string; source: SourceRef; tokenLimit: number };

const windowDays = { D1: 1, D7: 7, D30: 30 } as const;
// Whole calendar days in any zone need more hours than the rolling window of the same length
// (today so far, plus a 25-hour day when clocks go back): ask metering for the next size up.
const meteringWindow = { D1: 'LAST_7D', D7: 'LAST_30D', D30: 'LAST_30D' } as const;

async function modelPage(ctx: BffContext, first: number, after: string | null) {
  const source = ref(await ctx.gateway.load(CliModelsDocument, { first, after }), ['models']);
  const page = read<Models>(source);
  if (!page) return null;
  const nodes = child(source, 'nodes');
  return {
    models: page.nodes.map((node, i): ModelLineSource => ({ ...node, source: child(nodes, i) })),
    totalCount: page.totalCount,
    endCursor: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null,
    hasNextPage: page.pageInfo.hasNextPage,
  };
}

export const resolvers: BffResolvers = {
  Query: {
    status: () => ({}),
    catalogue: (_parent, args: { first?: number; after?: string | null }, ctx) =>
      modelPage(ctx, args.first ?? 30, args.after ?? null),
    models: async (_parent, args: { first?: number }, ctx) =>
      (await modelPage(ctx, args.first ?? 30, null))?.models ?? null,
    usage: async (_parent, args: { window: keyof typeof windowDays; timeZone?: string | null }, ctx) => {
      const timeZone = args.timeZone ?? 'UTC';
      const result = await ctx.gateway.load(CliUsageDocument, { window: meteringWindow[args.window] });
      const usage = read<NonNullable<CliUsageQuery['usage']>>(ref(result, ['usage']));
      if (!usage) return null;
      return {
        window: args.window,
        ...calendarDays(usage.series, { days: windowDays[args.window], timeZone, now: usage.to }),
      };
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
    account: async (_parent, _args, ctx): Promise<AccountSource | null> => {
      const source = ref(await ctx.gateway.load(CliAccountDocument, {}), ['tenant']);
      const tenant = read<Tenant>(source);
      return (
        tenant && {
          tenant: tenant.name,
          plan: tenant.plan.name,
          tokenLimit: tenant.quota.tokenLimit,
          source,
        }
      );
    },
  },
  AccountStatus: {
    // Metering's part of the line: with metering down, the tenant and plan are still shown.
    quotaPercent: (account) => {
      const { source, tokenLimit } = account as AccountSource;
      const usage = need<NonNullable<Tenant['usage']>>(child(source, 'usage'));
      return Math.round(((usage.tokensIn + usage.tokensOut) / tokenLimit) * 1000) / 10;
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
 * Every section is best-effort, so one backend down costs only its own line. The platform section
 * may be served up to 5 minutes stale (it is public, so one cache serves every caller).
 */
export const rules: FieldRules = {
  'StatusReport.platform': bestEffort({ maxAgeMs: 300_000, scope: 'public' }),
  'StatusReport.account': bestEffort(),
  'AccountStatus.quotaPercent': bestEffort(),
  'Query.catalogue': bestEffort(),
  'Query.models': bestEffort(),
  'Query.usage': bestEffort(),
  'ModelLine.availability': bestEffort(),
  'ModelLine.requests7d': bestEffort(),
};
