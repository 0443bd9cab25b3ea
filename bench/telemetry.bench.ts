/**
 * What observability costs the gateway in throughput: the same gateway, over the same subgraphs,
 * with everything off (baseline), with tracing at 100 %, 10 % and 0 % sampling (exporting
 * OTLP/protobuf to a local sink), and with field usage recording alone. Closed-loop load, rounds
 * interleaved (each configuration gets a slice of every round), so drift on a shared machine lands
 * on all of them alike. Two figures per configuration, each a ratio to the baseline:
 * - throughput: the median over rounds of (its req/s / the baseline's req/s in the same round);
 * - CPU: this process's CPU time per request (everything runs in it: load, gateways, subgraphs,
 *   sink), baseline's / its. On one event loop throughput is CPU-bound, so this is the throughput
 *   ratio an idle machine would show, and other processes' load hardly moves it.
 *
 * Only the gateways trace here: the subgraphs are shared and untraced, so the figures are the
 * gateway's own cost per request (server span, phases, one fetch and attempt span per subgraph
 * call, the W3C header, the export).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EXAMPLE_QUERY } from '../gateway/example-query.ts';
import { startPlatform, type TestGateway } from '../test/helpers/platform.ts';
import { formatLoad, type LoadResult, runLoad } from './lib/load.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

// A collector that accepts and drops everything: the cost measured is the gateway's, not a backend's.
let exports = 0;
const sink = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    exports += 1;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
const tracesEndpoint = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/v1/traces`;

const tracing = (ratio: number) => ({
  telemetry: {
    usage: { enabled: false },
    tracing: { tracesEndpoint, sampler: 'parentbased_traceidratio', samplerArg: ratio },
  },
});
const platform = await startPlatform({ gateway: { telemetry: { usage: { enabled: false } } } });
try {
  const rows: [string, TestGateway][] = [
    [
      'baseline: tracing and usage off',
      await platform.addGateway({ telemetry: { usage: { enabled: false } } }),
    ],
    ['tracing, 100 % sampled', await platform.addGateway(tracing(1))],
    ['tracing, 10 % sampled', await platform.addGateway(tracing(0.1))],
    ['tracing, 0 % sampled', await platform.addGateway(tracing(0))],
    ['usage recording (memory)', await platform.addGateway({ telemetry: { usage: { enabled: true } } })],
  ];
  const token = await platform.token();
  const body = JSON.stringify({ query: EXAMPLE_QUERY });
  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'apollographql-client-name': 'bench',
  };
  const load = (gateway: TestGateway, seconds: number) =>
    runLoad({ url: gateway.url, body, headers, concurrency: CONCURRENCY, seconds });
  for (const [, gateway] of rows) await load(gateway, SECONDS); // warm-up: plans, pools, JIT

  const totals = rows.map(() => ({
    requests: 0,
    failures: 0,
    seconds: 0,
    cpuMs: 0,
    results: [] as LoadResult[],
  }));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [i, [, gateway]] of rows.entries()) {
      const cpu = process.cpuUsage();
      const result = await load(gateway, SECONDS);
      const used = process.cpuUsage(cpu);
      const total = totals[i]!;
      total.requests += result.requests;
      total.failures += result.failures;
      total.seconds += result.seconds;
      total.cpuMs += (used.user + used.system) / 1000;
      total.results.push(result);
    }
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  process.stdout.write(
    `query: README example; ${CONCURRENCY} concurrent clients; ${ROUNDS} rounds x ${SECONDS} s per row, interleaved; ${exports} OTLP exports received\n\n`,
  );
  const base = totals[0]!;
  const baseCpu = base.cpuMs / base.requests;
  rows.forEach(([label], i) => {
    const total = totals[i]!;
    const rps = total.requests / total.seconds;
    const perRound = median(total.results.map((r, round) => r.rps / base.results[round]!.rps));
    const cpu = total.cpuMs / total.requests;
    process.stdout.write(
      `${label.padEnd(32)} ${rps.toFixed(0).padStart(5)} req/s  throughput ratio ${perRound.toFixed(2)}  ` +
        `CPU ${(cpu * 1000).toFixed(0).padStart(5)} us/req  CPU ratio ${(baseCpu / cpu).toFixed(2)}  (${total.failures} failed)\n`,
    );
  });
  process.stdout.write(
    `\nlast round of each: ${rows.map(([label], i) => `\n  ${formatLoad(label, totals[i]!.results.at(-1)!)}`).join('')}\n`,
  );
  if (totals.some((total) => total.failures > 0)) process.exitCode = 1;
} finally {
  await platform.close();
  await new Promise<void>((resolve) => sink.close(() => resolve()));
}
