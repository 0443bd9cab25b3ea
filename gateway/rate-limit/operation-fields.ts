import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { RateLimitArgs } from 'graphql-rate-limit-directive';
import type { LimitDirectives } from './supergraph-directives.ts';
import { included } from './values.ts';

/**
 * The schema coordinates (`Type.field`) an operation selects, through fragments, leaving out what
 * `@skip`/`@include` leave out. Each fragment is walked once per parent type (validation has ruled
 * out cycles), so a large document costs one pass.
 */
export function selectedCoordinates(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): Set<string> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const coordinates = new Set<string>();
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType) => {
    for (const selection of selectionSet.selections) {
      if (!included(selection, operation, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const definition = parent.getFields()[selection.name.value];
        if (!definition) continue;
        coordinates.add(`${parent.name}.${selection.name.value}`);
        const type = getNamedType(definition.type);
        if (selection.selectionSet && isCompositeType(type)) walk(selection.selectionSet, type);
        continue;
      }
      const fragment =
        selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment) continue;
      const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
      if (!condition || !isCompositeType(condition)) continue;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const key = `${selection.name.value}@${parent.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
      }
      walk(fragment.selectionSet, condition);
    }
  };
  const root = schema.getRootType(operation.operation);
  if (root) walk(operation.selectionSet, root);
  return coordinates;
}

/**
 * The subgraphs an operation reads from, before planning: every field only one subgraph resolves
 * names that subgraph. Fields several resolve (keys, @shareable) name none: they are fetched
 * wherever their parent is, which the parent's own field already names.
 */
export function subgraphsOf(coordinates: Iterable<string>, directives: LimitDirectives): Set<string> {
  const subgraphs = new Set<string>();
  for (const coordinate of coordinates) {
    const owners = directives.owners.get(coordinate);
    if (owners?.length === 1) subgraphs.add(owners[0]!);
  }
  return subgraphs;
}

export interface RateLimitedField {
  coordinate: string;
  args: RateLimitArgs;
  /** The subgraphs that count it (the key namespace of their budgets). */
  subgraphs: string[];
}

/** The selected fields with a `@rateLimit` budget: their own, or their object type's. */
export function rateLimitedFields(
  coordinates: Iterable<string>,
  directives: LimitDirectives,
): RateLimitedField[] {
  const fields: RateLimitedField[] = [];
  for (const coordinate of coordinates) {
    const args =
      directives.fieldRateLimit.get(coordinate) ?? directives.typeRateLimit.get(coordinate.split('.')[0]!);
    if (args) fields.push({ coordinate, args, subgraphs: directives.owners.get(coordinate) ?? [] });
  }
  return fields;
}
