import { fieldError } from '../../platform/errors.ts';
import type { CliUsageQuery } from './generated/operations.ts';

/** One hour of metering's series; `at` is the start of the hour. */
type HourPoint = NonNullable<CliUsageQuery['usage']>['series'][number];

export interface UsageDay {
  date: string;
  requests: number;
  tokens: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  complete: boolean;
}

export interface CalendarUsage {
  timeZone: string;
  from: string;
  to: string;
  requests: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
  days: UsageDay[];
}

// Costs keep the metering precision (4 decimals); float sums would otherwise show 0.30000000000000004.
const roundCost = (value: number) => Math.round(value * 10_000) / 10_000;

/** YYYY-MM-DD of an instant, as a calendar in `timeZone` shows it; BAD_REQUEST for an unknown zone. */
function dateFormat(timeZone: string): (ms: number) => string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  } catch {
    throw fieldError(
      'BAD_REQUEST',
      `unknown time zone "${timeZone}" (expected an IANA name such as Europe/Paris)`,
    );
  }
  return (ms) => {
    const parts = Object.fromEntries(format.formatToParts(ms).map((part) => [part.type, part.value]));
    return `${parts.year}-${parts.month}-${parts.day}`;
  };
}

/** The `count` calendar dates ending with `last` (YYYY-MM-DD), oldest first. */
function datesEndingWith(last: string, count: number): string[] {
  const [year, month, day] = last.split('-').map(Number) as [number, number, number];
  return Array.from({ length: count }, (_, i) =>
    new Date(Date.UTC(year, month - 1, day - (count - 1 - i))).toISOString().slice(0, 10),
  );
}

/**
 * Sums hourly usage into the last `days` calendar days of `timeZone`, today (so far) included.
 * Hours belong to the day their start falls in: in the few zones offset by a fraction of an hour,
 * a day's first bucket starts up to 45 minutes after its midnight.
 */
export function calendarDays(
  hourly: readonly HourPoint[],
  options: { days: number; timeZone: string; now: string },
): CalendarUsage {
  const dateOf = dateFormat(options.timeZone);
  const dates = datesEndingWith(dateOf(Date.parse(options.now)), options.days);
  const today = dates.at(-1);
  const byDate = new Map<string, UsageDay>(
    dates.map((date) => [
      date,
      { date, requests: 0, tokens: 0, tokensIn: 0, tokensOut: 0, cost: 0, complete: date !== today },
    ]),
  );
  let from: string | null = null;
  for (const point of hourly) {
    const day = byDate.get(dateOf(Date.parse(point.at)));
    if (!day) continue;
    if (from === null || point.at < from) from = point.at;
    day.requests += point.requests;
    day.tokensIn += point.tokensIn;
    day.tokensOut += point.tokensOut;
    day.cost += point.cost;
  }
  const days = [...byDate.values()].map((day) => ({
    ...day,
    tokens: day.tokensIn + day.tokensOut,
    cost: roundCost(day.cost),
  }));
  return {
    timeZone: options.timeZone,
    from: from ?? options.now,
    to: options.now,
    requests: days.reduce((sum, d) => sum + d.requests, 0),
    tokensIn: days.reduce((sum, d) => sum + d.tokensIn, 0),
    tokensOut: days.reduce((sum, d) => sum + d.tokensOut, 0),
    cost: roundCost(days.reduce((sum, d) => sum + d.cost, 0)),
    days,
  };
}
