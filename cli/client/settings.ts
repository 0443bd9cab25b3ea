import type { CommandIO } from '../io.ts';
import { type ParsedArgs, UsageError } from '../spec.ts';
import { configDir, credentialsFile, peekClaims, readLogin } from './credentials.ts';

export const DEFAULT_CLI_BFF_URL = 'http://127.0.0.1:4012/graphql';

export interface TokenSource {
  value: string;
  /** Where it came from, for messages: `--token`, `PORTICO_TOKEN` or the saved login's file. */
  from: string;
}

/**
 * Everything a terminal-client command reads from its flags and surroundings, read once and
 * frozen. Hand-validated rather than through zod: a schema library would add a tenth of the
 * start-up budget (`portico status` answers within a second) for four settings.
 */
export interface ClientSettings {
  readonly url: string;
  readonly token: TokenSource | null;
  readonly json: boolean;
  readonly timeoutMs: number;
  readonly color: boolean;
  /** The terminal's width when stdout is a terminal; null for pipes and files. */
  readonly columns: number | null;
}

/** `10s`, `500ms`, `1m`; a bare number is milliseconds. */
export function parseDuration(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = match ? Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] ?? 'ms']! : Number.NaN;
  if (!(ms > 0)) throw new UsageError(`${what} takes a duration such as 500ms, 10s or 1m, not "${text}"`);
  return Math.round(ms);
}

function checkUrl(url: string, from: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${from} is not a URL: "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new UsageError(`${from} must be an http or https URL, not "${url}"`);
  return url;
}

function tokenFrom(values: ParsedArgs['values'], env: NodeJS.ProcessEnv): TokenSource | null {
  if (typeof values.token === 'string') return { value: values.token, from: '--token' };
  if (env.PORTICO_TOKEN) return { value: env.PORTICO_TOKEN, from: 'PORTICO_TOKEN' };
  const file = credentialsFile(configDir(env));
  const saved = readLogin(file);
  return saved ? { value: saved.token, from: file } : null;
}

export function clientSettings(values: ParsedArgs['values'], io: CommandIO): ClientSettings {
  const env = io.env ?? {};
  const url =
    typeof values.url === 'string'
      ? checkUrl(values.url, '--url')
      : env.PORTICO_CLI_URL
        ? checkUrl(env.PORTICO_CLI_URL, 'PORTICO_CLI_URL')
        : DEFAULT_CLI_BFF_URL;
  return Object.freeze({
    url,
    token: tokenFrom(values, env),
    json: values.json === true,
    timeoutMs: typeof values.timeout === 'string' ? parseDuration(values.timeout, '--timeout') : 10_000,
    color: io.terminal !== undefined && !env.NO_COLOR && env.TERM !== 'dumb',
    columns: io.terminal?.columns ?? null,
  });
}

/** When a token says it expires (epoch ms), if it is a JWT that says so. */
export function tokenExpiry(token: string): number | null {
  const exp = peekClaims(token)?.exp;
  return typeof exp === 'number' ? exp * 1000 : null;
}
