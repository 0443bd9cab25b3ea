import {
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';

type Json = Record<string, unknown>;

/**
 * The entities an answer holds, as purge tags: `Type:id` for each object of a type with an `id`
 * field whose id was selected, and `Type` for each such type (so a mutation that returns an entity
 * without its id still purges every entry holding that type). Objects are typed by the schema as
 * the selection walks down, or by `__typename` where the answer has it (abstract types).
 */
export function entityTags(
  schema: GraphQLSchema,
  selectionSet: SelectionSetNode,
  root: GraphQLCompositeType,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  data: unknown,
): { withId: Set<string>; types: Set<string> } {
  const withId = new Set<string>();
  const types = new Set<string>();
  const visitValue = (value: unknown, set: SelectionSetNode, type: GraphQLCompositeType) => {
    if (Array.isArray(value)) {
      for (const item of value) visitValue(item, set, type);
    } else if (value !== null && typeof value === 'object') {
      visitObject(value as Json, set, type);
    }
  };
  const visitObject = (object: Json, set: SelectionSetNode, declared: GraphQLCompositeType) => {
    const named = typeof object.__typename === 'string' ? schema.getType(object.__typename) : undefined;
    const type = named && isCompositeType(named) ? named : declared;
    if (isObjectType(type) && type.getFields().id) {
      types.add(type.name);
      const id = object.id;
      if (typeof id === 'string' || typeof id === 'number') withId.add(`${type.name}:${id}`);
    }
    visitSelections(object, set, type);
  };
  const visitSelections = (object: Json, set: SelectionSetNode, type: GraphQLCompositeType) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.selectionSet || (!isObjectType(type) && !isInterfaceType(type))) continue;
        const field = type.getFields()[selection.name.value];
        const returned = field && getNamedType(field.type);
        const value = object[selection.alias?.value ?? selection.name.value];
        if (returned && isCompositeType(returned)) visitValue(value, selection.selectionSet, returned);
        continue;
      }
      const fragment =
        selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment) continue;
      const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
      // A fragment on another concrete type does not apply to this object.
      if (!condition || !isCompositeType(condition)) continue;
      if (isObjectType(condition) && isObjectType(type) && condition !== type) continue;
      visitSelections(object, fragment.selectionSet, isObjectType(type) ? type : condition);
    }
  };
  visitValue(data, selectionSet, root);
  return { withId, types };
}
