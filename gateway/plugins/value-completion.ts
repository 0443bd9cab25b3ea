import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.ts';

/**
 * @apollo/gateway reports a subgraph that broke its own schema (a null for a non-null field) as
 * `extensions.valueCompletion` on the whole response: messages naming types and fields of a
 * subgraph, which is subgraph detail like any other. The log keeps it, under the request id; the
 * client gets the data as shaped, without it.
 */
export function valueCompletionPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const extensions = response.body.singleResult.extensions;
          if (!extensions || !('valueCompletion' in extensions)) return;
          const { valueCompletion, ...rest } = extensions;
          contextValue.log.warn({ valueCompletion }, 'a subgraph answered values its schema forbids');
          response.body.singleResult.extensions = Object.keys(rest).length > 0 ? rest : undefined;
        },
      };
    },
  };
}
