import type { ApolloServerPlugin } from '@apollo/server';
import { type GraphQLObjectType, getNamedType } from 'graphql';
import { challenge } from '../../platform/auth/challenge.ts';
import {
  type Caller,
  type SecurityRequirements,
  unmetRequirement,
} from '../../platform/authz/requirements.ts';
import { codedError } from '../../platform/errors.ts';
import type { GatewayContext } from '../context.ts';
import { analyzeOperation } from '../operation/analysis.ts';

const ANONYMOUS: Caller = { authenticated: false, scopes: [] };

/**
 * Whether a caller without a token may select root field `name` of `root`: the field and the type
 * it returns carry no `@authenticated` / `@requiresScopes`, and neither does the root type.
 */
function unguarded(root: GraphQLObjectType, name: string, requirements: SecurityRequirements): boolean {
  const field = root.getFields()[name];
  if (!field) return false;
  return [
    requirements.types.get(root.name),
    requirements.fields.get(`${root.name}.${name}`),
    requirements.types.get(getNamedType(field.type).name),
  ].every((requirement) => !requirement || unmetRequirement(requirement, ANONYMOUS) === null);
}

/**
 * Admits a request without a token only if every root field it selects is open to anonymous
 * callers: listed in `auth.anonymousRootFields` (mode `rootFields`, the default), or guarded by no
 * `@authenticated` / `@requiresScopes` in the supergraph (mode `unguarded`). Deciding on root
 * fields, not on the operation name, keeps a client from naming a private query after a public one.
 */
export function anonymousAccessPlugin(options: {
  mode: 'rootFields' | 'unguarded';
  anonymousRootFields: readonly string[];
  introspection: boolean;
  requirements: () => SecurityRequirements;
}): ApolloServerPlugin<GatewayContext> {
  const listed = new Set(options.anonymousRootFields);
  const introspectionFields = new Set(options.introspection ? ['__schema', '__type'] : []);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document, schema, request }) {
          if (contextValue.identity || !operation) return;
          const root = schema.getRootType(operation.operation);
          const requirements = options.requirements();
          const allowed = (name: string) =>
            introspectionFields.has(name) ||
            (options.mode === 'rootFields'
              ? listed.has(name)
              : root !== null && root !== undefined && unguarded(root, name, requirements));
          const { rootFields } = analyzeOperation(schema, document, operation, request.variables ?? {});
          const denied = [...rootFields].filter((name) => !allowed(name));
          if (denied.length > 0) {
            throw codedError('UNAUTHENTICATED', `a bearer token is required for ${denied.join(', ')}`, {
              status: 401,
              headers: challenge('missing bearer token'),
            });
          }
        },
      };
    },
  };
}
