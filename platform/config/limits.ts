import { z } from 'zod';

const count = z.number().int().positive();

export interface QueryLimitDefaults {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxTokens: number;
  maxDirectives: number;
  maxBatchOperations: number;
  maxVariablesBytes: number;
}

const limitKeys = (defaults: QueryLimitDefaults) => ({
  /** Nesting of fields; fragments add no level of their own (they add none to the response). */
  maxDepth: count.default(defaults.maxDepth),
  /** Aliased fields per operation (`__typename` too), through fragments; the cheap way to multiply a costly field. */
  maxAliases: count.default(defaults.maxAliases),
  /** Response keys at the root: each is at least one backend fetch. */
  maxRootFields: count.default(defaults.maxRootFields),
  /** Lexical tokens of the whole document, counted while parsing so a huge query is never built. */
  maxTokens: count.default(defaults.maxTokens),
  /** Directives per operation (`@include`, `@skip` ...), through fragments. */
  maxDirectives: count.default(defaults.maxDirectives),
  /** Operations in one HTTP batch (a JSON array); 1 turns batching off. */
  maxBatchOperations: count.default(defaults.maxBatchOperations),
  /** Size of the `variables` of one operation as JSON; our operations send ids and cursors. */
  maxVariablesBytes: count.default(defaults.maxVariablesBytes),
});

/** A limits section with these defaults (the gateway's and the BFFs' differ). */
export function queryLimitsSection(defaults: QueryLimitDefaults) {
  return z.strictObject(limitKeys(defaults)).prefault({});
}

/** The same keys, all optional and without defaults: one service's changes to a shared section. */
export const queryLimitsOverride = z.strictObject(limitKeys(gatewayDefaults())).partial();

/**
 * What one request may ask of the gateway, checked before any planning. The defaults come from
 * our own deepest real operations (the BFF operations under test/fixtures/operations stand in
 * for them until the BFFs exist), measured the way the limits count:
 *
 *   operation        depth  aliases  root fields  tokens  directives
 *   WebModels            7        0            1     136           0   models.edges.node.replacement.usage.series.at
 *   WebDashboard         5        0            3     109           0   tenant.invoices.edges.node.id
 *   MobileOverview       4        5            3     110           1   three usage windows side by side
 *   CliModelUsage        4        0            1      79           0
 *
 * graphql-armor's defaults (depth 6) would refuse WebModels, a card list with each deprecated
 * model's replacement. Each limit leaves room for the next screens without letting a client
 * multiply work: depth 10 allows three levels more than our deepest operation, and the only
 * recursive path (Model.replacement) stays within one subgraph; 15 aliases is three times the
 * most a screen uses; 8 root fields covers every distinct root field plus two aliased; 1000
 * tokens is seven times our largest operation and keeps the parser's recursion shallow.
 */
function gatewayDefaults(): QueryLimitDefaults {
  return {
    maxDepth: 10,
    maxAliases: 15,
    maxRootFields: 8,
    maxTokens: 1000,
    maxDirectives: 10,
    maxBatchOperations: 10,
    maxVariablesBytes: 16_384,
  };
}

export const limitsSection = queryLimitsSection(gatewayDefaults());
