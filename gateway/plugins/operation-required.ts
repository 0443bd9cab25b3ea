import type { ApolloServerPlugin } from '@apollo/server';
import { codedError } from '../../platform/errors.ts';
import type { GatewayContext } from '../context.ts';

/** Client-chosen names are quoted back only this long. */
const MAX_ECHO = 64;

/**
 * A document whose `operationName` selects nothing (no such name, or several operations and no
 * name) is refused with 400 OPERATION_NOT_FOUND here, before the gateway is asked to plan it;
 * left to @apollo/gateway it would surface as an internal error.
 */
export function operationRequiredPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (operation) return;
          const name = request.operationName;
          const message =
            name === undefined || name === null
              ? 'the document has several operations; operationName must name the one to run'
              : `the document has no operation named ${JSON.stringify(name.slice(0, MAX_ECHO))}`;
          throw codedError('OPERATION_NOT_FOUND', message, { status: 400 });
        },
      };
    },
  };
}
