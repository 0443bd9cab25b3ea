import type { GraphQLDataSource } from '@apollo/gateway';
import type { ErrorCode } from '../../platform/errors.ts';
import type { GatewayContext } from '../context.ts';
import type { FetchTrace } from './trace.ts';

/** What a subgraph answered, in the shape @apollo/gateway merges. */
export type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

/** One call from the gateway to a subgraph, as it passes through the interceptors. */
export interface SubgraphRequest {
  subgraph: string;
  /** Where to send it; canary routing may replace it. */
  url: string;
  /** The GraphQL request body, serialized once. */
  body: string;
  /**
   * What `body` was serialized from, so an interceptor that reads the query or the variables
   * (the entity cache) need not parse the body back. Absent for calls built elsewhere.
   */
  operation?: { query: string; variables?: Record<string, unknown>; operationName?: string };
  headers: Record<string, string>;
  /** Mutations are never retried, hedged or deduplicated. */
  isMutation: boolean;
  /** Absent for calls the gateway makes on its own (health checks). */
  context: GatewayContext | undefined;
  /** Aborted when the caller no longer needs the answer (deadline, hedge won). */
  signal?: AbortSignal;
  /**
   * The controller of `signal`, when the call made it for itself and nothing outside the call
   * listens to it (dedup's flight): the timeout then aborts it directly instead of making a
   * second signal that follows it (a signal and a listener fewer per fetch).
   */
  controller?: AbortController;
  /** Set by canary routing when the call goes to the subgraph's alternate URL. */
  canary?: boolean;
  /** Epoch ms by which this call must be answered; set by the deadline interceptor. */
  deadline?: number;
  /**
   * Set by dedup on a shared call: its callers each stop waiting at their own deadline, so the
   * call is not aborted at `deadline` (the first caller's), only told it.
   */
  deadlineWatched?: boolean;
  /** The fetch's span and what its attempts did, when the request is traced (trace.ts). */
  trace?: FetchTrace;
}

/**
 * Which state (breaker, budget, latency window) a call counts against: the subgraph, or its
 * canary, so a broken canary never trips the breaker of the version everyone else uses.
 */
export function stateKey(request: Pick<SubgraphRequest, 'subgraph' | 'canary'>): string {
  return request.canary ? `${request.subgraph}/canary` : request.subgraph;
}

export type SubgraphCall = (request: SubgraphRequest) => Promise<GatewayGraphQLResponse>;

/** A subgraph-side concern, composed like undici's interceptors: it wraps the next call. */
export type Interceptor = (next: SubgraphCall) => SubgraphCall;

export function compose(call: SubgraphCall, interceptors: readonly Interceptor[]): SubgraphCall {
  return interceptors.reduceRight((next, interceptor) => interceptor(next), call);
}

/**
 * Why a subgraph call produced no usable response. The client sees `code`, the subgraph name
 * and `retryable`; `detail` (addresses, raw messages) goes only to the log.
 */
export class SubgraphFailure extends Error {
  override name = 'SubgraphFailure';
  constructor(
    readonly code: ErrorCode,
    readonly subgraph: string,
    readonly detail: string,
    readonly retryable: boolean,
    /** HTTP status of the subgraph's answer, when there was one. */
    readonly status?: number,
    /** Seconds the subgraph asked us to wait (Retry-After), when it did. */
    readonly retryAfterSec?: number,
  ) {
    super(`${subgraph}: ${code}: ${detail}`);
  }
}
