import type { CommandIO } from '../io.ts';
import type { Answer } from './call.ts';
import { type ClientCommand, errorAt, runClientCommand, type View } from './run.ts';
import { statusColour } from './style.ts';
import { fmtNumber, table } from './table.ts';
import { ago, localTime } from './time.ts';
import { explain } from './words.ts';

interface Platform {
  overall: string;
  checkedAt: string;
  services: { name: string; status: string; latencyMs: number }[];
  incidents: { title: string; severity: string; since: string }[];
}
interface Account {
  tenant: string;
  plan: string;
  quotaPercent: number | null;
}
interface Status {
  platform: Platform | null;
  account?: Account | null;
}

const PLATFORM =
  'platform { overall checkedAt services { name status latencyMs } incidents { title severity since } }';
const ACCOUNT = 'account { tenant plan quotaPercent }';

/** OPERATIONAL -> Operational. */
const word = (value: string) => value.charAt(0) + value.slice(1).toLowerCase();

function platformLines(answer: Answer, platform: Platform | null, view: View): string[] {
  const { style } = view;
  const error = errorAt(answer, 'status', 'platform');
  if (!platform) return [`Platform  ${style.yellow('unknown')}: ${explain(error)}`];
  const stale = error?.extensions?.stale ? style.yellow(` · last known, ${explain(error)}`) : '';
  const lines = [
    `Platform  ${statusColour(style, platform.overall)(word(platform.overall))} · checked ${ago(platform.checkedAt)}${stale}`,
    '',
    ...table(
      [{ header: 'SERVICE' }, { header: 'STATUS' }, { header: 'LATENCY', align: 'right' }],
      platform.services.map((s) => [
        s.name,
        statusColour(style, s.status)(word(s.status)),
        `${fmtNumber(s.latencyMs)} ms`,
      ]),
      style.bold,
    ).map((line) => `  ${line}`),
    '',
  ];
  if (platform.incidents.length === 0) return [...lines, 'No open incidents'];
  lines.push('Open incidents');
  const severities = platform.incidents.map((i) => word(i.severity));
  const width = Math.max(...severities.map((s) => s.length));
  platform.incidents.forEach((incident, i) => {
    const severity = statusColour(style, incident.severity)(severities[i]!.padEnd(width));
    lines.push(
      `  ${severity}  ${incident.title} · since ${localTime(incident.since)} (${ago(incident.since)})`,
    );
  });
  return lines;
}

function accountLine(answer: Answer, account: Account | null, view: View): string {
  if (!account)
    return `Account   ${view.style.yellow('unknown')}: ${explain(errorAt(answer, 'status', 'account'))}`;
  const { quotaPercent: used } = account;
  const quota =
    used === null
      ? `quota use ${view.style.yellow('unknown')}: ${explain(errorAt(answer, 'status', 'account', 'quotaPercent'))}`
      : `${(used >= 90 ? view.style.red : used >= 75 ? view.style.yellow : String)(`${fmtNumber(used, 1)} %`)} of the 30-day token quota used`;
  return `Account   ${account.tenant} · ${account.plan} · ${quota}`;
}

const status: ClientCommand = {
  name: 'status',
  // The platform's status is public; the account part needs a token and is left out without one.
  needsToken: false,
  request: (_values, settings) => ({
    query: `query Status { status { ${PLATFORM}${settings.token ? ` ${ACCOUNT}` : ''} } }`,
    variables: {},
  }),
  json: (answer) => {
    const report = answer.data?.status as Status | null | undefined;
    if (!report || 'account' in report) return answer;
    return { ...answer, data: { ...answer.data, status: { ...report, account: null } } };
  },
  nothingServed: (answer) => {
    const report = answer.data?.status as Status | null | undefined;
    if (report?.platform || report?.account) return null;
    return `platform status unavailable: ${explain(errorAt(answer, 'status', 'platform') ?? answer.errors[0])}`;
  },
  render: (answer, view) => {
    const report = answer.data!.status as Status;
    const lines = platformLines(answer, report.platform, view);
    if (!view.signedIn)
      return {
        lines,
        notes: ['not signed in, so your account is not shown (portico login, or set PORTICO_TOKEN)'],
      };
    return { lines: [...lines, '', accountLine(answer, report.account ?? null, view)], notes: [] };
  },
};

export function statusCommand(argv: string[], io: CommandIO): Promise<number> {
  return runClientCommand(status, argv, io);
}
