import type { CommandIO } from '../io.ts';
import { type Answer, ClientError, callBff, EXIT, type FieldError } from './call.ts';
import { type ClientOptions, clientOptions } from './options.ts';
import { describeFailure, fmtNumber, table } from './table.ts';

type Row = Record<string, unknown>;

function errorAt(answer: Answer, ...path: (string | number)[]): FieldError | undefined {
  return answer.errors.find(
    (e) => e.path && e.path.length === path.length && path.every((key, i) => e.path![i] === key),
  );
}

/** Prints the answer: JSON for scripts, else the rendered text; degraded parts are noted on stderr. */
async function run(
  argv: string[],
  io: CommandIO,
  extra: Record<string, { type: 'string' }>,
  query: (o: ClientOptions) => { query: string; variables: Row; primary: string },
  render: (answer: Answer, o: ClientOptions) => string[],
): Promise<number> {
  try {
    const options = clientOptions(argv, io, extra);
    const { query: text, variables, primary } = query(options);
    const answer = await callBff(io, options, text, variables);
    if (options.json) io.out(JSON.stringify(answer, null, 2));
    else for (const line of render(answer, options)) io.out(line);
    // Nothing of what the command is for could be served: a script must see that as a failure.
    if (answer.data?.[primary] === null) return EXIT.failed;
    if (answer.errors.length > 0 && !options.json)
      io.err(`degraded: ${answer.errors.length} part(s) of this answer could not be served`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ClientError) {
      io.err(`portico: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}

const STATUS = `{ status {
  platform { overall checkedAt services { name status latencyMs } incidents { title severity since } }
  account { tenant plan quotaPercent }
} }`;

export function statusCommand(argv: string[], io: CommandIO): Promise<number> {
  return run(
    argv,
    io,
    {},
    () => ({ query: STATUS, variables: {}, primary: 'status' }),
    (answer) => {
      const status = answer.data?.status as Row | null;
      if (!status)
        return [
          describeFailure('platform status', errorAt(answer, 'status', 'platform') ?? answer.errors[0]),
        ];
      const platform = status.platform as Row & { services: Row[]; incidents: Row[] };
      const staleNote = errorAt(answer, 'status', 'platform');
      const lines = [
        `Platform  ${platform.overall}  (checked ${platform.checkedAt})${staleNote ? `  [${describeFailure('status', staleNote)}]` : ''}`,
        '',
      ];
      lines.push(
        ...table(
          ['SERVICE', 'STATUS', 'LATENCY'],
          platform.services.map((s) => [
            String(s.name),
            String(s.status),
            `${fmtNumber(Number(s.latencyMs), 1)} ms`,
          ]),
        ).map((l) => `  ${l}`),
      );
      lines.push('', platform.incidents.length === 0 ? 'No open incidents' : 'Open incidents');
      for (const incident of platform.incidents)
        lines.push(`  ${incident.severity}  ${incident.title}  (since ${incident.since})`);
      const account = status.account as Row | null;
      lines.push(
        '',
        account
          ? `Account   ${account.tenant} · ${account.plan} · ${fmtNumber(Number(account.quotaPercent), 1)} % of the token quota used`
          : `Account   ${describeFailure('account', errorAt(answer, 'status', 'account'))}`,
      );
      return lines;
    },
  );
}

export function modelsCommand(argv: string[], io: CommandIO): Promise<number> {
  return run(
    argv,
    io,
    { first: { type: 'string' } },
    (o) => {
      const first = Number(o.extra.first ?? 30);
      if (!Number.isInteger(first) || first < 1 || first > 100)
        throw new ClientError('--first takes a number from 1 to 100', EXIT.usage);
      return {
        query:
          'query ($first: Int) { models(first: $first) { id name status inputPer1k outputPer1k availability requests7d } }',
        variables: { first },
        primary: 'models',
      };
    },
    (answer) => {
      const models = answer.data?.models as Row[] | null;
      if (!models) return [describeFailure('models', errorAt(answer, 'models'))];
      const notes = new Map<string, string>();
      const cell = (value: unknown, index: number, field: string, render: (v: unknown) => string) => {
        if (value !== null && value !== undefined) return render(value);
        const error = errorAt(answer, 'models', index, field);
        if (error) notes.set(field, describeFailure(field, error));
        return '?';
      };
      const rows = models.map((m, i) => [
        String(m.id),
        String(m.name),
        String(m.status),
        `$${fmtNumber(Number(m.inputPer1k), 5)}`,
        `$${fmtNumber(Number(m.outputPer1k), 5)}`,
        cell(m.availability, i, 'availability', String),
        cell(m.requests7d, i, 'requests7d', (v) => fmtNumber(Number(v))),
      ]);
      const lines = table(
        ['ID', 'NAME', 'STATUS', 'IN / 1K', 'OUT / 1K', 'AVAILABILITY', 'REQUESTS 7D'],
        rows,
      );
      for (const note of notes.values()) lines.push(`? ${note}`);
      return lines;
    },
  );
}

const windows: Record<string, string> = { '1d': 'D1', '24h': 'D1', '7d': 'D7', '30d': 'D30' };

export function usageCommand(argv: string[], io: CommandIO): Promise<number> {
  return run(
    argv,
    io,
    { window: { type: 'string' } },
    (o) => {
      const window = windows[o.extra.window ?? '7d'];
      if (!window) throw new ClientError('--window takes 1d, 7d or 30d', EXIT.usage);
      return {
        query:
          'query ($w: Window!) { usage(window: $w) { window from to requests tokensIn tokensOut cost days { date requests tokens cost } } }',
        variables: { w: window },
        primary: 'usage',
      };
    },
    (answer) => {
      const usage = answer.data?.usage as (Row & { days: Row[] }) | null;
      if (!usage) return [describeFailure('usage', errorAt(answer, 'usage'))];
      const lines = [
        `Usage ${usage.from} to ${usage.to}`,
        `  requests ${fmtNumber(Number(usage.requests))}  tokens in ${fmtNumber(Number(usage.tokensIn))}  out ${fmtNumber(Number(usage.tokensOut))}  cost $${fmtNumber(Number(usage.cost), 2)}`,
        '',
      ];
      const max = Math.max(1, ...usage.days.map((d) => Number(d.requests)));
      lines.push(
        ...table(
          ['DATE', 'REQUESTS', 'TOKENS', 'COST', ''],
          usage.days.map((d) => [
            String(d.date),
            fmtNumber(Number(d.requests)),
            fmtNumber(Number(d.tokens)),
            `$${fmtNumber(Number(d.cost), 2)}`,
            '#'.repeat(Math.round((Number(d.requests) / max) * 20)),
          ]),
        ),
      );
      return lines;
    },
  );
}
