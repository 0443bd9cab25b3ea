import type { RateLimitArgs } from 'graphql-rate-limit-directive';
import type { LimitDirectives } from './supergraph-directives.ts';

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
