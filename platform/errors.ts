import { GraphQLError } from 'graphql';

/**
 * The one error-code catalogue. Every error a client of the gateway or of a BFF sees carries one of
 * these codes in `extensions.code`. The README's error table is checked against this object by a
 * test, so adding a code here without documenting it fails the build.
 */
export const errorCatalogue = {
  BAD_REQUEST: {
    status: 400,
    retryable: false,
    description: 'The request is malformed: bad JSON, wrong content type, invalid variables.',
  },
  GRAPHQL_PARSE_FAILED: {
    status: 400,
    retryable: false,
    description: 'The query is not valid GraphQL syntax.',
  },
  GRAPHQL_VALIDATION_FAILED: {
    status: 400,
    retryable: false,
    description: 'The query does not validate against the schema.',
  },
  OPERATION_NOT_FOUND: {
    status: 400,
    retryable: false,
    description: 'The operationName names no operation in the document.',
  },
  SUBSCRIPTIONS_NOT_SUPPORTED: {
    status: 400,
    retryable: false,
    description: 'Subscriptions are not served over this endpoint; send a query or a mutation.',
  },
  UNAUTHENTICATED: {
    status: 401,
    retryable: false,
    description: 'No token, or the token failed a check (the message says which).',
  },
  FORBIDDEN: {
    status: 403,
    retryable: false,
    description: 'The caller lacks a scope a field requires; the field is null.',
  },
  QUERY_TOO_COMPLEX: {
    status: 400,
    retryable: false,
    description: 'The operation exceeds a query limit (depth, aliases, tokens ...); the message names it.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    retryable: false,
    description: 'The request body or batch is larger than allowed.',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    retryable: true,
    description:
      'The request did not arrive in time: headers, a stalled body or the whole request (server.*TimeoutMs); the connection is closed.',
  },
  RATE_LIMITED: {
    status: 429,
    retryable: true,
    description: 'A rate limit or quota is exhausted; see Retry-After and extensions.retryAfter.',
  },
  PERSISTED_QUERY_NOT_FOUND: {
    status: 200,
    retryable: true,
    description: 'The APQ hash is unknown: send the query text with it.',
  },
  PERSISTED_QUERY_NOT_ALLOWED: {
    status: 400,
    retryable: false,
    description: 'Safelist mode is on and the operation is not in the manifest.',
  },
  SUBGRAPH_UNAVAILABLE: {
    status: 200,
    retryable: true,
    description: 'A subgraph could not be reached or answered 502/503/504; its fields are null.',
  },
  SUBGRAPH_TIMEOUT: {
    status: 200,
    retryable: true,
    description: 'A subgraph did not answer within its timeout; its fields are null.',
  },
  SUBGRAPH_CIRCUIT_OPEN: {
    status: 200,
    retryable: true,
    description: 'The circuit breaker for a subgraph is open; its fields are null without a call.',
  },
  SUBGRAPH_ERROR: {
    status: 200,
    retryable: false,
    description: 'A subgraph answered with an error or an unreadable response; its fields are null.',
  },
  DEADLINE_EXCEEDED: {
    status: 200,
    retryable: true,
    description: "The request's deadline passed before a call could be made or finish.",
  },
  GATEWAY_UNAVAILABLE: {
    status: 503,
    retryable: true,
    description:
      'The gateway (or, from a BFF, the gateway call) cannot serve now: draining, no schema, store down in fail-closed mode.',
  },
  INTERNAL: {
    status: 500,
    retryable: false,
    description: 'An unexpected error; details are in the logs under the request id, never in the response.',
  },
} as const satisfies Record<string, { status: number; retryable: boolean; description: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export const ErrorCodes = Object.fromEntries(Object.keys(errorCatalogue).map((code) => [code, code])) as {
  readonly [K in ErrorCode]: K;
};

export interface CodedErrorOptions {
  /** The subgraph (or, in a BFF, the upstream) that caused the error. */
  service?: string;
  /** Overrides the catalogue's default for this code. */
  retryable?: boolean;
  /** Overrides the catalogue's HTTP status (used when the whole response fails). */
  status?: number;
  headers?: Record<string, string>;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalogue, value);
}

/**
 * Builds the GraphQLError a client sees. The HTTP status travels on `extensions.http` as Apollo
 * Server expects; it only changes the response status when the error fails the whole request.
 */
export function codedError(code: ErrorCode, message: string, options: CodedErrorOptions = {}): GraphQLError {
  const entry = errorCatalogue[code];
  const http: { status: number; headers?: Map<string, string> } = { status: options.status ?? entry.status };
  if (options.headers) http.headers = new Map(Object.entries(options.headers));
  const extensions: Record<string, unknown> = { code, ...options.extensions, http };
  if (options.service !== undefined) extensions.service = options.service;
  if (options.service !== undefined || options.retryable !== undefined) {
    extensions.retryable = options.retryable ?? entry.retryable;
  }
  return new GraphQLError(message, { path: options.path, extensions });
}

/**
 * An error for one field of an answer that is otherwise served. It carries no HTTP status: Apollo
 * Server would apply one thrown from a resolver to the whole response.
 */
export function fieldError(
  code: ErrorCode,
  message: string,
  options: Omit<CodedErrorOptions, 'status' | 'headers'> = {},
): GraphQLError {
  const extensions: Record<string, unknown> = { code, ...options.extensions };
  if (options.service !== undefined) extensions.service = options.service;
  if (options.service !== undefined || options.retryable !== undefined) {
    extensions.retryable = options.retryable ?? errorCatalogue[code].retryable;
  }
  return new GraphQLError(message, { path: options.path, extensions });
}

/** The JSON body of a response that fails as a whole: one coded error, in GraphQL's shape. */
export function errorBody(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { ...extensions, code } }] };
}

/**
 * What a coded error asks of the HTTP response (status and headers travel on
 * `extensions.http`, as Apollo Server reads them), for code outside Apollo that answers with it.
 */
export function httpOf(error: GraphQLError): {
  code: ErrorCode;
  status: number;
  headers: ReadonlyMap<string, string>;
  extensions: Record<string, unknown>;
} | null {
  const { code, http, ...extensions } = error.extensions as Record<string, unknown>;
  if (!isErrorCode(code)) return null;
  const carried = http as { status?: number; headers?: Map<string, string> } | undefined;
  return {
    code,
    status: carried?.status ?? errorCatalogue[code].status,
    headers: carried?.headers ?? new Map(),
    extensions,
  };
}
