import { type DirectiveNode, type DocumentNode, Kind, parse, valueFromASTUntyped } from 'graphql';
import type { RateLimitArgs } from 'graphql-rate-limit-directive';
import { RATE_LIMIT_SPEC_URL } from '../../platform/rate-limit/directive.ts';

export interface ListSize {
  assumedSize: number | null;
  slicingArguments: string[];
  sizedFields: string[];
  requireOneSlicingArgument: boolean;
}

/**
 * What the gateway reads from the supergraph to price and limit an operation before planning,
 * keyed by schema coordinate (`Type.field`, `Type.field(arg:)`).
 */
export interface LimitDirectives {
  /** `@cost(weight:)` on fields, and on types (the weight of every field returning the type). */
  fieldCost: Map<string, number>;
  typeCost: Map<string, number>;
  argumentCost: Map<string, number>;
  listSize: Map<string, ListSize>;
  /** `@rateLimit` on fields, and on object types (for each of their fields without their own). */
  fieldRateLimit: Map<string, RateLimitArgs>;
  typeRateLimit: Map<string, RateLimitArgs>;
  /** The subgraphs that resolve a field (not `@external` there). */
  owners: Map<string, string[]>;
}

export const noLimitDirectives = (): LimitDirectives => ({
  fieldCost: new Map(),
  typeCost: new Map(),
  argumentCost: new Map(),
  listSize: new Map(),
  fieldRateLimit: new Map(),
  typeRateLimit: new Map(),
  owners: new Map(),
});

function args(directive: DirectiveNode): Record<string, unknown> {
  return Object.fromEntries(
    (directive.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]),
  );
}

/**
 * The name a linked directive has in this supergraph: imported (maybe renamed with `as`), or
 * namespaced as `<spec>__<directive>`; a spec's own directive is named after the spec (`@cost`).
 */
function linkedName(document: DocumentNode, urlPrefix: string, spec: string, directive: string): string {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      const { url, as, import: imports } = args(link) as { url?: string; as?: string; import?: unknown[] };
      if (link.name.value !== 'link' || !url?.startsWith(urlPrefix)) continue;
      for (const entry of imports ?? []) {
        if (entry === `@${directive}`) return directive;
        const named = entry as { name?: string; as?: string };
        if (named?.name === `@${directive}`) return (named.as ?? named.name).replace(/^@/, '');
      }
      const namespace = as ?? spec;
      return directive === spec ? namespace : `${namespace}__${directive}`;
    }
  }
  return directive;
}

function rateLimitArgs(directive: DirectiveNode): RateLimitArgs {
  // The directive's own defaults (graphql-rate-limit-directive's: 60 per 60 s) apply to omitted arguments.
  const { limit, duration } = args(directive) as Partial<RateLimitArgs>;
  return { limit: limit ?? 60, duration: duration ?? 60 };
}

/** Reads @cost, @listSize, @rateLimit and the join ownership of fields from a supergraph. */
export function readLimitDirectives(supergraphSdl: string): LimitDirectives {
  const document = parse(supergraphSdl);
  const names = {
    cost: linkedName(document, 'https://specs.apollo.dev/cost/', 'cost', 'cost'),
    listSize: linkedName(document, 'https://specs.apollo.dev/cost/', 'cost', 'listSize'),
    rateLimit: linkedName(document, RATE_LIMIT_SPEC_URL.replace(/v[\d.]+$/, ''), 'rateLimit', 'rateLimit'),
  };
  const out = noLimitDirectives();
  const graphs = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === 'join__Graph') {
      for (const v of definition.values ?? []) {
        const graph = v.directives?.find((d) => d.name.value === 'join__graph');
        graphs.set(v.name.value, String(graph ? args(graph).name : v.name.value.toLowerCase()));
      }
    }
  }
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const type = definition.name.value;
    const typeGraphs: string[] = [];
    for (const directive of definition.directives ?? []) {
      const name = directive.name.value;
      if (name === names.cost) out.typeCost.set(type, Number(args(directive).weight));
      if (name === names.rateLimit) out.typeRateLimit.set(type, rateLimitArgs(directive));
      if (name === 'join__type') typeGraphs.push(graphs.get(String(args(directive).graph)) ?? '');
    }
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION)
      continue;
    for (const field of definition.fields ?? []) {
      const coordinate = `${type}.${field.name.value}`;
      const owners: string[] = [];
      let joined = false;
      for (const directive of field.directives ?? []) {
        const name = directive.name.value;
        const given = args(directive);
        if (name === names.cost) out.fieldCost.set(coordinate, Number(given.weight));
        if (name === names.rateLimit) out.fieldRateLimit.set(coordinate, rateLimitArgs(directive));
        if (name === names.listSize) {
          out.listSize.set(coordinate, {
            assumedSize: typeof given.assumedSize === 'number' ? given.assumedSize : null,
            slicingArguments: (given.slicingArguments as string[] | undefined) ?? [],
            sizedFields: (given.sizedFields as string[] | undefined) ?? [],
            requireOneSlicingArgument: given.requireOneSlicingArgument !== false,
          });
        }
        if (name === 'join__field') {
          joined = true;
          if (given.graph !== undefined && given.external !== true)
            owners.push(graphs.get(String(given.graph)) ?? '');
        }
      }
      out.owners.set(coordinate, joined ? owners : typeGraphs);
      for (const argument of field.arguments ?? []) {
        const cost = argument.directives?.find((d) => d.name.value === names.cost);
        if (cost) out.argumentCost.set(`${coordinate}(${argument.name.value}:)`, Number(args(cost).weight));
      }
    }
  }
  return out;
}
