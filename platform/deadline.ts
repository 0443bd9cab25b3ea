import type { IncomingHttpHeaders } from 'node:http';
import { codedError } from './errors.ts';
import { RELATIVE_TIMEOUT_HEADER, REQUEST_DEADLINE_HEADER } from './headers.ts';

export interface DeadlineLimits {
  /** The gateway's own maximum for any request, in ms. */
  maxRequestMs: number;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function nonNegativeInt(headers: IncomingHttpHeaders, name: string): number | undefined {
  const raw = single(headers[name])?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,16}$/.test(raw)) {
    // Thrown from the context function, a coded GraphQLError answers 400 before any planning.
    throw codedError('BAD_REQUEST', `${name} must be a whole number of milliseconds, got "${raw}"`);
  }
  return Number(raw);
}

/**
 * The request's deadline in epoch ms, computed once when the request arrives: the sooner of the
 * client's absolute `x-request-deadline` and its relative `request-timeout`, never later than the
 * gateway's own maximum. A deadline already past is kept as it is: every subgraph call of the
 * request then fails with DEADLINE_EXCEEDED without being sent.
 */
export function requestDeadline(
  headers: IncomingHttpHeaders,
  receivedAt: number,
  limits: DeadlineLimits,
): number {
  const absolute = nonNegativeInt(headers, REQUEST_DEADLINE_HEADER);
  const relative = nonNegativeInt(headers, RELATIVE_TIMEOUT_HEADER);
  return Math.min(
    receivedAt + limits.maxRequestMs,
    absolute ?? Number.POSITIVE_INFINITY,
    relative === undefined ? Number.POSITIVE_INFINITY : receivedAt + relative,
  );
}
