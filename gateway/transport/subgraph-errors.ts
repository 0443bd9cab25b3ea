import type { GraphQLFormattedError } from 'graphql';
import { type ErrorCode, errorCatalogue, isErrorCode } from '../../platform/errors.ts';
import { entitiesFit, failedFieldPaths, placeErrors } from './error-paths.ts';
import { type GatewayGraphQLResponse, SubgraphFailure } from './types.ts';

/** Codes a subgraph may raise that mean the same to the client as they do to us. */
const PASS_THROUGH = new Set<ErrorCode>(['UNAUTHENTICATED', 'FORBIDDEN', 'BAD_REQUEST', 'RATE_LIMITED']);

export interface ErrorExposure {
  /** Let the subgraph's own messages through (default: replaced by a generic one). */
  exposeMessages: boolean;
  /** Extension keys of subgraph errors that may reach clients. */
  exposeExtensions: readonly string[];
}

const failureMessages: Record<string, (subgraph: string) => string> = {
  SUBGRAPH_UNAVAILABLE: (s) => `subgraph "${s}" is unavailable`,
  SUBGRAPH_TIMEOUT: (s) => `subgraph "${s}" did not answer in time`,
  SUBGRAPH_CIRCUIT_OPEN: (s) => `subgraph "${s}" is failing; calls to it are paused (circuit open)`,
  SUBGRAPH_ERROR: (s) => `subgraph "${s}" could not resolve this field`,
  DEADLINE_EXCEEDED: (s) => `the request deadline passed before subgraph "${s}" answered`,
};

export function messageFor(code: ErrorCode, subgraph: string): string {
  return failureMessages[code]?.(subgraph) ?? `subgraph "${subgraph}": ${errorCatalogue[code].description}`;
}

/** One error per field the failed fetch leaves null, each at a path the gateway can make true. */
export function errorsForFailure(
  failure: SubgraphFailure,
  query: string,
  variables: Record<string, unknown> | undefined,
): GraphQLFormattedError[] {
  const extensions = { code: failure.code, service: failure.subgraph, retryable: failure.retryable };
  const message = messageFor(failure.code, failure.subgraph);
  const paths = failedFieldPaths(query, variables);
  if (paths.length === 0) return [{ message, extensions }];
  return paths.map((path) => ({ message, path, extensions }));
}

/**
 * Re-labels the errors a subgraph returned: our codes, the subgraph as `service`, messages and
 * extension keys only as the exposure policy allows; then places them so each null field has an
 * error at its true path (see placeErrors). An entity answer without a usable `_entities` list is
 * dropped: with errors, they explain the nulls; without, the answer is a SUBGRAPH_ERROR.
 */
export function shapeSubgraphResponse(
  response: GatewayGraphQLResponse,
  subgraph: string,
  exposure: ErrorExposure,
  query: string,
  variables: Record<string, unknown> | undefined,
): GatewayGraphQLResponse {
  const errors = response.errors ?? [];
  const fits = entitiesFit(response.data, query, variables);
  if (!fits && errors.length === 0) {
    throw new SubgraphFailure(
      'SUBGRAPH_ERROR',
      subgraph,
      'entity answer without a matching _entities list',
      false,
    );
  }
  if (errors.length === 0) return response;
  const masked = errors.map((error): GraphQLFormattedError => {
    const raw = error.extensions?.code;
    const code: ErrorCode = isErrorCode(raw) && PASS_THROUGH.has(raw) ? raw : 'SUBGRAPH_ERROR';
    const extensions: Record<string, unknown> = {};
    for (const key of exposure.exposeExtensions) {
      if (error.extensions && key in error.extensions) extensions[key] = error.extensions[key];
    }
    // A subgraph's @rateLimit refusal says when to retry; that is for the client, whatever the exposure.
    const retryAfter = error.extensions?.retryAfter;
    if (code === 'RATE_LIMITED' && typeof retryAfter === 'number') extensions.retryAfter = retryAfter;
    Object.assign(extensions, {
      code,
      service: subgraph,
      retryable: errorCatalogue[code].retryable && code === 'RATE_LIMITED',
    });
    const message = exposure.exposeMessages ? error.message : messageFor(code, subgraph);
    return { message, ...(error.path ? { path: error.path } : {}), extensions };
  });
  const data = fits ? response.data : null;
  return { ...response, data, errors: placeErrors(masked, data, query, variables) };
}
