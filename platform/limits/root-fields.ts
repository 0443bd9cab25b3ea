import {
  type ASTVisitor,
  type FragmentDefinitionNode,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { limitExceeded } from './errors.ts';

/** Response keys at the root of a selection set, through fragments; `__typename` costs nothing. */
function rootKeys(
  selectionSet: SelectionSetNode,
  fragment: (name: string) => FragmentDefinitionNode | null | undefined,
  keys: Set<string>,
  seen: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') keys.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      rootKeys(selection.selectionSet, fragment, keys, seen);
    } else if (!seen.has(selection.name.value)) {
      // A fragment cycle is reported by graphql-js's own NoFragmentCycles rule; here it only must not loop.
      seen.add(selection.name.value);
      const definition = fragment(selection.name.value);
      if (definition) rootKeys(definition.selectionSet, fragment, keys, seen);
    }
  }
}

/**
 * Caps the root fields of an operation. graphql-armor has no such rule; every root field is at
 * least one subgraph fetch, so this bounds the fan-out of a single request.
 */
export function maxRootFieldsRule(section: string, max: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const keys = new Set<string>();
      rootKeys(operation.selectionSet, (name) => context.getFragment(name), keys, new Set());
      if (keys.size > max) context.reportError(limitExceeded(section, 'maxRootFields', max, keys.size));
    },
  });
}
