import { identityKey } from '../../platform/assertion/identity.ts';
import { REQUEST_DEADLINE_HEADER } from '../../platform/headers.ts';
import { REQUEST_ID_HEADER } from '../../platform/request-id.ts';
import { deadlineExceeded } from './deadline.ts';
import type { GatewayGraphQLResponse, Interceptor, SubgraphRequest } from './types.ts';

/**
 * Headers that differ per call without changing the answer; everything else is part of the key,
 * and so is the verified identity the call is made for (its assertion is added after dedup).
 */
const PER_CALL = new Set([REQUEST_ID_HEADER, 'traceparent', 'tracestate', REQUEST_DEADLINE_HEADER]);

/**
 * One string per distinct call. Newlines separate the parts: none can appear in a subgraph name,
 * a URL, an identity key or an HTTP header, and the body, which may hold anything, comes last.
 * (Cheaper than JSON-encoding the body again, which is most of the key.)
 */
function dedupKey(request: SubgraphRequest): string {
  const headers = Object.keys(request.headers)
    .filter((name) => !PER_CALL.has(name))
    .sort()
    .map((name) => `${name}:${request.headers[name]}`)
    .join('\n');
  const caller = identityKey(request.context?.identity ?? null);
  return `${request.subgraph}\n${request.url}\n${caller}\n${headers}\n\n${request.body}`;
}

/**
 * A deep copy of a parsed JSON answer (plain objects, arrays, primitives): several times faster
 * than structuredClone, which serializes and deserializes, on the answers dedup hands out.
 */
export function copyJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (Object.hasOwn(value, key)) out[key] = copyJson((value as Record<string, unknown>)[key]);
  }
  return out as T;
}

interface Flight {
  response: Promise<GatewayGraphQLResponse>;
  /** Aborts the shared call; used only when every caller waiting on it has given up. */
  controller: AbortController;
  waiting: number;
}

/**
 * In-flight deduplication: identical concurrent queries to a subgraph (same URL, body and
 * forwarded identity, so one caller never sees an answer meant for another) share one call.
 *
 *   caller A ─┐
 *   caller B ─┼─> one flight ──> retry -> breaker -> ... -> http
 *   caller C ─┘   (aborted only when A, B and C have all given up)
 *
 * Each caller still waits only as long as its own deadline allows (a timer here, not a signal:
 * see deadline.ts), so the shared call is not cut at the first caller's deadline, only told it.
 * It carries the first caller's request id and deadline. Every caller but the first gets its own
 * copy of the answer, because @apollo/gateway merges into the objects it is given.
 */
export function dedupInterceptor(enabledFor: (subgraph: string) => boolean): Interceptor {
  const flights = new Map<string, Flight>();
  const forget = (key: string, flight: Flight) => {
    if (flights.get(key) === flight) flights.delete(key);
  };
  return (next) => (request) => {
    if (request.isMutation || !enabledFor(request.subgraph)) return next(request);
    const key = dedupKey(request);
    const joined = flights.get(key);
    if (joined) return wait(joined, request, true, () => forget(key, joined));
    const controller = new AbortController();
    const flight: Flight = {
      response: next({ ...request, signal: controller.signal, controller, deadlineWatched: true }),
      controller,
      waiting: 0,
    };
    flights.set(key, flight);
    const done = () => forget(key, flight);
    flight.response.then(done, done);
    return wait(flight, request, false, done);
  };
}

function wait(
  flight: Flight,
  request: SubgraphRequest,
  copy: boolean,
  abandon: () => void,
): Promise<GatewayGraphQLResponse> {
  flight.waiting += 1;
  return new Promise((resolve, reject) => {
    const signal = request.signal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    const leave = () => {
      if (settled) return false;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      flight.waiting -= 1;
      return true;
    };
    const giveUp = (reason: unknown) => {
      if (!leave()) return;
      if (flight.waiting === 0) {
        // Nobody wants the answer any more: stop the call, and let no late caller join a dead flight.
        abandon();
        flight.controller.abort(reason);
      }
      reject(reason);
    };
    const onAbort = () => giveUp(signal?.reason);
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    if (request.deadline !== undefined) {
      const left = request.deadline - Date.now();
      timer = setTimeout(() => giveUp(deadlineExceeded(request.subgraph, left)), left);
    }
    flight.response.then(
      (response) => {
        if (leave()) resolve(copy ? copyJson(response) : response);
      },
      (error: unknown) => {
        if (leave()) reject(error);
      },
    );
  });
}
