import {
  type DirectiveNode,
  Kind,
  type OperationDefinitionNode,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';

/**
 * An argument's value as sent: a literal, or a variable from the request (or the operation's
 * default for it). Variables are not coerced yet when limits run; only plain numbers and booleans
 * are read from them, anything else counts as absent.
 */
export function literalOrVariable(
  node: ValueNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): unknown {
  if (node.kind !== Kind.VARIABLE) return valueFromASTUntyped(node);
  const name = node.name.value;
  if (Object.hasOwn(variables, name)) return variables[name];
  const fallback = operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
  return fallback ? valueFromASTUntyped(fallback) : undefined;
}

function condition(
  directive: DirectiveNode | undefined,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): boolean | undefined {
  const argument = directive?.arguments?.find((a) => a.name.value === 'if');
  if (!argument) return undefined;
  const value = literalOrVariable(argument.value, operation, variables);
  return typeof value === 'boolean' ? value : undefined;
}

/** False only when `@skip(if: true)` or `@include(if: false)` leaves the selection out for sure. */
export function included(
  node: { directives?: readonly DirectiveNode[] | undefined },
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): boolean {
  const skip = node.directives?.find((d) => d.name.value === 'skip');
  const include = node.directives?.find((d) => d.name.value === 'include');
  return condition(skip, operation, variables) !== true && condition(include, operation, variables) !== false;
}
