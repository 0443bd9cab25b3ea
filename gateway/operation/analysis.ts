import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { type Conditions, coerceConditions, conditionVariablesOf, included } from './skip-include.ts';

/** A field the operation selects, where it is selected, with what it selects below. */
export interface SelectedField {
  /** The response key (alias or name). */
  key: string;
  coordinate: string;
  parent: GraphQLObjectType | GraphQLInterfaceType;
  definition: GraphQLField<unknown, unknown>;
  node: FieldNode;
  children: SelectedField[];
}

/**
 * What an operation selects, once: the tree every policy reads (anonymous access, field
 * authorization, rate limits and cost), with fragments expanded in place and `@skip` /
 * `@include` applied by the one rule in skip-include.ts. Memoized per schema, document and
 * operation, and per the values of the variables its conditions read (none for most documents),
 * so a repeated operation is analysed once.
 */
export interface OperationAnalysis {
  fields: SelectedField[];
  /** Root field names selected, introspection included, `__typename` excluded. */
  rootFields: Set<string>;
  /** Every schema coordinate (`Type.field`) selected. */
  coordinates: Set<string>;
  /** Response paths (keys joined by `.`) at which `__typename` is selected. */
  typenameAt: Set<string>;
  /** Per-analysis memo space for the policies built on it (decisions, costs). */
  memo: Map<string, unknown>;
}

function analyze(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  conditions: Conditions,
): OperationAnalysis {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const analysis: OperationAnalysis = {
    fields: [],
    rootFields: new Set(),
    coordinates: new Set(),
    typenameAt: new Set(),
    memo: new Map(),
  };
  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    path: string,
    into: SelectedField[],
    inFragments: ReadonlySet<string>,
  ) => {
    for (const selection of selectionSet.selections) {
      if (!included(selection, conditions)) continue;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') {
          analysis.typenameAt.add(path);
          continue;
        }
        if (path === '' && parent === schema.getRootType(operation.operation)) analysis.rootFields.add(name);
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const definition = parent.getFields()[name];
        // Introspection fields (__schema, __type) are not among the type's fields.
        if (!definition) continue;
        const key = selection.alias?.value ?? name;
        const field: SelectedField = {
          key,
          coordinate: `${parent.name}.${name}`,
          parent,
          definition,
          node: selection,
          children: [],
        };
        analysis.coordinates.add(field.coordinate);
        into.push(field);
        const type = getNamedType(definition.type);
        if (selection.selectionSet && isCompositeType(type)) {
          walk(selection.selectionSet, type, path ? `${path}.${key}` : key, field.children, inFragments);
        }
        continue;
      }
      const fragment =
        selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
      if (!fragment) continue;
      const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
      if (!condition || !isCompositeType(condition)) continue;
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        // Validation rules out cycles; this only keeps an unvalidated document from looping.
        if (inFragments.has(selection.name.value)) continue;
        walk(fragment.selectionSet, condition, path, into, new Set([...inFragments, selection.name.value]));
      } else {
        walk(fragment.selectionSet, condition, path, into, inFragments);
      }
    }
  };
  const root = schema.getRootType(operation.operation);
  if (root) walk(operation.selectionSet, root, '', analysis.fields, new Set());
  return analysis;
}

const cache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, OperationAnalysis>>>();
/** Distinct condition values kept per document; beyond it (a client varying them endlessly) the oldest go. */
const MAX_VARIANTS = 32;

export function analyzeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): OperationAnalysis {
  const names = conditionVariablesOf(document);
  const conditions = names.length > 0 ? coerceConditions(schema, operation, variables) : {};
  const key = `${operation.name?.value ?? ''}\n${
    conditions ? names.map((name) => String(conditions[name])).join(',') : 'uncoerced'
  }`;
  let byDocument = cache.get(schema);
  if (!byDocument) {
    byDocument = new WeakMap();
    cache.set(schema, byDocument);
  }
  let variants = byDocument.get(document);
  if (!variants) {
    variants = new Map();
    byDocument.set(document, variants);
  }
  let analysis = variants.get(key);
  if (!analysis) {
    analysis = analyze(schema, document, operation, conditions);
    if (variants.size >= MAX_VARIANTS) variants.delete(variants.keys().next().value!);
    variants.set(key, analysis);
  }
  return analysis;
}
