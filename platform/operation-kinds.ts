import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { codedError } from './errors.ts';

/**
 * Subscriptions need a long-lived transport none of our endpoints speaks. graphql-js validates a
 * subscription against a schema without a Subscription type without complaint and fails only when
 * executing it, which came out as a 500; it is the client's mistake, so it is a coded 400 here,
 * before any planning or backend call.
 */
export function operationKindsPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw codedError(
            'SUBSCRIPTIONS_NOT_SUPPORTED',
            'subscriptions are not served here; send a query or a mutation',
            { status: 400 },
          );
        },
      };
    },
  };
}
