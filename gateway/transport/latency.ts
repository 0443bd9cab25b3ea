export interface LatencyWindow {
  record(ms: number): void;
  readonly count: number;
  /** The p-th percentile (0 < p <= 100) of the recorded latencies; undefined while empty. */
  percentile(p: number): number | undefined;
}

/** The latencies of the last `size` successful calls to one subgraph, in a ring. */
export function createLatencyWindow(size = 200): LatencyWindow {
  const samples: number[] = [];
  let next = 0;
  return {
    record(ms) {
      if (samples.length < size) samples.push(ms);
      else samples[next] = ms;
      next = (next + 1) % size;
    },
    get count() {
      return samples.length;
    },
    percentile(p) {
      if (samples.length === 0) return undefined;
      const sorted = [...samples].sort((a, b) => a - b);
      const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
      return sorted[rank];
    },
  };
}

/** Latency windows per subgraph (and canary), kept across schema reloads. */
export function createLatencies() {
  const windows = new Map<string, LatencyWindow>();
  return (key: string): LatencyWindow => {
    let window = windows.get(key);
    if (!window) {
      window = createLatencyWindow();
      windows.set(key, window);
    }
    return window;
  };
}
export type Latencies = ReturnType<typeof createLatencies>;
