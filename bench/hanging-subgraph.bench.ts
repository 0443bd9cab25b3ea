/**
 * Latency of a query whose one subgraph hangs: metering never answers, the rest of the graph is
 * healthy. The figure to watch is how close the answer comes to the subgraph's timeout (or the
 * client's deadline when that is sooner): a hanging subgraph should cost its timeout, not more.
 * Baseline: the same query with every subgraph healthy.
 */
import { type FaultServer, startFaultServer } from '../test/helpers/fault-server.ts';
import { startPlatform } from '../test/helpers/platform.ts';

const QUERY =
  '{ tenant { name usage { requests } } models(first: 10) { nodes { id name usage { requests } } } }';
const RUNS = 20;

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  return { p50: at(50), p95: at(95), max: sorted.at(-1)! };
}

async function measure(
  label: string,
  limitMs: number | undefined,
  setup: {
    timeoutMs: number;
    fault: Parameters<FaultServer['set']>[0];
    headers?: Record<string, string>;
    concurrency?: number;
  },
) {
  const metering = await startFaultServer({ upstream: 'metering' });
  metering.set(setup.fault);
  const platform = await startPlatform({
    subgraphUrls: { metering: metering.url },
    // The breaker would start failing fast after a few timeouts; this measures the timeout itself.
    gateway: { gateway: { subgraphDefaults: { timeoutMs: setup.timeoutMs, breaker: { enabled: false } } } },
  });
  try {
    const token = await platform.token();
    await platform.query({ query: QUERY }, { token }); // warm-up: plan cache, connections
    const samples: number[] = [];
    const concurrency = setup.concurrency ?? 1;
    for (let i = 0; i < RUNS; i += concurrency) {
      const batch = await Promise.all(
        Array.from({ length: concurrency }, () =>
          platform.query({ query: QUERY }, { token, headers: setup.headers }),
        ),
      );
      for (const result of batch) {
        if (result.body.data?.models?.nodes?.length !== 10)
          throw new Error(`${label}: the healthy part was not served`);
        samples.push(result.ms);
      }
    }
    const { p50, p95, max } = stats(samples);
    const over = limitMs === undefined ? '' : `  (p50 - limit: ${(p50 - limitMs).toFixed(1)} ms)`;
    process.stdout.write(
      `${label.padEnd(60)} limit ${String(limitMs ?? '-').padStart(5)}  p50 ${p50.toFixed(1).padStart(7)}  p95 ${p95.toFixed(1).padStart(7)}  max ${max.toFixed(1).padStart(7)} ms${over}\n`,
    );
  } finally {
    await platform.close();
    await metering.close();
  }
}

process.stdout.write(`query: ${QUERY}\n${RUNS} requests per row, sequential unless noted\n\n`);
await measure('baseline: every subgraph healthy', undefined, { timeoutMs: 300, fault: { kind: 'ok' } });
await measure('metering hangs, timeoutMs 300', 300, { timeoutMs: 300, fault: { kind: 'hang' } });
await measure('metering hangs, timeoutMs 1000', 1000, { timeoutMs: 1000, fault: { kind: 'hang' } });
await measure('metering hangs, timeoutMs 1000, client request-timeout 250', 250, {
  timeoutMs: 1000,
  fault: { kind: 'hang' },
  headers: { 'request-timeout': '250' },
});
await measure('metering hangs, timeoutMs 300, 10 concurrent', 300, {
  timeoutMs: 300,
  fault: { kind: 'hang' },
  concurrency: 10,
});
