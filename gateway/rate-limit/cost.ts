import {
  type DocumentNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  type OperationDefinitionNode,
} from 'graphql';
import { codedError } from '../../platform/errors.ts';
import { analyzeOperation, type SelectedField } from '../operation/analysis.ts';
import type { LimitDirectives, ListSize } from './supergraph-directives.ts';
import { literalOrVariable } from './values.ts';

export interface CostSettings {
  defaultListSize: number;
  mutationCost: number;
}

interface Walk {
  directives: LimitDirectives;
  settings: CostSettings;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
}

/** The expected length of a `@listSize` field: the largest slicing argument given, else assumedSize. */
function expectedSize(
  walk: Walk,
  coordinate: string,
  listSize: ListSize,
  field: FieldNode,
  fieldDefinition: GraphQLField<unknown, unknown>,
): number | null {
  const sizes: number[] = [];
  for (const name of listSize.slicingArguments) {
    const given = field.arguments?.find((a) => a.name.value === name);
    const raw = given
      ? literalOrVariable(given.value, walk.operation, walk.variables)
      : fieldDefinition.args.find((a) => a.name === name)?.defaultValue;
    if (typeof raw === 'number' && Number.isFinite(raw)) sizes.push(Math.max(0, Math.trunc(raw)));
  }
  if (listSize.requireOneSlicingArgument && listSize.slicingArguments.length > 0 && sizes.length !== 1) {
    throw codedError(
      'BAD_REQUEST',
      `${coordinate} needs exactly one of ${listSize.slicingArguments.join(', ')} (@listSize)`,
      { status: 400 },
    );
  }
  return sizes.length > 0 ? Math.max(...sizes) : listSize.assumedSize;
}

function fieldCost(walk: Walk, field: SelectedField, sized: number | null): number {
  const { coordinate, definition, node } = field;
  const { directives, settings } = walk;
  const listSize = directives.listSize.get(coordinate);
  const expected = listSize ? expectedSize(walk, coordinate, listSize, node, definition) : null;
  const count = isListType(getNullableType(definition.type))
    ? (sized ?? expected ?? settings.defaultListSize)
    : 1;
  const type = getNamedType(definition.type);
  const weight =
    directives.fieldCost.get(coordinate) ??
    directives.typeCost.get(type.name) ??
    (isCompositeType(type) ? 1 : 0);
  const children = fieldsCost(walk, field.children, listSize ? { listSize, size: expected } : null);
  let argumentsCost = 0;
  for (const argument of node.arguments ?? []) {
    argumentsCost += directives.argumentCost.get(`${coordinate}(${argument.name.value}:)`) ?? 0;
  }
  return count * (weight + children) + argumentsCost;
}

/** `sizing`: the parent's @listSize, whose `sizedFields` take the parent's expected size. */
function fieldsCost(
  walk: Walk,
  fields: SelectedField[],
  sizing: { listSize: ListSize; size: number | null } | null,
): number {
  let cost = 0;
  for (const field of fields) {
    const sized = sizing?.listSize.sizedFields.includes(field.node.name.value) ? sizing.size : null;
    cost += fieldCost(walk, field, sized);
  }
  return cost;
}

/**
 * The static cost of an operation, before planning, as Apollo's demand control and the IBM cost
 * spec define it: each field returning an object costs 1 (a scalar or enum 0) or its `@cost`
 * weight (the field's, else its type's), times the list's expected length, plus its selections;
 * `@cost` arguments add their weight; a mutation adds `mutationCost`. A list's length comes from
 * `@listSize` (the largest slicing argument sent, including defaults and variables, or its
 * assumedSize; `sizedFields` take it from the parent), else `defaultListSize`. Fields skipped by
 * `@skip`/`@include` cost nothing: it walks the shared operation analysis, so it prices exactly
 * what authorization and rate limits see. Memoized per analysis, directives and variables.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  directives: LimitDirectives,
  settings: CostSettings,
): number {
  const analysis = analyzeOperation(schema, document, operation, variables);
  let memo = analysis.memo.get('cost') as
    | { directives: LimitDirectives; settings: CostSettings; costs: Map<string, number> }
    | undefined;
  if (memo?.directives !== directives || memo.settings !== settings) {
    memo = { directives, settings, costs: new Map() };
    analysis.memo.set('cost', memo);
  }
  const key = operation.variableDefinitions?.length ? JSON.stringify(variables) : '';
  const known = memo.costs.get(key);
  if (known !== undefined) return known;
  const walk: Walk = { directives, settings, operation, variables };
  const base = operation.operation === 'mutation' ? settings.mutationCost : 0;
  const cost = base + fieldsCost(walk, analysis.fields, null);
  if (memo.costs.size < 64) memo.costs.set(key, cost);
  return cost;
}
