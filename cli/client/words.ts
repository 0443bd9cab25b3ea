import { duration } from './time.ts';

/** An error of the CLI service's answer, as far as the terminal client reads it. */
export interface FieldError {
  message: string;
  path?: (string | number)[];
  extensions?: {
    code?: string;
    service?: string;
    retryable?: boolean;
    stale?: boolean;
    ageMs?: number;
    /** Seconds, on RATE_LIMITED. */
    retryAfter?: number;
  };
}

function backend(service: string | undefined): string {
  if (!service || service === 'gateway') return 'the Portico gateway';
  return `the ${service} service`;
}

/**
 * Why a part of an answer is missing, in words a user of the terminal understands. The error
 * codes stay in `--json`, where scripts read them.
 */
export function reason(error: FieldError | undefined): string {
  const ext = error?.extensions ?? {};
  const who = backend(ext.service);
  switch (ext.code) {
    case 'SUBGRAPH_UNAVAILABLE':
    case 'GATEWAY_UNAVAILABLE':
      return `${who} is down`;
    case 'SUBGRAPH_TIMEOUT':
    case 'DEADLINE_EXCEEDED':
      return `${who} did not answer in time`;
    case 'SUBGRAPH_CIRCUIT_OPEN':
      return `${who} keeps failing, so it is not asked for a moment`;
    case 'FORBIDDEN':
      return 'your token does not allow it (a scope is missing)';
    case 'RATE_LIMITED':
      return `rate limited: try again in ${ext.retryAfter ? duration(ext.retryAfter * 1000) : 'a moment'}`;
    case 'UNAUTHENTICATED':
      return 'it needs a token';
    case 'BAD_REQUEST':
      return error?.message ?? 'the request was not understood';
    default:
      return `${who} answered with an error`;
  }
}

/** "the health service is down; try again in a moment" (the hint only when a retry may help). */
export function explain(error: FieldError | undefined): string {
  const hint = error?.extensions?.retryable && error.extensions.code !== 'RATE_LIMITED';
  return `${reason(error)}${hint ? '; try again in a moment' : ''}`;
}
