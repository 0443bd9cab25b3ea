import { type GraphQLFormattedError, Kind, parse, type SelectionSetNode } from 'graphql';

type Path = (string | number)[];
type Variables = Record<string, unknown> | undefined;

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
export function failedFieldPaths(query: string, variables: Variables): Path[] {
  const shape = fetchShape(query);
  if (!shape.entity) return shape.fields.map((field) => [field]);
  const representations = representationCount(variables);
  const paths: Path[] = [];
  for (let i = 0; i < representations; i += 1) {
    for (const field of shape.fields) paths.push(['_entities', i, field]);
  }
  return paths;
}

export function representationCount(variables: Variables): number {
  return Array.isArray(variables?.representations) ? variables.representations.length : 0;
}

/** The fields of the fetch the subgraph's data leaves null (all of them when there is no data). */
function nullFieldPaths(query: string, variables: Variables, data: unknown): Path[] {
  const shape = fetchShape(query);
  const record = (value: unknown) =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  const entities = record(data)?._entities;
  return failedFieldPaths(query, variables).filter((path) => {
    const holder = shape.entity
      ? record(Array.isArray(entities) ? entities[path[1] as number] : undefined)
      : record(data);
    return holder?.[path.at(-1) as string] == null;
  });
}

/** A path @apollo/gateway can turn into a true response path for this fetch. */
function placeable(path: readonly (string | number)[] | undefined, entity: boolean, count: number): boolean {
  if (!path || path.length === 0) return false;
  if (!entity) return true;
  return path[0] === '_entities' && typeof path[1] === 'number' && path[1] < count && path.length >= 3;
}

function overlaps(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Gives every error of a subgraph's answer a path the gateway can make true. An entity fetch's
 * error at `["_entities"]`, `["_entities", i]` or with no path would otherwise come out as a
 * planner placeholder (`["models", "nodes", "@", "_entities"]`) or with no path at all; it is
 * moved onto the fields it left null instead (one error per null field). Errors that already name
 * a field keep their path.
 */
export function placeErrors(
  errors: readonly GraphQLFormattedError[],
  data: unknown,
  query: string,
  variables: Variables,
): GraphQLFormattedError[] {
  const { entity, fields } = fetchShape(query);
  const count = representationCount(variables);
  const placed: GraphQLFormattedError[] = [];
  const unplaced: GraphQLFormattedError[] = [];
  for (const error of errors) {
    const { path, ...rest } = error;
    if (placeable(path, entity, count)) placed.push(error);
    else if (entity && path?.[0] === '_entities' && typeof path[1] === 'number' && path[1] < count) {
      for (const field of fields) placed.push({ ...rest, path: ['_entities', path[1], field] });
    } else unplaced.push(rest);
  }
  const [first, ...others] = unplaced;
  if (!first) return placed;
  const uncovered = nullFieldPaths(query, variables, data).filter(
    (path) => !placed.some((error) => error.path && overlaps(error.path, path)),
  );
  if (uncovered.length === 0) return [...placed, ...unplaced];
  const spread = uncovered.map((path) => ({ ...first, path }));
  // Masked messages repeat; keep only the pathless errors that say something the first does not.
  const distinct = others.filter((error) => error.message !== first.message);
  return [...placed, ...spread, ...distinct];
}

/** Whether an entity fetch's data has the `_entities` list @apollo/gateway insists on. */
export function entitiesFit(data: unknown, query: string, variables: Variables): boolean {
  if (!fetchShape(query).entity || data === null || data === undefined) return true;
  const entities = (data as { _entities?: unknown })._entities;
  return Array.isArray(entities) && entities.length === representationCount(variables);
}
