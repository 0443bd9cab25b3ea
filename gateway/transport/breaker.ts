import type { SubgraphPolicy } from './policy.ts';
import { rollingCounts } from './rolling.ts';
import { type Interceptor, SubgraphFailure, stateKey } from './types.ts';

type BreakerPolicy = SubgraphPolicy['breaker'];
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Admission to one call; report how it went exactly once. */
export interface Ticket {
  success(): void;
  failure(): void;
  /** The call ended without saying anything about the subgraph's health (deadline, abort). */
  release(): void;
}

export interface CircuitBreaker {
  readonly state: CircuitState;
  /** A ticket, or null when the call must fail fast without being sent. */
  admit(): Ticket | null;
}

/**
 * A circuit breaker for one subgraph.
 *
 *   closed --(>= minimumCalls in window, failures/calls >= failureRatio)--> open
 *   open --(openMs passed, next call)--> half-open
 *   half-open --(halfOpenProbes successes)--> closed
 *   half-open --(any probe fails)--> open
 *
 * While open every call fails fast; half-open admits at most `halfOpenProbes` calls at a time and
 * fails the rest fast. Outcomes of calls admitted under an earlier state are ignored (generation),
 * so a slow call from before the circuit opened cannot close it.
 */
export function createBreaker(
  policy: BreakerPolicy,
  onChange: (from: CircuitState, to: CircuitState) => void = () => {},
  now: () => number = Date.now,
): CircuitBreaker {
  const window = rollingCounts(['calls', 'failures'], policy.windowMs, now);
  let state: CircuitState = 'closed';
  let generation = 0;
  let openedAt = 0;
  let probing = 0;
  let probeSuccesses = 0;

  const become = (to: CircuitState) => {
    const from = state;
    state = to;
    generation += 1;
    probing = 0;
    probeSuccesses = 0;
    window.reset();
    if (to === 'open') openedAt = now();
    onChange(from, to);
  };

  const closedTicket = (issued: number): Ticket => ({
    success() {
      if (issued === generation) window.add('calls');
    },
    failure() {
      if (issued !== generation) return;
      window.add('calls');
      window.add('failures');
      const calls = window.total('calls');
      if (calls >= policy.minimumCalls && window.total('failures') / calls >= policy.failureRatio) {
        become('open');
      }
    },
    release() {},
  });

  const probeTicket = (issued: number): Ticket => ({
    success() {
      if (issued !== generation) return;
      probing -= 1;
      probeSuccesses += 1;
      if (probeSuccesses >= policy.halfOpenProbes) become('closed');
    },
    failure() {
      if (issued === generation) become('open');
    },
    release() {
      if (issued === generation) probing -= 1;
    },
  });

  return {
    get state() {
      return state;
    },
    admit() {
      if (state === 'open') {
        if (now() - openedAt < policy.openMs) return null;
        become('half-open');
      }
      if (state === 'half-open') {
        if (probing + probeSuccesses >= policy.halfOpenProbes) return null;
        probing += 1;
        return probeTicket(generation);
      }
      return closedTicket(generation);
    },
  };
}

/** What says something about a subgraph's health; a deadline or an abort by the caller does not. */
function countsAgainst(error: unknown): boolean {
  return (
    error instanceof SubgraphFailure &&
    (error.code === 'SUBGRAPH_UNAVAILABLE' ||
      error.code === 'SUBGRAPH_TIMEOUT' ||
      error.code === 'SUBGRAPH_ERROR')
  );
}

/** Breakers per subgraph (and canary), kept for the life of the gateway, across schema reloads. */
export function createBreakers(
  policyFor: (subgraph: string) => SubgraphPolicy,
  onChange: (key: string, from: CircuitState, to: CircuitState) => void = () => {},
) {
  const breakers = new Map<string, CircuitBreaker>();
  return (key: string, subgraph: string): CircuitBreaker | undefined => {
    const policy = policyFor(subgraph).breaker;
    if (!policy.enabled) return undefined;
    let breaker = breakers.get(key);
    if (!breaker) {
      breaker = createBreaker(policy, (from, to) => onChange(key, from, to));
      breakers.set(key, breaker);
    }
    return breaker;
  };
}
export type Breakers = ReturnType<typeof createBreakers>;

/** Fails a call fast with SUBGRAPH_CIRCUIT_OPEN while its subgraph's circuit is open. */
export function breakerInterceptor(breakers: Breakers): Interceptor {
  return (next) => async (request) => {
    const breaker = breakers(stateKey(request), request.subgraph);
    if (!breaker) return next(request);
    const ticket = breaker.admit();
    if (!ticket) {
      throw new SubgraphFailure(
        'SUBGRAPH_CIRCUIT_OPEN',
        request.subgraph,
        `not sent: circuit ${breaker.state} for ${stateKey(request)}`,
        true,
      );
    }
    try {
      const response = await next(request);
      ticket.success();
      return response;
    } catch (error) {
      if (countsAgainst(error)) ticket.failure();
      else ticket.release();
      throw error;
    }
  };
}
