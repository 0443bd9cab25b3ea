import { Agent, request } from 'undici';

export interface LoadResult {
  requests: number;
  failures: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Every request's latency in ms, sorted (to pool several runs into one distribution). */
  latencies: number[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * A closed-loop load: `concurrency` clients each send the next request as soon as the last one
 * answered, for `seconds`. A response counts as a failure unless `ok(status, body)` says otherwise.
 */
export async function runLoad(options: {
  url: string;
  /** POST this body; without one, GET. */
  body?: string;
  headers: Record<string, string>;
  concurrency: number;
  seconds: number;
  ok?: (status: number, body: string) => boolean;
}): Promise<LoadResult> {
  const agent = new Agent({ connections: options.concurrency, pipelining: 1 });
  const ok = options.ok ?? ((status, body) => status === 200 && !body.includes('"errors"'));
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const until = started + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        const response = await request(options.url, {
          method: options.body === undefined ? 'GET' : 'POST',
          headers: options.headers,
          body: options.body,
          dispatcher: agent,
        });
        const text = await response.body.text();
        if (!ok(response.statusCode, text)) failures += 1;
      } catch {
        failures += 1;
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  return summarize(latencies, failures, seconds);
}

/** The figures of one closed-loop run from each request's latency (ms). */
export function summarize(latencies: number[], failures: number, seconds: number): LoadResult {
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    failures,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    latencies,
  };
}

export function formatLoad(label: string, r: LoadResult): string {
  return `${label}: ${r.rps.toFixed(0)} req/s over ${r.seconds.toFixed(1)} s (${r.requests} requests, ${r.failures} failed); latency ms p50 ${r.p50.toFixed(1)} p90 ${r.p90.toFixed(1)} p99 ${r.p99.toFixed(1)} max ${r.max.toFixed(1)}`;
}
