import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { codedError } from '../../platform/errors.ts';
import type { LimitDirectives, ListSize } from './supergraph-directives.ts';
import { included, literalOrVariable } from './values.ts';

export interface CostSettings {
  defaultListSize: number;
  mutationCost: number;
}

interface Walk {
  schema: GraphQLSchema;
  directives: LimitDirectives;
  settings: CostSettings;
  fragments: Map<string, FragmentDefinitionNode>;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown>;
}

/** The expected length of a `@listSize` field: the largest slicing argument given, else assumedSize. */
function expectedSize(walk: Walk, coordinate: string, listSize: ListSize, field: FieldNode): number | null {
  const definition = walk.schema.getType(coordinate.split('.')[0]!);
  const fieldDefinition =
    definition && (isObjectType(definition) || isInterfaceType(definition))
      ? definition.getFields()[field.name.value]
      : undefined;
  const sizes: number[] = [];
  for (const name of listSize.slicingArguments) {
    const given = field.arguments?.find((a) => a.name.value === name);
    const raw = given
      ? literalOrVariable(given.value, walk.operation, walk.variables)
      : fieldDefinition?.args.find((a) => a.name === name)?.defaultValue;
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

function fieldCost(walk: Walk, field: FieldNode, parent: GraphQLCompositeType, sized: number | null): number {
  const name = field.name.value;
  if (name === '__typename' || !included(field, walk.operation, walk.variables)) return 0;
  if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
  const definition = parent.getFields()[name];
  // Introspection fields (__schema, __type) are not in the type's fields; they cost nothing here.
  if (!definition) return 0;
  const coordinate = `${parent.name}.${name}`;
  const { directives, settings } = walk;
  const listSize = directives.listSize.get(coordinate);
  const expected = listSize ? expectedSize(walk, coordinate, listSize, field) : null;
  const count = isListType(getNullableType(definition.type))
    ? (sized ?? expected ?? settings.defaultListSize)
    : 1;
  const type = getNamedType(definition.type);
  const weight =
    directives.fieldCost.get(coordinate) ??
    directives.typeCost.get(type.name) ??
    (isCompositeType(type) ? 1 : 0);
  const children =
    field.selectionSet && isCompositeType(type)
      ? selectionCost(walk, field.selectionSet, type, listSize ? { listSize, size: expected } : null)
      : 0;
  let argumentsCost = 0;
  for (const argument of field.arguments ?? []) {
    argumentsCost += directives.argumentCost.get(`${coordinate}(${argument.name.value}:)`) ?? 0;
  }
  return count * (weight + children) + argumentsCost;
}

/** `sizing`: the parent's @listSize, whose `sizedFields` take the parent's expected size. */
function selectionCost(
  walk: Walk,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  sizing: { listSize: ListSize; size: number | null } | null,
): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const sized = sizing?.listSize.sizedFields.includes(selection.name.value) ? sizing.size : null;
      cost += fieldCost(walk, selection, parent, sized);
      continue;
    }
    if (!included(selection, walk.operation, walk.variables)) continue;
    const fragment =
      selection.kind === Kind.FRAGMENT_SPREAD ? walk.fragments.get(selection.name.value) : selection;
    if (!fragment) continue;
    const condition = fragment.typeCondition
      ? walk.schema.getType(fragment.typeCondition.name.value)
      : parent;
    if (condition && isCompositeType(condition))
      cost += selectionCost(walk, fragment.selectionSet, condition, sizing);
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
 * `@skip`/`@include` cost nothing. Validation has already run, so fragments cannot cycle.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  directives: LimitDirectives,
  settings: CostSettings,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const walk: Walk = { schema, directives, settings, fragments, operation, variables };
  const base = operation.operation === 'mutation' ? settings.mutationCost : 0;
  return base + selectionCost(walk, operation.selectionSet, root, null);
}
