import type { FastifyInstance } from 'fastify';
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import type { PorticoConfig } from '../config/schema.ts';
import { codedError } from '../errors.ts';
import { limitDetails } from './errors.ts';
import { requestedOperations } from './operations.ts';
import { MAX_VARIABLES_DEPTH } from './variables.ts';

type Limits = PorticoConfig['limits'];

/** Whether a query has more than `max` tokens; lexing stops there, or at a lexing error (Apollo reports it). */
export function exceedsTokens(query: string, max: number): boolean {
  // Every token is at least one character: a query no longer than `max` cannot exceed it, so the
  // common case (an ordinary query well under the limit) costs no lexing on the way in.
  if (query.length <= max) return false;
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
  }
  return count > max;
}

/**
 * The limits that can be checked on the request as sent, before Apollo Server parses anything:
 * operations per batch (each item well-formed), size of the variables, and tokens (lexing stops
 * at the limit, so a huge or deeply nested query costs no more than `maxTokens` tokens). Apollo
 * Server's parser keeps the same token limit as a backstop for queries that arrive by APQ hash.
 */
export function installRequestLimitsHook(
  app: FastifyInstance,
  limits: Limits,
  section: string,
  path: string,
): void {
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.url !== path) return;
    const requested = requestedOperations(request, limits.maxVariablesBytes);
    if (!requested) return;
    const count = requested.size;
    if (requested.batch && limits.maxBatchOperations === 1) {
      throw codedError('BAD_REQUEST', `batched requests are off (${section}.maxBatchOperations is 1)`);
    }
    if (requested.batch && count > limits.maxBatchOperations) {
      throw codedError(
        'PAYLOAD_TOO_LARGE',
        `batch of ${count} operations, more than ${limits.maxBatchOperations} (${section}.maxBatchOperations)`,
        { extensions: { limit: 'maxBatchOperations', max: limits.maxBatchOperations, found: count } },
      );
    }
    const [malformed] = requested.malformed;
    if (malformed) {
      throw codedError('BAD_REQUEST', `batch item ${malformed.index}: ${malformed.problem}`);
    }
    for (const operation of requested.operations) {
      if (operation.variablesDepth > MAX_VARIABLES_DEPTH) {
        throw codedError(
          'BAD_REQUEST',
          `variables nest more than ${MAX_VARIABLES_DEPTH} levels deep; no input of this API is that deep`,
        );
      }
      if (operation.variablesBytes > limits.maxVariablesBytes) {
        throw codedError(
          'PAYLOAD_TOO_LARGE',
          `variables of ${operation.variablesBytes} bytes, more than ${limits.maxVariablesBytes} (${section}.maxVariablesBytes)`,
          {
            extensions: {
              limit: 'maxVariablesBytes',
              max: limits.maxVariablesBytes,
              found: operation.variablesBytes,
            },
          },
        );
      }
      if (operation.query !== undefined && exceedsTokens(operation.query, limits.maxTokens)) {
        const { message, extensions } = limitDetails(section, 'maxTokens', limits.maxTokens);
        throw codedError('QUERY_TOO_COMPLEX', message, { extensions });
      }
    }
  });
}
