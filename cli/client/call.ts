import type { CommandIO } from '../io.ts';
import { type HttpAnswer, post, TimedOut } from './post.ts';
import type { ClientSettings } from './settings.ts';
import { duration } from './time.ts';
import type { FieldError } from './words.ts';

export interface Answer {
  data: Record<string, unknown> | null;
  errors: FieldError[];
}

export const EXIT = { ok: 0, failed: 1, usage: 2, unauthenticated: 3, rateLimited: 4 } as const;

/** A failure that ends the command: what to tell the user, and the exit code. */
export class ClientError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A spinner on the terminal while `work` runs, from 150 ms on so a quick answer does not flicker. */
async function withSpinner<T>(io: CommandIO, label: string, work: Promise<T>): Promise<T> {
  const progress = io.progress;
  if (!progress) return work;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => progress(`${frames[frame++ % frames.length]} ${label}`);
  const delay = setTimeout(() => {
    tick();
    timer = setInterval(tick, 80);
  }, 150);
  try {
    return await work;
  } finally {
    clearTimeout(delay);
    if (timer) {
      clearInterval(timer);
      progress(null);
    }
  }
}

function unreachable(error: unknown, settings: ClientSettings): ClientError {
  if (error instanceof TimedOut)
    return new ClientError(
      `the Portico CLI service at ${settings.url} did not answer within ${duration(settings.timeoutMs)} (--timeout)`,
      EXIT.failed,
    );
  const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new ClientError(
    `cannot reach the Portico CLI service at ${settings.url} (${why}); is the platform running (npm start)?`,
    EXIT.failed,
  );
}

/**
 * One query to the CLI BFF. Unreachable, token refused and rate limited end the command with a
 * clear message and their own exit codes; a partial answer is returned with its errors.
 */
export async function callBff(
  io: CommandIO,
  settings: ClientSettings,
  query: string,
  variables: Record<string, unknown>,
): Promise<Answer> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  if (settings.token) headers.authorization = `Bearer ${settings.token.value}`;
  let response: HttpAnswer;
  try {
    response = await withSpinner(
      io,
      'Asking Portico',
      post(settings.url, headers, JSON.stringify({ query, variables }), settings.timeoutMs),
    );
  } catch (error) {
    throw unreachable(error, settings);
  }
  const requestId = response.headers['x-request-id'];
  const traced = typeof requestId === 'string' ? ` (request id ${requestId})` : '';
  let body: { data?: Record<string, unknown> | null; errors?: FieldError[] };
  try {
    body = JSON.parse(response.text) as typeof body;
  } catch {
    throw new ClientError(
      `the Portico CLI service answered ${response.status} with something that is not JSON${traced}`,
      EXIT.failed,
    );
  }
  const first = body.errors?.[0]?.message;
  if (response.status === 401) {
    const why = (first ?? 'unauthenticated').replace(/^invalid token: /, '');
    throw settings.token
      ? new ClientError(
          `token rejected: ${why} (the token from ${settings.token.from}); get a new one with portico login`,
          EXIT.unauthenticated,
        )
      : notSignedIn();
  }
  if (response.status === 429) {
    const after = Number(response.headers['retry-after']);
    throw new ClientError(
      `rate limited: try again in ${after > 0 ? duration(after * 1000) : 'a moment'}`,
      EXIT.rateLimited,
    );
  }
  if (response.status !== 200 || !body.data)
    throw new ClientError(
      `the Portico CLI service could not answer (${response.status}: ${first ?? 'no data'})${traced}`,
      EXIT.failed,
    );
  return { data: body.data, errors: body.errors ?? [] };
}

export function notSignedIn(): ClientError {
  return new ClientError(
    'not signed in: run portico login (development), or set PORTICO_TOKEN to a token',
    EXIT.unauthenticated,
  );
}
