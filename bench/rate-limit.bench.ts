/**
 * The latency the rate limiter adds to a request: the same gateway, over the same subgraphs, with
 * rate limits off (baseline), with portico.yaml's limits in memory, and with them in Redis (the
 * replicas' shared store). Requests go one at a time, rotating over the three gateways, so drift
 * and noise land on all of them alike. Two limits apply to each request (tenant requests and tenant
 * cost: two Redis round trips in parallel, and the cost estimate); none refuses.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { EXAMPLE_QUERY } from '../gateway/example-query.ts';
import { startPlatform, type TestGateway } from '../test/helpers/platform.ts';
import { REDIS_URL, redisAvailable } from '../test/helpers/redis.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 2_000);
const limits = [
  { name: 'tenant-requests', per: 'tenant', limit: 1_000_000_000, windowSec: 60 },
  { name: 'tenant-cost', per: 'tenant', measure: 'cost', limit: 1_000_000_000, windowSec: 86_400 },
  { name: 'anonymous-ip', per: 'ip', callers: 'anonymous', limit: 20, windowSec: 1 },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

if (!(await redisAvailable())) {
  process.stderr.write(`Redis not reachable at ${REDIS_URL}; this benchmark needs it\n`);
  process.exit(1);
}
const platform = await startPlatform();
const prefix = `portico-bench-${randomUUID()}:`;
try {
  const gateways: [string, TestGateway][] = [
    ['baseline: rate limits off', await platform.addGateway({ rateLimits: { enabled: false } })],
    ['limits in memory', await platform.addGateway({ rateLimits: { limits } })],
    [
      'limits in Redis',
      await platform.addGateway({ redisUrl: REDIS_URL, rateLimits: { redisKeyPrefix: prefix, limits } }),
    ],
  ];
  const token = await platform.token();
  const body = JSON.stringify({ query: EXAMPLE_QUERY });
  const pools = gateways.map(([, gw]) => new Pool(new URL(gw.url).origin, { connections: 1 }));
  const send = async (i: number) => {
    const started = performance.now();
    const response = await pools[i]!.request({
      path: '/graphql',
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200 || text.includes('"errors"'))
      throw new Error(`${gateways[i]![0]}: ${text}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 200; i += 1) await send(i % gateways.length); // warm-up: plans, pools, JIT
  const samples = gateways.map(() => [] as number[]);
  for (let i = 0; i < RUNS * gateways.length; i += 1) {
    const which = i % gateways.length;
    samples[which]!.push(await send(which));
  }
  const [base50, base99] = (() => {
    const sorted = [...samples[0]!].sort((a, b) => a - b);
    return [percentile(sorted, 50), percentile(sorted, 99)];
  })();
  process.stdout.write(`query: README example (cost 23); ${RUNS} sequential requests per row\n\n`);
  gateways.forEach(([label], i) => {
    const sorted = [...samples[i]!].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const added =
      i === 0 ? '' : `   added: p50 ${(p50 - base50!).toFixed(2)}  p99 ${(p99 - base99!).toFixed(2)} ms`;
    process.stdout.write(
      `${label.padEnd(28)} p50 ${p50.toFixed(2).padStart(6)}  p99 ${p99.toFixed(2).padStart(6)} ms${added}\n`,
    );
  });
  await Promise.all(pools.map((pool) => pool.close()));
} finally {
  await platform.close();
  // The day-long cost window would otherwise stay in the shared Redis for a day.
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
