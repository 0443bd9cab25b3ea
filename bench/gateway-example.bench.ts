import { EXAMPLE_QUERY } from '../gateway/example-query.ts';
import { startDevPlatform } from '../test/helpers/dev-platform.ts';
import { formatLoad, runLoad } from './lib/load.ts';

/**
 * Requests per second of the README's example query (billing, metering, models and health in one
 * plan) through the gateway, with the platform as `npm start` runs it. Baseline: the same load on
 * `{ __typename }`, which the gateway answers without a subgraph call, so the difference is the
 * cost of planning, fetching and merging.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
// Throughput of planning and fetching, not of limits: portico.yaml's per-tenant limits would refuse
// most of this load (bench/rate-limit.bench.ts measures what the limiter costs).
const platform = await startDevPlatform({ env: { PORTICO_RATE_LIMITS: 'false' } });
try {
  const url = `http://127.0.0.1:${platform.ports.gateway}/graphql`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${platform.token}` };
  // Warm the query-plan cache and the connection pools.
  await runLoad({ url, headers, body: JSON.stringify({ query: EXAMPLE_QUERY }), concurrency, seconds: 2 });
  const baseline = await runLoad({
    url,
    headers,
    body: JSON.stringify({ query: '{ __typename }' }),
    concurrency,
    seconds,
  });
  process.stdout.write(`${formatLoad('baseline { __typename }', baseline)}\n`);
  const example = await runLoad({
    url,
    headers,
    body: JSON.stringify({ query: EXAMPLE_QUERY }),
    concurrency,
    seconds,
  });
  process.stdout.write(`${formatLoad('README example query', example)}\n`);
} finally {
  await platform.stop();
}
