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
    /**
     * GraphQL requests executed at once per process; more wait their turn (never refused). Bounds
     * the memory of a burst (see gateway/operation-bound.ts). 0: no bound.
     */
    maxConcurrentOperations: z.number().int().min(0).default(0),
    /**
     * Whose address is the client IP (rate limits `per: ip`). false: the connection's peer, for a
     * gateway clients reach directly. Behind a load balancer: the balancer's addresses or CIDR
     * ranges (proxy-addr syntax; `loopback` for one on the same host). X-Forwarded-For is read
     * from the right, through trusted addresses only, so trust exactly the proxies: a trusted range
     * that also holds other hops lets a client choose its address. (fastify ignores hop counts.)
     */
    trustProxy: z.union([z.boolean(), z.array(z.string().min(1)).min(1)]).default(false),
    /** `portico serve gateway` forks this many workers on one host (`auto`: one per core); 1: no cluster. */
    workers: z.union([z.literal('auto'), z.number().int().min(1).max(256)]).default(1),
    subgraphDefaults: subgraphDefaultsSchema,
    /** Per-subgraph overrides of `subgraphDefaults`, key by key. */
    subgraphs: z.record(z.string(), subgraphTransport).default({}),
  })
  .prefault({});
