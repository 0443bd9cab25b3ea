import { z } from 'zod';
import { subgraphDefaultsSchema, subgraphTransport } from './subgraph-transport.ts';

export type { SubgraphTransportConfig } from './subgraph-transport.ts';

export const gatewaySection = z
  .strictObject({
    supergraphPath: z.string().min(1).default('supergraph.graphql'),
    /** Reload the schema when the supergraph file changes; the old one keeps serving if the new is bad. */
    watchSupergraph: z.boolean().default(true),
    /** Opt-in only: @apollo/gateway's host metrics to Apollo. Portico never phones home by default. */
    apolloTelemetry: z.boolean().default(false),
    /** Introspection and the offline IDE; when unset, on in development only. */
    introspection: z.boolean().optional(),
    maxBodyBytes: z.number().int().positive().default(1_048_576),
    /**
     * Client headers passed on to subgraphs. Everything else is dropped; identity headers and
     * hop-by-hop headers are never passed on, whatever this list says.
     */
    propagateHeaders: z.array(z.string().min(1).toLowerCase()).default(['accept-language']),
    /**
     * The longest any request may run. It caps a client's deadline (`x-request-deadline`, or
     * `request-timeout` in ms) and is the deadline of a request that brings none.
     */
    maxRequestMs: z.number().int().positive().default(10_000),
    /** Kept back from each subgraph call's share of the deadline, to merge and answer in time. */
    deadlineMarginMs: z.number().int().min(0).default(20),
    subgraphDefaults: subgraphDefaultsSchema,
    /** Per-subgraph overrides of `subgraphDefaults`, key by key. */
    subgraphs: z.record(z.string(), subgraphTransport).default({}),
  })
  .prefault({});
