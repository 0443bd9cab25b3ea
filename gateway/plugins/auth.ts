import type { ApolloServerPlugin } from '@apollo/server';
import {
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { challenge } from '../../platform/auth/challenge.ts';
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

/**
 * Admits a request without a token only if every root field it selects is declared anonymous in
 * config (`auth.anonymousRootFields`). Deciding on root fields, not on the operation name, keeps a
 * client from naming a private query after a public one.
 */
export function anonymousAccessPlugin(options: {
  anonymousRootFields: readonly string[];
  introspection: boolean;
}): ApolloServerPlugin<GatewayContext> {
  const allowed = new Set(options.anonymousRootFields);
  if (options.introspection) {
    allowed.add('__schema');
    allowed.add('__type');
  }
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          if (contextValue.identity || !operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const denied = [...rootFieldNames(operation, fragments)].filter((name) => !allowed.has(name));
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
