import { z } from 'zod';

/** Per-subgraph transport policy; every key may be set under `defaults` or per subgraph. */
export const subgraphTransport = z.strictObject({
  /** Replaces the supergraph's routing URL (compose and tests point at other hosts). */
  url: z.url().optional(),
  timeoutMs: z.number().int().positive().optional(),
  /** Keep-alive connections held open to this subgraph. */
  connections: z.number().int().positive().optional(),
  /** Let this subgraph's error messages reach clients (they are masked by default). */
  exposeErrorMessages: z.boolean().optional(),
  /** Extension keys of this subgraph's errors that may reach clients. */
  exposeErrorExtensions: z.array(z.string().min(1)).optional(),
});
export type SubgraphTransportConfig = z.infer<typeof subgraphTransport>;

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
    subgraphDefaults: subgraphTransport
      .extend({
        timeoutMs: z.number().int().positive().default(3_000),
        connections: z.number().int().positive().default(64),
        exposeErrorMessages: z.boolean().default(false),
        exposeErrorExtensions: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
    subgraphs: z.record(z.string(), subgraphTransport).default({}),
  })
  .prefault({});
