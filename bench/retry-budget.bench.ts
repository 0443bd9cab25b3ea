/**
 * Calls a failing subgraph receives with and without the retry budget. Metering answers 503 to
 * every call (or to one call in twenty, for the blip row); 200 queries, 10 at a time, each making
 * one metering call. Retries are 3 attempts with a short backoff; the breaker is off so the
 * budget alone is measured, then on (the shipped defaults) for comparison.
 * Baseline: no retries at all, one call per query.
 */
import { type Fault, startFaultServer } from '../test/helpers/fault-server.ts';
import { startPlatform } from '../test/helpers/platform.ts';

const QUERY = '{ tenant { name usage { requests } } }';
const QUERIES = 200;
const CONCURRENCY = 10;

async function run(label: string, fault: (call: number) => Fault, subgraphDefaults: Record<string, unknown>) {
  const metering = await startFaultServer({ upstream: 'metering' });
  metering.set(fault);
  const platform = await startPlatform({
    subgraphUrls: { metering: metering.url },
    // Dedup would fold identical concurrent queries into fewer calls; here every query calls.
    gateway: { gateway: { subgraphDefaults: { dedup: false, ...subgraphDefaults } } },
  });
  try {
    const token = await platform.token();
    let failed = 0;
    const started = performance.now();
    for (let i = 0; i < QUERIES; i += CONCURRENCY) {
      const batch = await Promise.all(
        Array.from({ length: CONCURRENCY }, () => platform.query({ query: QUERY }, { token })),
      );
      failed += batch.filter((r) => r.body.errors !== undefined).length;
    }
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${label.padEnd(50)} calls ${String(metering.calls).padStart(4)}  (${(metering.calls / QUERIES).toFixed(2)} per query)  failed queries ${String(failed).padStart(3)}  ${seconds.toFixed(2)} s\n`,
    );
  } finally {
    await platform.close();
    await metering.close();
  }
}

const down: (call: number) => Fault = () => ({ kind: 'status', status: 503 });
const blip: (call: number) => Fault = (call) =>
  call % 20 === 0 ? { kind: 'status', status: 503 } : { kind: 'ok' };
const retry = { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 10 };
const noBreaker = { enabled: false };
const unbudgeted = { ...retry, budgetPercent: 100, budgetMinRetries: 1_000_000 };
const budgeted = { ...retry, budgetPercent: 10, budgetMinRetries: 3 };

process.stdout.write(
  `${QUERIES} queries, ${CONCURRENCY} at a time, one metering call each before retries\n\n`,
);
process.stdout.write('metering answers 503 to every call:\n');
await run('  baseline: no retries', down, { retry: { maxAttempts: 1 }, breaker: noBreaker });
await run('  3 attempts, no budget', down, { retry: unbudgeted, breaker: noBreaker });
await run('  3 attempts, budget 10 % (min 3 per 10 s)', down, { retry: budgeted, breaker: noBreaker });
await run('  3 attempts, budget 10 %, breaker on (defaults)', down, { retry: budgeted });
process.stdout.write('\nmetering answers 503 to one call in twenty (a blip):\n');
await run('  baseline: no retries', blip, { retry: { maxAttempts: 1 }, breaker: noBreaker });
await run('  3 attempts, no budget', blip, { retry: unbudgeted, breaker: noBreaker });
await run('  3 attempts, budget 10 % (min 3 per 10 s)', blip, { retry: budgeted, breaker: noBreaker });
