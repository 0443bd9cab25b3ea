import { Kind, parse, type SelectionSetNode } from 'graphql';

type Path = (string | number)[];

interface FetchShape {
  /** True for `_entities(representations: ...)` fetches, which the planner makes for entity fields. */
  entity: boolean;
  /** Response names the fetch fills in on each entity (or at the root). */
  fields: string[];
}

const shapes = new Map<string, FetchShape>();
const MAX_SHAPES = 2_000;

function responseNames(selectionSet: SelectionSetNode, into: Set<string>): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const name = selection.alias?.value ?? selection.name.value;
      if (selection.name.value !== '__typename') into.add(name);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      responseNames(selection.selectionSet, into);
    }
  }
}

/** What a planner-generated subgraph query fills in. Cached: the planner reuses query strings. */
export function fetchShape(query: string): FetchShape {
  let shape = shapes.get(query);
  if (shape) return shape;
  const operation = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const first = operation?.selectionSet.selections[0];
  const entity =
    first?.kind === Kind.FIELD && first.name.value === '_entities' && first.selectionSet !== undefined;
  const fields = new Set<string>();
  if (entity && first?.kind === Kind.FIELD && first.selectionSet) responseNames(first.selectionSet, fields);
  else if (operation) responseNames(operation.selectionSet, fields);
  shape = { entity, fields: [...fields] };
  if (shapes.size >= MAX_SHAPES) shapes.clear();
  shapes.set(query, shape);
  return shape;
}

/**
 * The paths, relative to the fetch, of every field a failed fetch leaves null: `[field]` for a
 * root fetch, `["_entities", i, field]` for each entity of an entity fetch. @apollo/gateway turns
 * these into true response paths (`["models", "nodes", 3, "usage"]`) with the entity index, the
 * way it does for errors a subgraph reports itself, so a client never sees a planner placeholder.
 */
export function failedFieldPaths(query: string, variables: Record<string, unknown> | undefined): Path[] {
  const shape = fetchShape(query);
  if (!shape.entity) return shape.fields.map((field) => [field]);
  const representations = Array.isArray(variables?.representations) ? variables.representations.length : 0;
  const paths: Path[] = [];
  for (let i = 0; i < representations; i += 1) {
    for (const field of shape.fields) paths.push(['_entities', i, field]);
  }
  return paths;
}
