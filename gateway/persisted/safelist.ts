import type { FastifyInstance } from 'fastify';
import { parse } from 'graphql';
import { codedError } from '../../platform/errors.ts';
import { type RequestedOperation, requestedOperations } from '../../platform/limits/operations.ts';
import { type Manifest, type ManifestOperation, selectedOperationBody, sha256 } from './manifest.ts';

export interface Safelist {
  /** The manifest operation with this id (an APQ hash), if any. */
  byId(id: string): ManifestOperation | undefined;
  allows(operation: RequestedOperation): boolean;
}

/**
 * Decides whether an operation is in the manifest: by its hash (APQ clients send only that), by
 * the hash of its text, or, for text laid out differently, by the normal form of the operation
 * the request selects. Parsing is bounded by the token limit, like Apollo Server's own.
 */
export function createSafelist(manifest: Manifest, maxTokens: number): Safelist {
  const ids = new Map(manifest.operations.map((operation) => [operation.id, operation]));
  const bodies = new Set(manifest.operations.map((operation) => operation.body));
  return {
    byId: (id) => ids.get(id),
    allows({ query, persistedHash, operationName }) {
      if (query === undefined) return persistedHash === undefined || ids.has(persistedHash);
      if (ids.has(sha256(query))) return true;
      try {
        const body = selectedOperationBody(parse(query, { maxLexicalTokens: maxTokens }), operationName);
        return body !== null && bodies.has(body);
      } catch {
        return false;
      }
    },
  };
}

/**
 * Safelist mode: every operation of a request must be in the manifest, or the request is refused
 * with PERSISTED_QUERY_NOT_ALLOWED before Apollo Server parses it (and so before APQ could
 * register it). A request with no operation at all passes, for Apollo Server's own 400.
 */
export function installSafelistHook(app: FastifyInstance, safelist: Safelist, path: string): void {
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.url !== path) return;
    for (const operation of requestedOperations(request)?.operations ?? []) {
      if (safelist.allows(operation)) continue;
      const name = operation.operationName ? `operation ${operation.operationName}` : 'the operation';
      throw codedError(
        'PERSISTED_QUERY_NOT_ALLOWED',
        `${name} is not in the safelist of persisted operations (persistedQueries.safelist is on)`,
      );
    }
  });
}
