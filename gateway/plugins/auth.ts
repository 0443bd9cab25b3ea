import type { ApolloServerPlugin } from '@apollo/server';
import {
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  getNamedType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { challenge } from '../../platform/auth/challenge.ts';
import {
  type Caller,
  type SecurityRequirements,
  unmetRequirement,
} from '../../platform/authz/requirements.ts';
import { codedError } from '../../platform/errors.ts';
import type { GatewayContext } from '../context.ts';

/** Root field names an operation selects, through fragments, ignoring `__typename`. */
export function rootFieldNames(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== '__typename') names.add(selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments[selection.name.value];
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return names;
}

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
        async didResolveOperation({ contextValue, operation, document, schema }) {
          if (contextValue.identity || !operation) return;
          const root = schema.getRootType(operation.operation);
          const requirements = options.requirements();
          const allowed = (name: string) =>
            introspectionFields.has(name) ||
            (options.mode === 'rootFields'
              ? listed.has(name)
              : root !== null && root !== undefined && unguarded(root, name, requirements));
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const denied = [...rootFieldNames(operation, fragments)].filter((name) => !allowed(name));
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
