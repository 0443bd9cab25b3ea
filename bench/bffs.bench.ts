import type { BffName } from '../bffs/kit/create-bff.ts';
import { startBff } from '../test/helpers/bff.ts';
import { startCountingProxy } from '../test/helpers/counting-proxy.ts';
import { startPlatform } from '../test/helpers/platform.ts';

/**
 * Each BFF's main query: latency with every subgraph healthy (the baseline) and with health
 * answering 300 ms late, gateway calls per request, and the size of the answer. The platform runs
 * in this process (as in the tests), so figures include its CPU; requests are sequential.
 */
const queries: Record<BffName, string> = {
  web: '{ dashboard { viewer { name } tenant { name plan tier } quota { percentUsed tokenLimit resetsAt } models(first: 12) { id name status availability { status } usage7d { requests cost } replacement { id name } } health { status services { name status } incidents { title } } recentInvoices { number amount status } generatedAt } }',
  mobile: '{ home { greeting quotaPercent topModels { id name requests7d available } status } }',
  cli: '{ status { platform { overall services { name status } incidents { title } } account { tenant plan quotaPercent } } models(first: 30) { id name status availability requests7d } usage(window: D7) { requests cost days { date requests } } }',
};
// 25 runs plus a warm-up stay under the CLI BFF's tightest @rateLimit (30 per minute), so no run is refused.
const runs = Number(process.env.BENCH_RUNS ?? 25);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(delayMs: number) {
  const platform = await startPlatform(
    delayMs > 0 ? { subgraphOverrides: { health: { faults: { delayMs } } } } : {},
  );
  const proxy = await startCountingProxy(platform.gatewayUrl);
  const token = await platform.token({ scopes: ['billing:read'] });
  const rows: string[] = [];
  for (const name of ['web', 'mobile', 'cli'] as const) {
    const bff = await startBff(name, platform, { gatewayUrl: proxy.url });
    await bff.query({ query: queries[name] }, { token });
    proxy.reset();
    const times: number[] = [];
    let bytes = 0;
    let errors = 0;
    for (let i = 0; i < runs; i += 1) {
      const result = await bff.query({ query: queries[name] }, { token });
      times.push(result.ms);
      bytes = Number(result.headers['content-length'] ?? 0);
      errors += result.body.errors?.length ?? 0;
    }
    times.sort((a, b) => a - b);
    rows.push(
      `${name.padEnd(7)} p50 ${pct(times, 50).toFixed(1).padStart(6)} ms  p95 ${pct(times, 95).toFixed(1).padStart(6)} ms  ` +
        `gateway calls/request ${(proxy.calls / runs).toFixed(2)}  answer ${bytes} bytes  errors/request ${(errors / runs).toFixed(1)}`,
    );
    await bff.close();
  }
  await proxy.close();
  await platform.close();
  return rows;
}

process.stdout.write(`all subgraphs healthy (baseline), ${runs} sequential requests each:\n`);
for (const row of await measure(0)) process.stdout.write(`  ${row}\n`);
process.stdout.write('health answering 300 ms late:\n');
for (const row of await measure(300)) process.stdout.write(`  ${row}\n`);
