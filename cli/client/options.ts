import { parseArgs } from 'node:util';
import type { CommandIO } from '../io.ts';
import { ClientError, DEFAULT_CLI_BFF_URL, EXIT } from './call.ts';

export interface ClientOptions {
  url: string;
  token: string | undefined;
  json: boolean;
  timeoutMs: number;
  extra: Record<string, string | undefined>;
}

/**
 * The options every terminal-client command shares: where the CLI BFF is (`--url`, then
 * PORTICO_CLI_URL), the token (`--token`, then PORTICO_TOKEN), `--json` for scripts.
 */
export function clientOptions(
  argv: string[],
  io: CommandIO,
  extra: Record<string, { type: 'string' }> = {},
): ClientOptions {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
        ...extra,
      },
    });
    const timeout = Number(values.timeout ?? 10_000);
    if (!Number.isInteger(timeout) || timeout <= 0) throw new Error('--timeout takes milliseconds');
    const env = io.env ?? {};
    const all = values as Record<string, unknown>;
    const rest = Object.fromEntries(Object.keys(extra).map((key) => [key, all[key] as string | undefined]));
    return {
      url: (values.url as string | undefined) ?? env.PORTICO_CLI_URL ?? DEFAULT_CLI_BFF_URL,
      token: (values.token as string | undefined) ?? env.PORTICO_TOKEN,
      json: values.json === true,
      timeoutMs: timeout,
      extra: rest,
    };
  } catch (error) {
    throw new ClientError(`${(error as Error).message}`, EXIT.usage);
  }
}
