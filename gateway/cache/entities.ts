import { createHash } from 'node:crypto';
import {
  type DocumentNode,
  type GraphQLSchema,
  isObjectType,
  Kind,
  parse,
  type SelectionSetNode,
} from 'graphql';
import { requestBody } from '../transport/body.ts';
import type { GatewayGraphQLResponse, Interceptor, SubgraphRequest } from '../transport/types.ts';
import type { CacheHints } from './hints.ts';
import { bodyOf, type CacheEntry } from './memory-store.ts';
import type { CacheMetrics } from './metrics.ts';
import { type CachePolicy, selectionCachePolicy } from './policy.ts';
import type { CacheStore } from './store.ts';

type Json = Record<string, unknown>;

export interface EntityCacheOptions {
  store: CacheStore;
  /** The current API schema and hints (both replaced when the supergraph is). */
  current: () => { schema: GraphQLSchema; hints: CacheHints } | null;
  metrics: CacheMetrics;
  maxTtlSec: number;
}

/** The policy of each `... on Type` of an `_entities` fetch; null when the fetch is not one or is not cacheable. */
type FetchPolicies = Map<string, CachePolicy> | null;

/** Plans are cached, so the same few fetch documents come back: their analysis is kept per text. */
const MAX_ANALYSED = 1_000;

function entitiesSelection(document: DocumentNode): SelectionSetNode | null {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query') return null;
  const [field, ...rest] = operation.selectionSet.selections;
  if (rest.length > 0 || field?.kind !== Kind.FIELD || field.name.value !== '_entities') return null;
  return field.selectionSet ?? null;
}

function analyse(query: string, schema: GraphQLSchema, hints: CacheHints, maxTtlSec: number): FetchPolicies {
  const selection = entitiesSelection(parse(query));
  if (!selection) return null;
  const policies = new Map<string, CachePolicy>();
  for (const fragment of selection.selections) {
    if (fragment.kind !== Kind.INLINE_FRAGMENT || !fragment.typeCondition) return null;
    const type = schema.getType(fragment.typeCondition.name.value);
    if (!type || !isObjectType(type)) return null;
    // An entity's fields start from its type's hint, as they would below a field returning it.
    const typeHint = hints.types.get(type.name);
    const input = { schema, fragments: new Map(), hints, maxTtlSec };
    const policy = selectionCachePolicy(input, fragment.selectionSet, type, typeHint?.maxAge ?? 0);
    if (typeHint?.scope === 'PRIVATE') policy.scope = 'PRIVATE';
    policies.set(type.name, policy);
  }
  return policies;
}

function entityKey(request: SubgraphRequest, query: string, representation: Json, policy: CachePolicy) {
  const identity = request.context?.identity;
  if (policy.maxAge <= 0 || (policy.scope === 'PRIVATE' && !identity)) return null;
  const owner = policy.scope === 'PRIVATE' ? [identity!.tenant ?? '', identity!.subject] : null;
  const material = JSON.stringify([request.subgraph, query, representation, owner]);
  return `entity:${createHash('sha256').update(material).digest('base64url')}`;
}

/** Whether any entity type of the fetch has a positive max age (else no key can be made). */
function cacheableAtAll(policies: Map<string, CachePolicy>): boolean {
  for (const policy of policies.values()) if (policy.maxAge > 0) return true;
  return false;
}

