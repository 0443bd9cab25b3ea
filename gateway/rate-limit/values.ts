import { Kind, type OperationDefinitionNode, type ValueNode, valueFromASTUntyped } from 'graphql';

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
