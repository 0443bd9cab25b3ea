import {
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
import type { CacheHints, CacheScope } from './hints.ts';

/** How long an answer may be kept, and for whom; maxAge 0 = not cacheable. */
export interface CachePolicy {
  maxAge: number;
  scope: CacheScope;
}

/** The `Cache-Control` value an answer under `policy` is sent with (full path and fast path alike). */
export const cacheControlHeader = (policy: CachePolicy): string =>
  `max-age=${policy.maxAge}, ${policy.scope.toLowerCase()}`;

/**
 * The cache policy of an operation, read statically from the schema's hints with Apollo Server's
 * rules, so it is known before anything runs (and a hit runs nothing):
 *
 * - a field returning a composite type takes its type's hint, then its own (its own maxAge wins;
 *   PRIVATE on either makes it PRIVATE);
 * - `inheritMaxAge` (on the field, or on its type when the field sets no maxAge) takes the parent's;
 * - a root field, or one returning a composite type, with no maxAge is 0 (not cacheable); a scalar
 *   field with none inherits its parent's;
 * - the operation gets the smallest maxAge of its fields, and is PRIVATE if any field is.
 *
 * Mutations and subscriptions are never cacheable.
 */
export function operationCachePolicy(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  hints: CacheHints,
  maxTtlSec: number,
): CachePolicy {
  const root = schema.getQueryType();
  if (operation.operation !== 'query' || !root) return { maxAge: 0, scope: 'PUBLIC' };
  return selectionCachePolicy({ schema, fragments, hints, maxTtlSec }, operation.selectionSet, root, null);
}

export interface PolicyInput {
  schema: GraphQLSchema;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  hints: CacheHints;
  maxTtlSec: number;
}

/**
 * The policy of a selection on `parent`, whose own maxAge is `parentMaxAge` (null at the root):
 * the walk behind operationCachePolicy, and the entity cache's for one `... on Type` of an
 * `_entities` fetch.
 */
export function selectionCachePolicy(
  input: PolicyInput,
  selectionSet: SelectionSetNode,
  parent: GraphQLCompositeType,
  parentMaxAge: number | null,
): CachePolicy {
  const { schema, fragments, hints } = input;
  const policy: CachePolicy = { maxAge: input.maxTtlSec, scope: 'PUBLIC' };
  const visited = new Set<string>();

  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    parentMaxAge: number | null,
  ) => {
    for (const selection of selectionSet.selections) {
      if (policy.maxAge === 0) return;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        if (condition && isCompositeType(condition)) walk(selection.selectionSet, condition, parentMaxAge);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        const condition = fragment && schema.getType(fragment.typeCondition.name.value);
        // A fragment is walked once per parent age: spreading it twice adds nothing.
        const seen = `${selection.name.value}@${parentMaxAge}`;
        if (!fragment || !condition || !isCompositeType(condition) || visited.has(seen)) continue;
        visited.add(seen);
        walk(fragment.selectionSet, condition, parentMaxAge);
        continue;
      }
      const name = selection.name.value;
      if (name === '__typename') continue;
      if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
      const field = parent.getFields()[name];
      if (!field) {
        // Introspection (`__schema`, `__type`) and anything unknown: never cached.
        policy.maxAge = 0;
        return;
      }
      const returned = getNamedType(field.type);
      const composite = isCompositeType(returned);
      const typeHint = composite ? hints.types.get(returned.name) : undefined;
      const fieldHint = hints.fields.get(`${parent.name}.${name}`);
      let maxAge = fieldHint?.maxAge ?? typeHint?.maxAge;
      const inherit =
        fieldHint?.inheritMaxAge || (fieldHint?.maxAge === undefined && typeHint?.inheritMaxAge);
      if (inherit && parentMaxAge !== null) maxAge = parentMaxAge;
      if (maxAge === undefined && !composite && parentMaxAge !== null) maxAge = parentMaxAge;
      if (typeHint?.scope === 'PRIVATE' || fieldHint?.scope === 'PRIVATE') policy.scope = 'PRIVATE';
      const age = maxAge ?? 0;
      policy.maxAge = Math.min(policy.maxAge, age);
      if (composite && selection.selectionSet) walk(selection.selectionSet, returned, age);
    }
  };
  walk(selectionSet, parent, parentMaxAge);
  return policy;
}
