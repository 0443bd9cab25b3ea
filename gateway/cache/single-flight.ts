/**
 * One fill per key at a time in this process: the first caller to miss fills, the others wait for
 * what it stores (or give up at their own deadline and run the operation themselves). A flight
 * that is never settled (its request died) is dropped after `abandonAfterMs`.
 */
export function createSingleFlight<T>(abandonAfterMs = 30_000) {
  const flights = new Map<string, Promise<T | undefined>>();
  return {
    /** The value a fill in progress will produce, or undefined when none is in progress. */
    join(key: string, waitMs: number): Promise<T | undefined> | undefined {
      const flight = flights.get(key);
      if (!flight) return undefined;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, waitMs), undefined);
      });
      return Promise.race([flight, timeout]).finally(() => clearTimeout(timer));
    },
    /** Starts a fill; call the returned function exactly once with what was stored (or nothing). */
    lead(key: string): (value: T | undefined) => void {
      let settle!: (value: T | undefined) => void;
      const flight = new Promise<T | undefined>((resolve) => {
        settle = resolve;
      });
      flights.set(key, flight);
      const abandon = setTimeout(() => done(undefined), abandonAfterMs);
      abandon.unref();
      let settled = false;
      const done = (value: T | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(abandon);
        if (flights.get(key) === flight) flights.delete(key);
        settle(value);
      };
      return done;
    },
  };
}
