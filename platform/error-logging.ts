import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { FastifyBaseLogger } from 'fastify';
import { errorCatalogue } from './errors.ts';
import { catalogueCodeOf } from './graphql-errors.ts';

/**
 * The other half of masking: what the client does not see, the log keeps, under the request id.
 * Errors with a catalogue code (ours, or Apollo's translated) are the client's mistakes or a
 * backend's failure; anything else is ours, logged at error with its stack.
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
            const code = catalogueCodeOf({ message: error.message, extensions: error.extensions }, error);
            if (code !== undefined && code !== 'INTERNAL') {
              // A client's mistake (4xx) is worth a line at info; a backend's failure is logged
              // where it happened (the transport, at warn), so here it is only detail.
              const level = errorCatalogue[code].status >= 400 ? 'info' : 'debug';
              log[level]({ code, path: error.path, message: error.message }, 'graphql error');
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
