/**
 * A subgraph request's JSON body, byte for byte what `JSON.stringify({ query, variables,
 * operationName })` gives. The query of a fetch is the plan's own string, the same for every
 * request that runs the plan, so its JSON encoding (escaping included) is kept per query and only
 * the variables (the `_entities` representations, most of the work) are encoded per call.
 */

/** More distinct fetch queries than this (plans churning) and the cache starts afresh. */
const MAX_QUERIES = 2_000;
const encodedQueries = new Map<string, string>();

function encodedQuery(query: string): string {
  let encoded = encodedQueries.get(query);
  if (encoded === undefined) {
    if (encodedQueries.size >= MAX_QUERIES) encodedQueries.clear();
    encoded = `{"query":${JSON.stringify(query)}`;
    encodedQueries.set(query, encoded);
  }
  return encoded;
}

export function requestBody(
  query: string,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): string {
  let body = encodedQuery(query);
  // JSON.stringify leaves out a property whose value it cannot encode (undefined, a function);
  // its result is then undefined, and so is left out here too.
  const vars = variables === undefined ? undefined : JSON.stringify(variables);
  if (vars !== undefined) body += `,"variables":${vars}`;
  if (operationName !== undefined) body += `,"operationName":${JSON.stringify(operationName)}`;
  return `${body}}`;
}
