import {
  type DirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  visit,
} from 'graphql';

/**
 * The one rule for `@skip` / `@include` that every policy shares. Conditions are read from the
 * operation's variables coerced as execution will see them (defaults applied). When the variables
 * do not coerce, every selection counts as included: the request fails on its variables anyway,
 * and "included" can only deny more and cost more, never less.
 */
export type Conditions = Record<string, unknown> | undefined;

export function coerceConditions(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): Conditions {
  if (!operation.variableDefinitions?.length) return {};
  const coerced = getVariableValues(schema, operation.variableDefinitions, variables);
  return coerced.errors ? undefined : coerced.coerced;
}

function condition(directive: DirectiveNode | undefined, conditions: Record<string, unknown>): unknown {
  const argument = directive?.arguments?.find((a) => a.name.value === 'if');
  if (!argument) return undefined;
  if (argument.value.kind === Kind.BOOLEAN) return argument.value.value;
  if (argument.value.kind === Kind.VARIABLE) return conditions[argument.value.name.value];
  return undefined;
}

/** False only when `@skip(if: true)` or `@include(if: false)` leaves the selection out for sure. */
export function included(node: { directives?: readonly DirectiveNode[] }, conditions: Conditions): boolean {
  if (!node.directives?.length || !conditions) return true;
  const skip = node.directives.find((d) => d.name.value === 'skip');
  const include = node.directives.find((d) => d.name.value === 'include');
  return condition(skip, conditions) !== true && condition(include, conditions) !== false;
}

const conditionVariables = new WeakMap<DocumentNode, string[]>();

/** The variables a document's `@skip` / `@include` read: all that can change what it selects. */
export function conditionVariablesOf(document: DocumentNode): string[] {
  let names = conditionVariables.get(document);
  if (!names) {
    const found = new Set<string>();
    visit(document, {
      Directive(node) {
        if (node.name.value !== 'skip' && node.name.value !== 'include') return;
        for (const argument of node.arguments ?? []) {
          if (argument.value.kind === Kind.VARIABLE) found.add(argument.value.name.value);
        }
      },
    });
    names = [...found].sort();
    conditionVariables.set(document, names);
  }
  return names;
}
