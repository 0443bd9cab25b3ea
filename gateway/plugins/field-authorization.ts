import type { ApolloServerPlugin } from '@apollo/server';
import type { SecurityRequirements } from '../../platform/authz/requirements.ts';
import { applyDecision } from '../authz/apply.ts';
import { authorize, type Decision } from '../authz/authorize.ts';
import type { GatewayContext } from '../context.ts';

/**
 * Enforces `@authenticated` and `@requiresScopes` from the supergraph, which @apollo/gateway
 * composes but does not enforce. Before planning, denied fields are cut from the operation, so
 * they are never fetched; after execution they are written back as null with a FORBIDDEN error
 * at each true path, and the rest of the answer is served.
 *
 *   didResolveOperation: authorize -> reduced document (+ its own plan-cache key)
 *   execution:           the gateway plans and runs the reduced document
 *   willSendResponse:    nulls + FORBIDDEN errors at the denied paths
 */
export function fieldAuthorizationPlugin(
  requirements: () => SecurityRequirements,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let decision: Decision | null = null;
      return {
        async didResolveOperation(requestContext) {
          const current = requirements();
          if (!requestContext.operation || (current.fields.size === 0 && current.types.size === 0)) return;
          const identity = requestContext.contextValue.identity;
          decision = authorize(
            requestContext.schema,
            requestContext.document,
            requestContext.operation,
            requestContext.request.variables ?? {},
            current,
            { authenticated: identity !== null, scopes: identity?.scopes ?? [] },
          );
          if (!decision) return;
          // The plan cache is keyed by the query hash: the reduced document needs a key of its own,
          // or a caller with more scopes could be served the reduced plan (or the reverse).
          const mutable = requestContext as { document: typeof decision.document; queryHash: string };
          mutable.document = decision.document;
          mutable.queryHash = decision.queryHash;
        },
        async willSendResponse({ response }) {
          if (decision && response.body.kind === 'single') {
            applyDecision(response.body.singleResult as Parameters<typeof applyDecision>[0], decision);
          }
        },
      };
    },
  };
}
