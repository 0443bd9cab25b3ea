import type { GraphQLFormattedError } from 'graphql';
import { type ErrorCode, errorCatalogue, isErrorCode } from './errors.ts';

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
 * Maps every error onto the catalogue and strips what must not leave the process: stack traces,
 * `http` plumbing and the message of anything we did not raise on purpose. The full error is logged
 * separately (see the logging plugin), so nothing is lost.
 */
export function formatClientError(formatted: GraphQLFormattedError, _error?: unknown): GraphQLFormattedError {
  const raw = formatted.extensions?.code;
  const code = isErrorCode(raw) ? raw : typeof raw === 'string' ? aliases[raw] : undefined;
  if (code === undefined || code === 'INTERNAL') {
    return {
      message: INTERNAL_MESSAGE,
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL' },
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
