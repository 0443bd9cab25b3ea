import { catalogueModelById, catalogueModels, tenantIds } from '../shared/catalogue.ts';
import { round, seededRandom } from '../shared/random.ts';

export const HOURS = 30 * 24;
export type UsageWindow = 'LAST_24H' | 'LAST_7D' | 'LAST_30D';
export const windowHours: Record<UsageWindow, number> = { LAST_24H: 24, LAST_7D: 7 * 24, LAST_30D: HOURS };

/**
 * Hourly usage, newest first: index 0 is the hour ending now. Values are seeded by position
 * (hours ago), so totals over a window are the same whenever they are asked for, while the
 * timestamps follow the clock.
 */
interface Series {
  requests: Uint32Array;
  tokensIn: Float64Array;
  tokensOut: Float64Array;
}

const tenantScale: Record<string, number> = {
  acme: 8,
  globex: 6,
  initech: 3,
  umbrella: 2.5,
  hooli: 2,
  stark: 1.5,
  wayne: 1.2,
};
const cache = new Map<string, Series | null>();

function generate(tenantId: string, modelId: string): Series | null {
  const random = seededRandom(`usage:${tenantId}:${modelId}`);
  // Each tenant uses roughly 40 % of the catalogue; the rest stay at zero.
  if (!tenantIds.includes(tenantId as (typeof tenantIds)[number]) || random() > 0.4) return null;
  const scale = (tenantScale[tenantId] ?? 0.5) * (0.3 + random() * 1.4);
  const requests = new Uint32Array(HOURS);
  const tokensIn = new Float64Array(HOURS);
  const tokensOut = new Float64Array(HOURS);
  for (let h = 0; h < HOURS; h += 1) {
    const hourOfDay = (24 + 12 - (h % 24)) % 24;
    const diurnal = 0.35 + 0.65 * Math.max(0, Math.sin(((hourOfDay - 6) / 24) * 2 * Math.PI));
    const weekly = Math.floor(h / 24) % 7 >= 5 ? 0.6 : 1;
    const count = Math.round(scale * 40 * diurnal * weekly * (0.7 + random() * 0.6));
    requests[h] = count;
    tokensIn[h] = Math.round(count * (400 + random() * 800));
    tokensOut[h] = Math.round(count * (150 + random() * 350));
  }
  return { requests, tokensIn, tokensOut };
}

function series(tenantId: string, modelId: string): Series | null {
  const key = `${tenantId}\u0000${modelId}`;
  if (!cache.has(key)) cache.set(key, generate(tenantId, modelId));
  return cache.get(key) ?? null;
}

export interface UsagePoint {
  at: string;
  requests: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
}

export interface Usage {
  window: UsageWindow;
  from: string;
  to: string;
  requests: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  /** Hourly points, newest first, kept to build `series` at any granularity. */
  hourly: UsagePoint[];
}

function currentHourEnd(now: number): number {
  return Math.floor(now / 3_600_000) * 3_600_000 + 3_600_000;
}

export function usageFor(
  tenantId: string,
  modelIds: readonly string[],
  window: UsageWindow,
  now = Date.now(),
): Usage {
  const hours = windowHours[window];
  const end = currentHourEnd(now);
  const hourly: UsagePoint[] = Array.from({ length: hours }, (_, h) => ({
    at: new Date(end - (h + 1) * 3_600_000).toISOString(),
    requests: 0,
    tokensIn: 0,
    tokensOut: 0,
    cost: 0,
  }));
  for (const modelId of modelIds) {
    const data = series(tenantId, modelId);
    const price = catalogueModelById.get(modelId);
    if (!data || !price) continue;
    for (let h = 0; h < hours; h += 1) {
      const point = hourly[h]!;
      point.requests += data.requests[h]!;
      point.tokensIn += data.tokensIn[h]!;
      point.tokensOut += data.tokensOut[h]!;
      point.cost +=
        (data.tokensIn[h]! / 1000) * price.inputPer1kTokens +
        (data.tokensOut[h]! / 1000) * price.outputPer1kTokens;
    }
  }
  const total = hourly.reduce(
    (sum, p) => ({
      requests: sum.requests + p.requests,
      tokensIn: sum.tokensIn + p.tokensIn,
      tokensOut: sum.tokensOut + p.tokensOut,
      cost: sum.cost + p.cost,
    }),
    { requests: 0, tokensIn: 0, tokensOut: 0, cost: 0 },
  );
  return {
    window,
    from: new Date(end - hours * 3_600_000).toISOString(),
    // The newest bucket is the hour in progress: the window ends now, not at the end of that hour.
    to: new Date(now).toISOString(),
    ...total,
    cost: round(total.cost, 4),
    hourly,
  };
}

export const allModelIds: readonly string[] = catalogueModels.map((model) => model.id);

/** Buckets oldest first; a day bucket sums 24 hourly points. */
export function bucket(usage: Usage, granularity: 'HOUR' | 'DAY'): UsagePoint[] {
  const size = granularity === 'HOUR' ? 1 : 24;
  const points: UsagePoint[] = [];
  for (let start = usage.hourly.length - size; start >= 0; start -= size) {
    const slice = usage.hourly.slice(start, start + size);
    points.push({
      at: slice.at(-1)!.at,
      requests: slice.reduce((s, p) => s + p.requests, 0),
      tokensIn: slice.reduce((s, p) => s + p.tokensIn, 0),
      tokensOut: slice.reduce((s, p) => s + p.tokensOut, 0),
      cost: round(
        slice.reduce((s, p) => s + p.cost, 0),
        4,
      ),
    });
  }
  return points;
}
