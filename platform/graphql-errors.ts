import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { type ErrorCode, ErrorCodes, errorCatalogue, isErrorCode } from './errors.ts';

/** Apollo Server's and @apollo/gateway's own codes, expressed in our catalogue. */
const aliases: Record<string, ErrorCode> = {
  BAD_USER_INPUT: 'BAD_REQUEST',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_REQUEST',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_NOT_FOUND',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
  DOWNSTREAM_SERVICE_ERROR: 'SUBGRAPH_ERROR',
};

export const INTERNAL_MESSAGE =
  'Internal error; the request id in the x-request-id header locates the details in the logs.';

/**
 * Apollo Server re-labels errors raised inside its phases: a validation rule's error becomes
 * GRAPHQL_VALIDATION_FAILED whatever its own code. When the error inside carries a catalogue code,
 * we raised it on purpose (a query limit, say), and that code is the one the client must see.
 */
function codeRaisedByUs(error: unknown): string | undefined {
  const original = error instanceof GraphQLError ? error.originalError : undefined;
  const code = original instanceof GraphQLError ? original.extensions.code : undefined;
  return isErrorCode(code) ? code : undefined;
}

/**
 * Apollo Server answers some malformed requests (an APQ hash that does not match the query, an
 * unknown APQ version) with a 4xx status but no code. Those are the client's errors, not ours.
 */
function isUncodedClientError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined) return false;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * Maps every error onto the catalogue and strips what must not leave the process: stack traces,
 * `http` plumbing and the message of anything we did not raise on purpose. The full error is logged
 * separately (see the logging plugin), so nothing is lost.
 */
/** The catalogue code of an error as Apollo Server formats it (its own codes translated), if any. */
export function catalogueCodeOf(formatted: GraphQLFormattedError, error?: unknown): ErrorCode | undefined {
  const raw =
    codeRaisedByUs(error) ?? (isUncodedClientError(error) ? 'BAD_REQUEST' : formatted.extensions?.code);
  return isErrorCode(raw) ? raw : typeof raw === 'string' ? aliases[raw] : undefined;
}

export function formatClientError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  const code = catalogueCodeOf(formatted, error);
  if (code === undefined || code === 'INTERNAL') {
    return {
      message: INTERNAL_MESSAGE,
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCodes.INTERNAL },
    };
  }
  // serviceName is @apollo/gateway's own tag; ours is `service`.
  const {
    stacktrace: _stack,
    http: _http,
    exception: _exception,
    serviceName: _serviceName,
    ...rest
  } = formatted.extensions ?? {};
  return { ...formatted, extensions: { ...rest, code } };
}

export function isRetryable(code: ErrorCode): boolean {
  return errorCatalogue[code].retryable;
}
