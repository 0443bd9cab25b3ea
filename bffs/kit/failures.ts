import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { codedError, type ErrorCode, errorCatalogue, isErrorCode } from '../../platform/errors.ts';

/** A failure of the whole BFF request: the coded error, with the HTTP status and headers it asks for. */
export type WholeRequestFailure = GraphQLError;

/**
 * A gateway call that produced no GraphQL answer: unreachable, too slow for the deadline, or
 * refused. A 401 or 429 carries `whole`: the answer would be worthless (or not the caller's to
 * see), so the BFF fails the whole request with the gateway's status, not just some fields.
 */
export class GatewayCallError extends Error {
  override name = 'GatewayCallError';
  readonly whole: WholeRequestFailure | null;
  constructor(
    readonly code: ErrorCode,
    message: string,
    whole?: { status: number; headers?: Record<string, string>; extensions?: Record<string, unknown> },
  ) {
    super(message);
    this.whole = whole ? codedError(code, message, whole) : null;
  }
}

/** Data a BFF field needed that the gateway could not serve, as the gateway reported it. */
export class SourceFailure extends Error {
  override name = 'SourceFailure';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly service: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** What a failed BFF field reports: the code, the backend to blame and whether to retry. */
export interface FieldFailure {
  code: ErrorCode;
  message: string;
  service: string;
  retryable: boolean;
}

export function sourceFailureFrom(error: GraphQLFormattedError): SourceFailure {
  const raw = error.extensions?.code;
  const code: ErrorCode = isErrorCode(raw) ? raw : 'INTERNAL';
  const service = typeof error.extensions?.service === 'string' ? error.extensions.service : 'gateway';
  const retryable =
    typeof error.extensions?.retryable === 'boolean'
      ? error.extensions.retryable
      : errorCatalogue[code].retryable;
  return new SourceFailure(code, error.message, service, retryable);
}

/** Any error a resolver met, as a field failure; null for errors that are not about a source. */
export function fieldFailureOf(error: unknown): FieldFailure | null {
  if (error instanceof SourceFailure) {
    return { code: error.code, message: error.message, service: error.service, retryable: error.retryable };
  }
  if (error instanceof GatewayCallError) {
    return {
      code: error.code,
      message: error.message,
      service: 'gateway',
      retryable: errorCatalogue[error.code].retryable,
    };
  }
  return null;
}
