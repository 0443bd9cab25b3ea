import { describe, expect, it } from 'vitest';
import { type CircuitState, createBreaker } from '../../../gateway/transport/breaker.ts';
import { manualClock, transportPolicy } from '../../helpers/transport-policy.ts';

const policy = transportPolicy({
  breaker: { windowMs: 10_000, minimumCalls: 4, failureRatio: 0.5, openMs: 5_000, halfOpenProbes: 2 },
}).breaker;

function breaker() {
  const clock = manualClock();
  const changes: string[] = [];
  const b = createBreaker(
    policy,
    (from: CircuitState, to: CircuitState) => changes.push(`${from}->${to}`),
    clock.now,
  );
  const fail = (n: number) => {
    for (let i = 0; i < n; i += 1) b.admit()!.failure();
  };
  const succeed = (n: number) => {
    for (let i = 0; i < n; i += 1) b.admit()!.success();
  };
  /** Opens the circuit and lets openMs pass: the next admit() half-opens it. */
  const openAndWait = () => {
    fail(4);
    clock.advance(5_000);
  };
  return { b, clock, changes, fail, succeed, openAndWait };
}

/** The breaker's state machine on a clock the test moves: no sleeps, exact boundaries. */
describe('circuit breaker', () => {
  it('stays closed below minimumCalls, however many of them failed', () => {
    const { b, fail } = breaker();
    fail(3);
    expect(b.state).toBe('closed');
    fail(1);
    expect(b.state).toBe('open');
  });

  it('opens at exactly the failure ratio, not below it', () => {
    const { b, fail, succeed } = breaker();
    succeed(3);
    fail(2); // 2 of 5 = 0.4
    expect(b.state).toBe('closed');
    fail(1); // 3 of 6 = 0.5
    expect(b.state).toBe('open');
  });

  it('forgets failures older than the window', () => {
    const { b, clock, fail } = breaker();
    fail(3);
    clock.advance(10_000);
    fail(3);
    expect(b.state).toBe('closed');
    fail(1);
    expect(b.state).toBe('open');
  });

  it('fails fast while open, and half-opens on the first call after openMs', () => {
    const { b, clock, fail, changes } = breaker();
    fail(4);
    clock.advance(4_999);
    expect(b.admit()).toBeNull();
    expect(b.state).toBe('open');
    clock.advance(1);
    expect(b.admit()).not.toBeNull();
    expect(b.state).toBe('half-open');
    expect(changes).toEqual(['closed->open', 'open->half-open']);
  });

  it('half-open: at most halfOpenProbes in flight; successes close it', () => {
    const { b, openAndWait, changes } = breaker();
    openAndWait();
    const first = b.admit()!;
    const second = b.admit()!;
    expect(b.admit()).toBeNull();
    first.success();
    // A finished success still counts towards the probes: no third call yet.
    expect(b.admit()).toBeNull();
    second.success();
    expect(b.state).toBe('closed');
    expect(changes.at(-1)).toBe('half-open->closed');
    expect(b.admit()).not.toBeNull();
  });

  it('half-open: a released probe (deadline, abort) frees its slot without counting', () => {
    const { b, openAndWait } = breaker();
    openAndWait();
    const first = b.admit()!;
    b.admit()!.success();
    expect(b.admit()).toBeNull();
    first.release();
    const third = b.admit()!;
    expect(third).not.toBeNull();
    expect(b.state).toBe('half-open');
    third.success();
    expect(b.state).toBe('closed');
  });

  it('half-open: one failed probe opens it again, for another openMs', () => {
    const { b, clock, openAndWait, changes } = breaker();
    openAndWait();
    const probe = b.admit()!;
    const other = b.admit()!;
    probe.failure();
    expect(b.state).toBe('open');
    // The other probe's success belongs to the half-open that ended: it cannot close the circuit.
    other.success();
    expect(b.state).toBe('open');
    clock.advance(4_999);
    expect(b.admit()).toBeNull();
    clock.advance(1);
    expect(b.admit()).not.toBeNull();
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->open', 'open->half-open']);
  });

  it('ignores outcomes of calls admitted before the state changed (generation guard)', () => {
    const { b, clock, fail } = breaker();
    const slow = b.admit()!; // admitted while closed
    fail(4);
    expect(b.state).toBe('open');
    clock.advance(5_000);
    b.admit()!.success(); // probe 1
    // The slow call from before the circuit opened answers now: it is not a probe.
    slow.success();
    slow.failure();
    expect(b.state).toBe('half-open');
    b.admit()!.success(); // probe 2
    expect(b.state).toBe('closed');
  });

  it('starts counting afresh after it closes', () => {
    const { b, fail, succeed, openAndWait } = breaker();
    openAndWait();
    succeed(2);
    expect(b.state).toBe('closed');
    fail(3);
    expect(b.state).toBe('closed');
    fail(1);
    expect(b.state).toBe('open');
  });
});
