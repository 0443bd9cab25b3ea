import { z } from 'zod';

const count = z.number().int().positive();

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
export const limitsSection = z
  .strictObject({
    /** Nesting of fields; fragments add no level of their own (they add none to the response). */
    maxDepth: count.default(10),
    /** Aliased fields per operation, through fragments; the cheapest way to multiply a costly field. */
    maxAliases: count.default(15),
    /** Response keys at the root: each is at least one subgraph fetch. */
    maxRootFields: count.default(8),
    /** Lexical tokens of the whole document, counted while parsing so a huge query is never built. */
    maxTokens: count.default(1000),
    /** Directives per operation (`@include`, `@skip` ...), through fragments. */
    maxDirectives: count.default(10),
    /** Operations in one HTTP batch (a JSON array); 1 turns batching off. */
    maxBatchOperations: count.default(10),
    /** Size of the `variables` of one operation as JSON; our operations send ids and cursors. */
    maxVariablesBytes: count.default(16_384),
  })
  .prefault({});
