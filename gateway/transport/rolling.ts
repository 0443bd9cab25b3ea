const BUCKETS = 10;

export interface RollingCounts<K extends string> {
  add(name: K, n?: number): void;
  /** The sum over the window that ends now. */
  total(name: K): number;
  reset(): void;
}

/**
 * Named counters over a sliding window of `windowMs`, kept as ten buckets so old counts fall off
 * a tenth of the window at a time. Used for retry budgets and breaker failure ratios.
 */
export function rollingCounts<K extends string>(
  names: readonly K[],
  windowMs: number,
  now: () => number = Date.now,
): RollingCounts<K> {
  const width = windowMs / BUCKETS;
  const series = new Map<K, number[]>(names.map((name) => [name, new Array<number>(BUCKETS).fill(0)]));
  let current = 0;
  let currentStart = now();

  const advance = () => {
    const steps = Math.floor((now() - currentStart) / width);
    if (steps <= 0) return;
    for (let i = 1; i <= Math.min(steps, BUCKETS); i += 1) {
      for (const buckets of series.values()) buckets[(current + i) % BUCKETS] = 0;
    }
    current = (current + steps) % BUCKETS;
    currentStart += steps * width;
  };

  return {
    add(name, n = 1) {
      advance();
      series.get(name)![current]! += n;
    },
    total(name) {
      advance();
      return series.get(name)!.reduce((a, b) => a + b, 0);
    },
    reset() {
      for (const buckets of series.values()) buckets.fill(0);
    },
  };
}
