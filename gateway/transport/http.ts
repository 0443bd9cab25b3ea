import { Agent, type Dispatcher, util } from 'undici';
import { post, type RawResponse, Thrown } from './dispatch.ts';
import { type GatewayGraphQLResponse, type SubgraphCall, SubgraphFailure } from './types.ts';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function errorCode(error: unknown): string | undefined {
  const direct = (error as { code?: unknown })?.code;
  if (typeof direct === 'string') return direct;
  const cause = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

/** Whole seconds from a Retry-After header (delta-seconds or HTTP date); undefined if absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return undefined;
  const trimmed = raw.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Only an HTTP-date (it starts with the day's name) is a date: Date.parse reads '1.5' or '-1' as
  // a year, which would turn a malformed delay into a wait of zero or decades.
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function failureFromThrown(
  subgraph: string,
  error: unknown,
  signal: AbortSignal | undefined,
  phase: string,
): SubgraphFailure {
  if (signal?.aborted && signal.reason instanceof SubgraphFailure) return signal.reason;
  if (error instanceof SubgraphFailure) return error;
  const code = errorCode(error);
  if (code && NETWORK_CODES.has(code)) {
    return new SubgraphFailure(
      'SUBGRAPH_UNAVAILABLE',
      subgraph,
      `${phase}: ${code}: ${(error as Error).message}`,
      true,
    );
  }
  return new SubgraphFailure(
    'SUBGRAPH_ERROR',
    subgraph,
    `${phase}: ${(error as Error)?.message ?? String(error)}`,
    false,
  );
}

/**
 * Keep-alive connection pools, one undici Agent per subgraph: a slow or failing subgraph can only
 * exhaust its own connections. Agents are kept across supergraph reloads.
 */
export function createAgentPool(connections: (subgraph: string) => number): {
  agentFor(subgraph: string): Dispatcher;
  close(): Promise<void>;
} {
  const agents = new Map<string, Agent>();
  return {
    agentFor(subgraph) {
      let agent = agents.get(subgraph);
      if (!agent) {
        agent = new Agent({ connections: connections(subgraph), keepAliveTimeout: 30_000, pipelining: 1 });
        agents.set(subgraph, agent);
      }
      return agent;
    },
    async close() {
      await Promise.all([...agents.values()].map((agent) => agent.close()));
      agents.clear();
    },
  };
}

function retryAfter(rawHeaders: Buffer[]): number | undefined {
  return parseRetryAfter(util.parseHeaders(rawHeaders)['retry-after']);
}

/**
 * The innermost call: one HTTP POST over undici. Every way it can go wrong becomes a
 * SubgraphFailure with a code: no connection or a reset (mid-body too) and 502/503/504 are
 * SUBGRAPH_UNAVAILABLE and retryable; an unreadable body or another 5xx is SUBGRAPH_ERROR.
 * A 4xx with a GraphQL body is passed on: its errors are the subgraph's answer.
 */
export function createHttpCall(agentFor: (subgraph: string) => Dispatcher): SubgraphCall {
  return async (req) => {
    let response: RawResponse;
    try {
      response = await post(agentFor(req.subgraph), req);
    } catch (thrown) {
      const { error, phase } = thrown instanceof Thrown ? thrown : new Thrown(thrown, 'request');
      throw failureFromThrown(req.subgraph, error, req.signal, phase);
    }
    const { status, text } = response;
    if (req.trace) req.trace.status = status;
    if (status === 502 || status === 503 || status === 504) {
      throw new SubgraphFailure(
        'SUBGRAPH_UNAVAILABLE',
        req.subgraph,
        `HTTP ${status}`,
        true,
        status,
        retryAfter(response.rawHeaders),
      );
    }
    if (status === 401 || status === 403) {
      // The subgraph refused the gateway itself: a key or configuration problem, never the client's.
      throw new SubgraphFailure(
        'SUBGRAPH_ERROR',
        req.subgraph,
        `HTTP ${status}: the subgraph refused the gateway's assertion (${text.slice(0, 200)})`,
        false,
        status,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SubgraphFailure(
        'SUBGRAPH_ERROR',
        req.subgraph,
        `HTTP ${status} with a body that is not JSON (${text.length} bytes)`,
        false,
        status,
      );
    }
    const shaped = parsed as GatewayGraphQLResponse;
    const isGraphQL =
      typeof parsed === 'object' && parsed !== null && ('data' in parsed || Array.isArray(shaped.errors));
    if (!isGraphQL || status >= 500) {
      throw new SubgraphFailure(
        'SUBGRAPH_ERROR',
        req.subgraph,
        `HTTP ${status} without a GraphQL response`,
        false,
        status,
      );
    }
    return shaped;
  };
}
