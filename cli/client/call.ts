import { request } from 'undici';
import type { CommandIO } from '../io.ts';

export const DEFAULT_CLI_BFF_URL = 'http://127.0.0.1:4012/graphql';

export interface FieldError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; service?: string; retryable?: boolean; stale?: boolean; ageMs?: number };
}

export interface Answer {
  data: Record<string, unknown> | null;
  errors: FieldError[];
}

/** A failure that ends the command: what to tell the user, and the exit code. */
export class ClientError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const EXIT = { ok: 0, failed: 1, usage: 2, unauthenticated: 3, rateLimited: 4 } as const;

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Shows a spinner on the terminal while `work` runs (nothing when output is not a terminal). */
async function withSpinner<T>(io: CommandIO, label: string, work: Promise<T>): Promise<T> {
  if (!io.progress) return work;
  let frame = 0;
  const timer = setInterval(() => io.progress?.(`${frames[frame++ % frames.length]} ${label}`), 80);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    io.progress(null);
  }
}

/**
 * One query to the CLI BFF. Unreachable, token refused and rate limited end the command with a
 * clear message and their own exit codes; a partial answer is returned with its errors.
 */
export async function callBff(
  io: CommandIO,
  options: { url: string; token: string | undefined; timeoutMs: number },
  query: string,
  variables: Record<string, unknown>,
): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let status: number;
  let text: string;
  let retryAfter: string | undefined;
  try {
    const response = await withSpinner(
      io,
      'asking Portico ...',
      request(options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(options.timeoutMs),
      }),
    );
    status = response.statusCode;
    retryAfter =
      typeof response.headers['retry-after'] === 'string' ? response.headers['retry-after'] : undefined;
    text = await response.body.text();
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error as Error).name;
    throw new ClientError(
      `cannot reach the Portico CLI service at ${options.url} (${reason}); is it running (npm start)?`,
      EXIT.failed,
    );
  }
  let body: { data?: Record<string, unknown> | null; errors?: FieldError[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new ClientError(
      `the Portico CLI service answered ${status} with something that is not JSON`,
      EXIT.failed,
    );
  }
  const first = body.errors?.[0]?.message;
  if (status === 401) {
    throw new ClientError(
      `token rejected: ${first ?? 'unauthenticated'} (set PORTICO_TOKEN or pass --token; npm run --silent token -- --sub <user> --tenant <tenant>)`,
      EXIT.unauthenticated,
    );
  }
  if (status === 429)
    throw new ClientError(`rate limited; retry in ${retryAfter ?? 'a few'} s`, EXIT.rateLimited);
  if (status !== 200 || !body.data)
    throw new ClientError(`the Portico CLI service answered ${status}: ${first ?? 'no data'}`, EXIT.failed);
  return { data: body.data, errors: body.errors ?? [] };
}
