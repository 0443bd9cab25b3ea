import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { FastifyBaseLogger } from 'fastify';
import { isErrorCode } from './errors.ts';

/**
 * The other half of masking: what the client does not see, the log keeps, under the request id.
 * Errors we raised on purpose (catalogue codes) are logged at debug; anything else at error with
 * its stack.
 */
export function errorLoggingPlugin<TContext extends BaseContext>(
  fallback: FastifyBaseLogger,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, request }) {
          const log = (contextValue as { log?: FastifyBaseLogger }).log ?? fallback;
          for (const error of errors) {
            const code = error.extensions?.code;
            if (isErrorCode(code) && code !== 'INTERNAL') {
              log.debug({ code, path: error.path, message: error.message }, 'graphql error');
            } else {
              log.error(
                {
                  err: unwrapResolverError(error),
                  code,
                  path: error.path,
                  operationName: request.operationName,
                },
                'unexpected graphql error',
              );
            }
          }
        },
      };
    },
  };
}
