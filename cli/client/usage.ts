import type { CalendarUsage } from '../../bffs/cli/calendar-days.ts';
import type { CommandIO } from '../io.ts';
import { UsageError } from '../spec.ts';
import type { Answer } from './call.ts';
import { type ClientCommand, errorAt, runClientCommand, type View } from './run.ts';
import { visibleLength } from './style.ts';
import { type Column, fmtNumber, table } from './table.ts';
import { dayLabel, localTime, localTimeZone } from './time.ts';
import { explain } from './words.ts';

// The BFF's answer, as it builds it (type only: nothing of the BFF is loaded here).
type UsageReport = CalendarUsage;

const QUERY = `query Usage($window: Window!, $timeZone: String) {
  usage(window: $window, timeZone: $timeZone) {
    window timeZone from to requests tokensIn tokensOut cost
    days { date requests tokens tokensIn tokensOut cost complete }
  }
}`;

const windows: Record<string, string> = { '1d': 'D1', '7d': 'D7', '30d': 'D30' };

const columns: Column[] = [
  { header: 'DAY' },
  { header: 'REQUESTS', align: 'right' },
  { header: 'TOKENS IN', align: 'right' },
  { header: 'TOKENS OUT', align: 'right' },
  { header: 'COST', align: 'right' },
];

const money = (value: number) => `$${fmtNumber(value, 2)}`;

function heading(usage: UsageReport, days: number): string {
  const span = days === 1 ? 'today' : `the last ${days} days`;
  return `Usage for ${span} in ${usage.timeZone}, from ${localTime(usage.from, Date.parse(usage.to))} to now (${localTime(usage.to)})`;
}

function render(answer: Answer, view: View): { lines: string[]; notes: string[] } {
  const { style } = view;
  const usage = answer.data!.usage as UsageReport;
  const rows = usage.days.map((d) => [
    dayLabel(d.date),
    fmtNumber(d.requests),
    fmtNumber(d.tokensIn),
    fmtNumber(d.tokensOut),
    money(d.cost),
  ]);
  const total = [
    style.bold('Total'),
    fmtNumber(usage.requests),
    fmtNumber(usage.tokensIn),
    fmtNumber(usage.tokensOut),
    money(usage.cost),
  ];
  const [header, ...body] = table(columns, [...rows, total], style.bold);
  const width = Math.max(...body.map(visibleLength));
  // A bar of requests per day, for a person at a terminal; pipes get the numbers alone.
  const barWidth = view.columns === null ? 0 : Math.min(24, view.columns - width - 4);
  const max = Math.max(1, ...usage.days.map((d) => d.requests));
  const lines = body.slice(0, -1).map((line, i) => {
    const day = usage.days[i]!;
    const bar = barWidth > 4 ? style.green('▇'.repeat(Math.round((day.requests / max) * barWidth))) : '';
    const note = day.complete ? '' : style.dim('so far');
    return [line.padEnd(width + (line.length - visibleLength(line))), bar, note].filter(Boolean).join('  ');
  });
  return { lines: [heading(usage, usage.days.length), '', header!, ...lines, body.at(-1)!], notes: [] };
}

const usage: ClientCommand = {
  name: 'usage',
  needsToken: true,
  request: (values) => {
    const window = windows[String(values.window ?? '7d')];
    if (!window) throw new UsageError(`--window takes 1d, 7d or 30d, not "${values.window}"`);
    return { query: QUERY, variables: { window, timeZone: localTimeZone() } };
  },
  nothingServed: (answer) =>
    answer.data?.usage ? null : `usage unavailable: ${explain(errorAt(answer, 'usage') ?? answer.errors[0])}`,
  render,
};

export function usageCommand(argv: string[], io: CommandIO): Promise<number> {
  return runClientCommand(usage, argv, io);
}
