import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  GraphQLIncludeDirective,
  type GraphQLOutputType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getDirectiveValues,
  getNamedType,
  getVariableValues,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import {
  type Caller,
  type SecurityRequirements,
  unmetRequirement,
} from '../../platform/authz/requirements.ts';

/** One step of a response path pattern: a response key and the type of the field there. */
export interface Segment {
  key: string;
  type: GraphQLOutputType;
}

export interface Denial {
  /** From the root to the denied field; lists are expanded when the response is walked. */
  pattern: Segment[];
  coordinate: string;
  reason: string;
}

export interface Decision {
  denials: Denial[];
  /** The operation without the denied fields, to plan and execute instead of the original. */
  document: DocumentNode;
  /** Path patterns (joined keys) at which the client itself asked for `__typename`. */
  typenameRequested: Set<string>;
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * Whether `@skip` / `@include` keep a selection, with the operation's coerced variables. When the
 * variables do not coerce, the selection counts as included: the request fails on its variables
 * anyway, and deciding "included" can only deny more, never less.
 */
function included(
  node: { directives?: readonly unknown[] } & Parameters<typeof getDirectiveValues>[1],
  variables: Record<string, unknown> | undefined,
): boolean {
  if (!node.directives?.length || !variables) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/**
 * Decides which fields of an operation the caller may not see, by the supergraph's
 * `@authenticated` and `@requiresScopes` on the field and on the type it returns. Decisions are
 * per schema coordinate, so removing a denied field wherever it appears (fragments included)
 * matches what the walk decided. Returns null when everything is allowed.
 */
export function authorize(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown>,
  requirements: SecurityRequirements,
  caller: Caller,
): Decision | null {
  // Defaults applied and values coerced as execution will see them; raw request variables miss
  // defaults (`$withModels: Boolean = true`) and would make getDirectiveValues throw.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs);
  const variables = coerced.errors ? undefined : coerced.coerced;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const denials: Denial[] = [];
  const deniedCoordinates = new Set<string>();
  const typenameRequested = new Set<string>();

  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    pattern: Segment[],
    seen: Set<string>,
  ) => {
    for (const selection of selectionSet.selections) {
      if (!included(selection, variables)) continue;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : parent;
        if (type && isCompositeType(type)) walk(selection.selectionSet, type, pattern, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const type = typeFromAST(schema, fragment.typeCondition);
        if (type && isCompositeType(type))
          walk(fragment.selectionSet, type, pattern, new Set([...seen, fragment.name.value]));
        continue;
      }
      const name = selection.name.value;
      const key = selection.alias?.value ?? name;
      if (name === '__typename') typenameRequested.add(pattern.map((s) => s.key).join('.'));
      if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[name];
      if (!field) continue;
      const coordinate = `${parent.name}.${name}`;
      const named = getNamedType(field.type);
      // A field's own requirement and its type's both apply.
      const reason =
        [requirements.fields.get(coordinate), requirements.types.get(named.name)]
          .map((requirement) => (requirement ? unmetRequirement(requirement, caller) : null))
          .find((denied) => denied !== null) ?? null;
      const here = [...pattern, { key, type: field.type }];
      if (reason) {
        denials.push({ pattern: here, coordinate, reason });
        deniedCoordinates.add(coordinate);
      } else if (selection.selectionSet && isCompositeType(named)) {
        walk(selection.selectionSet, named, here, seen);
      }
    }
  };
  const root = schema.getRootType(operation.operation);
  if (!root) return null;
  walk(operation.selectionSet, root, [], new Set());
  if (denials.length === 0) return null;

  const typeInfo = new TypeInfo(schema);
  const withoutDenied = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        return parent && deniedCoordinates.has(`${parent.name}.${node.name.value}`) ? null : undefined;
      },
    }),
  );
  // A selection set left empty would not validate; `__typename` keeps it valid and is removed
  // from the response again unless the client asked for it.
  const filtered = visit(withoutDenied, {
    SelectionSet: {
      leave(node) {
        return node.selections.length === 0 ? { ...node, selections: [TYPENAME] } : undefined;
      },
    },
  });
  return { denials, document: filtered, typenameRequested };
}
