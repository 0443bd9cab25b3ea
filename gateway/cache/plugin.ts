import { type ApolloServerPlugin, type GraphQLResponse, HeaderMap } from '@apollo/server';
import type { DocumentNode, FormattedExecutionResult, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../context.ts';
import { fragmentsIn } from '../persisted/manifest.ts';
import { fillTurn } from './fill-lock.ts';
import type { CacheHints } from './hints.ts';
import { responseCacheKey } from './key.ts';
import { ageOf, bodyOf, type CacheEntry } from './memory-store.ts';
import type { CacheMetrics } from './metrics.ts';
import { type CachePolicy, cacheControlHeader, operationCachePolicy } from './policy.ts';
import { createSingleFlight } from './single-flight.ts';
import type { CacheStore } from './store.ts';
import { entityTags } from './tags.ts';

/** Operators skip the cache for one request with this header (and the bypass scope). */
export const BYPASS_HEADER = 'x-portico-cache';

export interface ResponseCacheOptions {
  store: CacheStore;
  hints: () => CacheHints;
  metrics: CacheMetrics;
  maxTtlSec: number;
  maxEntryBytes: number;
  bypassScope: string;
  /** The longest a fill holds its lock in Redis, and the longest other replicas wait for it. */
  fillLockMs: number;
  /** Told of every hit served here, so the fast path can take over the next ones. */
  onHit?: (context: GatewayContext, key: string, entry: CacheEntry, policy: CachePolicy) => void;
}

/** An answer worth keeping: data, no error of any kind, nothing the gateway flagged as broken. */
function keepable(result: FormattedExecutionResult): boolean {
  return (
    result.data !== null &&
    result.data !== undefined &&
    !result.errors?.length &&
    !(result.extensions && 'valueCompletion' in result.extensions)
  );
}

/**
 * The response cache: whole answers of cacheable queries (see policy.ts), served before anything
 * is planned. It runs after every plugin's didResolveOperation, so rate limits still count a hit
 * and field authorization has already cut the document (which the key includes); its
 * willSendResponse must come before field authorization's, which writes the denials into the
 * answer: what is stored is the answer to the cut document, never a caller's denial errors.
 *
 *   responseForOperation: mutation -> run, then purge what it returned (willSendResponse)
 *                         not cacheable (policy, anonymous PRIVATE) -> run, `no-store`
 *                         bypass (operator) -> run and refill
 *                         hit -> the stored answer, `Cache-Control` + `Age`
 *                         a fill for the key in flight -> wait for it (until the deadline)
 *                         another replica filling it (Redis lock) -> wait for its entry (bounded)
 *                         miss -> run; willSendResponse keeps it if it is whole, then unlocks
 */
export function responseCachePlugin(options: ResponseCacheOptions): ApolloServerPlugin<GatewayContext> {
  const { store, metrics } = options;
  const flights = createSingleFlight<CacheEntry>();
  // Apollo Server keeps parsed documents, so the same operation node comes back: analysed once per
  // supergraph (a reload brings new hints, and the memo notices).
  const analysed = new WeakMap<OperationDefinitionNode, { hints: CacheHints; policy: CachePolicy }>();
  const policyOf = (schema: GraphQLSchema, operation: OperationDefinitionNode, document: DocumentNode) => {
    const hints = options.hints();
    const known = analysed.get(operation);
    if (known?.hints === hints) return known.policy;
    const policy = operationCachePolicy(schema, operation, fragmentsIn(document), hints, options.maxTtlSec);
    analysed.set(operation, { hints, policy });
    return policy;
  };
  /** The stored answer as a response, or null when its body does not parse (then it is a miss). */
  const served = (entry: CacheEntry, policy: CachePolicy): GraphQLResponse | null => {
    const singleResult = bodyOf(entry) as FormattedExecutionResult | undefined;
    if (!singleResult || typeof singleResult !== 'object') return null;
    const headers = new HeaderMap();
    headers.set('cache-control', cacheControlHeader(policy));
    headers.set('age', String(ageOf(entry)));
    return { http: { status: undefined, headers }, body: { kind: 'single', singleResult } };
  };
  return {
    async requestDidStart() {
      let policy: CachePolicy | null = null;
      let fill: {
        key: string;
        done: (entry: CacheEntry | undefined) => void;
        release?: () => Promise<void>;
      } | null = null;
      let mutation = false;
      let hit = false;
      return {
        async responseForOperation(requestContext) {
          const { operation, document, contextValue, request } = requestContext;
          const operationName = requestContext.operationName;
          if (operation.operation === 'mutation') {
            mutation = true;
            return null;
          }
          const candidate = policyOf(requestContext.schema, operation, document);
          const key =
            candidate.maxAge > 0 &&
            responseCacheKey({
              document,
              operationName,
              variables: request.variables,
              policy: candidate,
              identity: contextValue.identity,
            });
          if (!key) {
            metrics.miss('response', operationName, 'uncacheable');
            return null;
          }
          policy = candidate;
          const bypass =
            request.http?.headers.get(BYPASS_HEADER) === 'bypass' &&
            contextValue.identity?.scopes.includes(options.bypassScope);
          const serve = (entry: CacheEntry | undefined, cachePolicy: CachePolicy) => {
            const response = entry && served(entry, cachePolicy);
            if (!entry || !response) return null;
            hit = true;
            metrics.hit('response', operationName, entry.body.length);
            options.onHit?.(contextValue, key, entry, cachePolicy);
            return response;
          };
          if (!bypass) {
            const stored = await store.get(key);
            // No await between finding no fill in flight and leading one below: callers whose look-ups
            // resolve in the same tick would otherwise all lead, and all reach the subgraph.
            const joined = stored ? undefined : flights.join(key, contextValue.deadline - Date.now());
            const response = serve(stored ?? (joined ? await joined : undefined), policy);
            if (response) return response;
          }
          const done = flights.lead(key);
          let release: (() => Promise<void>) | undefined;
          if (!bypass && store.fills) {
            // Across replicas: one fills, the others wait for its entry (see fill-lock.ts).
            const turn = await fillTurn(store.fills, key, contextValue.deadline, options.fillLockMs);
            if ('entry' in turn) {
              const response = serve(turn.entry, policy);
              done(turn.entry);
              if (response) return response;
            } else {
              release = turn.release;
            }
          }
          metrics.miss('response', operationName, bypass ? 'bypass' : 'cold');
          fill = { key, done, release };
          return null;
        },
        async willSendResponse(requestContext) {
          const { response, operationName } = requestContext;
          const result = response.body.kind === 'single' ? response.body.singleResult : null;
          // Read before any await: later plugins (field authorization) write into this answer.
          const body = fill && result && keepable(result) ? JSON.stringify(result) : undefined;
          if (!hit) {
            response.http.headers.set(
              'cache-control',
              policy && body ? cacheControlHeader(policy) : 'no-store',
            );
          }
          if (fill) {
            let entry: CacheEntry | undefined;
            try {
              if (policy && body && result && body.length <= options.maxEntryBytes) {
                const tags = entityTags(
                  requestContext.schema,
                  requestContext.operation!.selectionSet,
                  requestContext.schema.getQueryType()!,
                  fragmentsIn(requestContext.document!),
                  result.data,
                );
                entry = {
                  body,
                  storedAt: Date.now(),
                  maxAge: policy.maxAge,
                  tags: [...tags.withId, ...tags.types],
                };
                // Not awaited: the memory tier has it at once, and the answer does not wait on Redis.
                // The lock goes once Redis has the entry, so other replicas find it when they see it go.
                const release = fill.release;
                fill.release = undefined;
                void store.set(fill.key, entry, policy.maxAge).finally(() => release?.());
                metrics.fill('response', operationName, body.length);
              }
            } finally {
              // Whatever happened, the callers waiting on this fill go on (with the entry or without).
              fill.done(entry);
              // Nothing stored: released now, so other replicas fill instead of waiting the lock out.
              void fill.release?.();
            }
          }
          if (mutation && result?.data) {
            const mutationType = requestContext.schema.getMutationType();
            if (!mutationType || !requestContext.operation) return;
            const tags = entityTags(
              requestContext.schema,
              requestContext.operation.selectionSet,
              mutationType,
              fragmentsIn(requestContext.document!),
              result.data,
            );
            // What the mutation returned by id; a type returned without its id purges the whole type.
            const purge = [...tags.withId];
            for (const type of tags.types) {
              if (![...tags.withId].some((tag) => tag.startsWith(`${type}:`))) purge.push(type);
            }
            metrics.purge(operationName, await store.purge(purge));
          }
        },
      };
    },
  };
}