function countUncacheable(metrics: CacheMetrics, size: number, typeOf: (index: number) => string): void {
  // Straight from the representations: no list of their types per fetch.
  const counts = new Map<string, number>();
  for (let index = 0; index < size; index += 1) {
    const type = typeOf(index);
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  for (const [type, count] of counts) metrics.miss('entity', type, 'uncacheable', count);
}

/** Maps `_entities` error paths of the call for the misses back to the positions the gateway asked for. */
function remapErrors(response: GatewayGraphQLResponse, positions: number[]) {
  return response.errors?.map((error) => {
    const path = error.path;
    if (path?.[0] !== '_entities' || typeof path[1] !== 'number') return error;
    return { ...error, path: ['_entities', positions[path[1]] ?? path[1], ...path.slice(2)] };
  });
}

/**
 * The entity cache, the second level: each entity of an `_entities` fetch is kept on its own, per
 * subgraph, fetch selection, representation and (for PRIVATE) verified tenant and user, so
 * different client queries share the catalogue's entities. Only the representations not in the
 * cache are sent; the answer is put back together in the order the gateway asked. An answer with
 * errors keeps nothing. Tags (`Type:id`) let mutations purge entities as they purge answers.
 */
export function entityCacheInterceptor(options: EntityCacheOptions): Interceptor {
  const { store, metrics } = options;
  const analysed = new Map<string, FetchPolicies>();
  let analysedFor: unknown = null;
  const policiesOf = (query: string): FetchPolicies => {
    const current = options.current();
    if (!current) return null;
    if (analysedFor !== current) {
      analysed.clear();
      analysedFor = current;
    }
    let policies = analysed.get(query);
    if (policies === undefined) {
      policies = analyse(query, current.schema, current.hints, options.maxTtlSec);
      if (analysed.size >= MAX_ANALYSED) analysed.clear();
      analysed.set(query, policies);
    }
    return policies;
  };
  return (next) => async (request) => {
    // The query, not the body: the body carries every representation and is far longer.
    const text = request.operation?.query ?? request.body;
    if (request.isMutation || request.canary || !text.includes('_entities')) return next(request);
    // The operation as the data source built it; parsing the body back (it carries every
    // representation) showed in profiles for fetches nothing here could cache.
    const { query, variables, operationName } = (request.operation ?? JSON.parse(request.body)) as {
      query: string;
      variables?: { representations?: Json[] } & Json;
      operationName?: string;
    };
    const policies = policiesOf(query);
    const representations = variables?.representations;
    if (!policies || !Array.isArray(representations)) return next(request);
    const typeOf = (index: number) => String(representations[index]?.__typename);
    if (!cacheableAtAll(policies)) {
      // Nothing here can be kept for anyone: count the misses per type, not per representation
      // (one counter update per entity showed in profiles), and look nothing up.
      countUncacheable(metrics, representations.length, typeOf);
      return next(request);
    }
    const policyAt = representations.map((_, index) => policies.get(typeOf(index)));
    const keys = representations.map((representation, index) => {
      const policy = policyAt[index];
      return policy ? entityKey(request, query, representation, policy) : null;
    });
    const stored = await Promise.all(keys.map((key) => (key ? store.get(key) : undefined)));
    // An entry whose body does not parse is a miss, like one that is not there.
    const parsed = stored.map((entry) => (entry ? bodyOf(entry) : undefined));
    const found = stored.map((entry, index) => (parsed[index] === undefined ? undefined : entry));
    const missing = keys.flatMap((_, index) => (found[index] ? [] : [index]));
    found.forEach((entry, index) => {
      if (entry) metrics.hit('entity', typeOf(index), entry.body.length);
      else metrics.miss('entity', typeOf(index), keys[index] ? 'cold' : 'uncacheable');
    });
    if (missing.length === representations.length && keys.every((key) => key === null)) return next(request);
    const entities: unknown[] = parsed.map((value) => value ?? null);
    if (missing.length === 0) return { data: { _entities: entities } };
    const all = missing.length === representations.length;
    const operation = {
      query,
      operationName,
      variables: { ...variables, representations: missing.map((index) => representations[index]) },
    };
    const response = await next(
      all ? request : { ...request, body: requestBody(query, operation.variables, operationName), operation },
    );
    const fetched = (response.data as { _entities?: unknown[] } | null | undefined)?._entities;
    if (!Array.isArray(fetched)) {
      return all ? response : { ...response, data: null, errors: remapErrors(response, missing) };
    }
    missing.forEach((index, position) => {
      entities[index] = fetched[position] ?? null;
    });
    if (!response.errors?.length) {
      const storedAt = Date.now();
      // Not awaited: the memory tier has each entity at once, and the answer does not wait on Redis.
      // Each entity is serialized before the first await, so before @apollo/gateway merges into it.
      const fills = Promise.all(
        missing.map(async (index) => {
          const key = keys[index];
          const policy = policyAt[index];
          const entity = entities[index];
          if (!key || !policy || entity === null || entity === undefined) return;
          const type = typeOf(index);
          const id = representations[index]?.id;
          const tags = [type, ...(id !== undefined ? [`${type}:${String(id)}`] : [])];
          const entry: CacheEntry = { body: JSON.stringify(entity), storedAt, maxAge: policy.maxAge, tags };
          await store.set(key, entry, policy.maxAge);
          metrics.fill('entity', type, entry.body.length);
        }),
      );
      fills.catch((error) => request.context?.log.warn({ err: error }, 'entity cache fill failed'));
    }
    return {
      ...response,
      data: { ...response.data, _entities: entities },
      errors: remapErrors(response, missing),
    };
  };
}
