import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import DataLoader from 'dataloader';
import { GatewayCallError, type WholeRequestFailure } from './failures.ts';
import {
  type CallContext,
  describeOperation,
  type GatewayClient,
  type GatewayResult,
} from './gateway-client.ts';

interface OperationKey {
  document: TypedDocumentNode<unknown, unknown>;
  variables: unknown;
}

/** Stable JSON: the same variables in another key order are the same call. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface GatewayLoader {
  /** One gateway operation; identical calls within a request share one HTTP call. */
  load<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
  ): Promise<GatewayResult<TData>>;
  /** Keys collected in one tick become one call of a batch operation (e.g. `modelsByIds`). */
  batch<TKey, TValue, TData, TVariables>(
    spec: BatchSpec<TKey, TValue, TData, TVariables>,
    key: TKey,
  ): Promise<TValue>;
  /** Gateway calls made for this request so far. */
  readonly calls: number;
}

export interface BatchSpec<TKey, TValue, TData, TVariables> {
  document: TypedDocumentNode<TData, TVariables>;
  variables: (keys: readonly TKey[]) => TVariables;
  /** The values for `keys`, in order, from the batch operation's result (throw for a failure). */
  values: (result: GatewayResult<TData>, keys: readonly TKey[]) => (TValue | Error)[];
}

/**
 * Per-request DataLoaders over the gateway client. Made fresh for every BFF request, so nothing
 * cached here outlives it or leaks between callers. Resolvers ask for what they need; identical
 * operations are de-duplicated and keyed lookups batched, so a screen costs a few gateway calls
 * whatever the number of fields asking.
 */
export function createGatewayLoader(
  client: GatewayClient,
  call: CallContext,
  onWholeFailure: (failure: WholeRequestFailure) => void,
  /** The most gateway calls this request may make (bffs.maxGatewayCalls); later ones fail. */
  maxCalls = Number.POSITIVE_INFINITY,
): GatewayLoader {
  let calls = 0;
  const operations = new DataLoader<OperationKey, GatewayResult<unknown>, string>(
    async (keys) =>
      Promise.all(
        keys.map((key) => {
          if (calls >= maxCalls) {
            return new GatewayCallError(
              'QUERY_TOO_COMPLEX',
              `this request needs more than ${maxCalls} gateway calls (bffs.maxGatewayCalls)`,
            );
          }
          calls += 1;
          return client.execute(key.document, key.variables, call).catch((error: unknown) => {
            // A refused caller fails the whole answer, whichever field happened to ask first.
            if (error instanceof GatewayCallError && error.whole) onWholeFailure(error.whole);
            return error as Error;
          });
        }),
      ),
    { cacheKeyFn: (key) => `${describeOperation(key.document).operationName}:${stable(key.variables)}` },
  );
  const batches = new Map<object, DataLoader<unknown, unknown, string>>();

  const loader: GatewayLoader = {
    load(document, variables) {
      return operations.load({
        document: document as TypedDocumentNode<unknown, unknown>,
        variables,
      }) as never;
    },
    batch(spec, key) {
      let batcher = batches.get(spec);
      if (!batcher) {
        batcher = new DataLoader<unknown, unknown, string>(
          async (keys) => {
            const typed = keys as readonly Parameters<typeof spec.variables>[0][number][];
            const result = await loader.load(spec.document, spec.variables(typed));
            return spec.values(result, typed);
          },
          { cacheKeyFn: stable, maxBatchSize: 100 },
        );
        batches.set(spec, batcher);
      }
      return batcher.load(key) as Promise<never>;
    },
    get calls() {
      return calls;
    },
  };
  return loader;
}
