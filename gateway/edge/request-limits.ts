import type { FastifyInstance } from 'fastify';
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import type { PorticoConfig } from '../../platform/config/schema.ts';
import { HttpCodedError } from '../../platform/http-errors.ts';
import { limitDetails } from '../limits/errors.ts';
import { requestedOperations } from './operations.ts';

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
export function installRequestLimitsHook(app: FastifyInstance, limits: Limits, path: string): void {
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.url !== path) return;
    const requested = requestedOperations(request);
    if (!requested) return;
    const count = requested.size;
    if (requested.batch && limits.maxBatchOperations === 1) {
      throw new HttpCodedError('BAD_REQUEST', 'batched requests are off (limits.maxBatchOperations is 1)');
    }
    if (requested.batch && count > limits.maxBatchOperations) {
      throw new HttpCodedError(
        'PAYLOAD_TOO_LARGE',
        `batch of ${count} operations, more than ${limits.maxBatchOperations} (limits.maxBatchOperations)`,
        413,
        {},
        { limit: 'maxBatchOperations', max: limits.maxBatchOperations, found: count },
      );
    }
    const [malformed] = requested.malformed;
    if (malformed) {
      throw new HttpCodedError('BAD_REQUEST', `batch item ${malformed.index}: ${malformed.problem}`);
    }
    for (const operation of requested.operations) {
      if (operation.variablesBytes > limits.maxVariablesBytes) {
        throw new HttpCodedError(
          'PAYLOAD_TOO_LARGE',
          `variables of ${operation.variablesBytes} bytes, more than ${limits.maxVariablesBytes} (limits.maxVariablesBytes)`,
          413,
          {},
          { limit: 'maxVariablesBytes', max: limits.maxVariablesBytes, found: operation.variablesBytes },
        );
      }
      if (operation.query !== undefined && exceedsTokens(operation.query, limits.maxTokens)) {
        const { message, extensions } = limitDetails('maxTokens', limits.maxTokens);
        throw new HttpCodedError('QUERY_TOO_COMPLEX', message, 400, {}, extensions);
      }
    }
  });
}
