import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, print } from 'graphql';
import { Agent, request } from 'undici';
import { loadOrCreateDevKey } from '../issuer/keys.ts';
import { issuerIdentity, signDevToken } from '../issuer/sign.ts';
import { loadConfig } from '../platform/config/load.ts';
import { projectRoot } from '../platform/paths.ts';
import { testKeyFiles } from '../test/helpers/config.ts';
import { type DevPlatform, startDevPlatform } from '../test/helpers/dev-platform.ts';
import { freePorts, type Spawned, spawnPortico } from '../test/helpers/process.ts';
import { waitFor } from '../test/helpers/wait-for.ts';
import { formatLoad, runLoad } from './lib/load.ts';

/**
 * The gateway's response and entity caches, each figure measured against the same platform without
 * them in the same run:
 *
 * 1. one cacheable query (the catalogue page: public, 30 s), cached vs uncached: req/s under
 *    `BENCH_CONCURRENCY` clients, and p50 with one client (the time of a request, not of a queue);
 * 2. the BFFs' operations in a realistic mix (the mobile home screen most, the web pages, the CLI),
 *    nine users in three tenants: the catalogue subgraph's calls per client request without and
 *    with the caches, against the hit rate the cached gateway counted.
 *
 * `npm start` runs the subgraphs and a caching gateway (memory); a second gateway process with
 * `PORTICO_CACHE=false` shares them, and (when REDIS_URL is set) a third caches in Redis.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const [modelsAdmin, cachedAdmin, uncachedPort, uncachedAdmin, redisPort, redisAdmin] = await freePorts(6);
const platform: DevPlatform = await startDevPlatform({
  env: {
    PORTICO_RATE_LIMITS: 'false',
    PORTICO_MODELS_ADMIN_PORT: String(modelsAdmin),
    PORTICO_GATEWAY_ADMIN_PORT: String(cachedAdmin),
  },
});
const extra: Spawned[] = [];

/** Another gateway over the same subgraphs and issuer, in its own process. */
async function spawnGateway(port: number, admin: number, env: Record<string, string>): Promise<string> {
  const subgraphs = Object.fromEntries(
    ['models', 'billing', 'metering', 'health'].map((name) => [
      `PORTICO_SUBGRAPH_${name.toUpperCase()}_URL`,
      `http://127.0.0.1:${platform.ports[name]}/graphql`,
    ]),
  );
  const keys = testKeyFiles();
  const child = spawnPortico(['serve', 'gateway'], {
    ...subgraphs,
    // The keys the platform's subgraphs trust (the launcher's, see startDevPlatform).
    PORTICO_SUBGRAPH_AUTH_KEYS_FILE: keys.signingKeysFile,
    PORTICO_SUBGRAPH_AUTH_JWKS_FILE: keys.jwksFile,
    PORTICO_GATEWAY_PORT: String(port),
    PORTICO_GATEWAY_ADMIN_PORT: String(admin),
    PORTICO_JWKS_URL: `http://127.0.0.1:${platform.ports.issuer}/.well-known/jwks.json`,
    PORTICO_RATE_LIMITS: 'false',
    ...env,
  });
  extra.push(child);
  await waitFor(
    async () => (await request(`http://127.0.0.1:${port}/ready`).catch(() => null))?.statusCode === 200,
    {
      timeoutMs: 60_000,
      intervalMs: 200,
    },
  );
  return `http://127.0.0.1:${port}/graphql`;
}

/** A counter's total over every label set, from a /metrics page. */
async function counter(adminPort: number, name: string, filter = ''): Promise<number> {
  const text = await (await request(`http://127.0.0.1:${adminPort}/metrics`)).body.text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(filter))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
const catalogueCalls = () => counter(modelsAdmin!, 'http_request_duration_seconds_count', 'route="/graphql"');

/** Every operation the BFFs send, with the variables they send it with. */
function bffOperations(ids: string[]): { name: string; weight: number; body: string }[] {
  const files = [
    'mobile/operations/home.graphql',
    'web/operations/models.graphql',
    'web/operations/account.graphql',
  ];
  files.push('web/operations/health.graphql', 'cli/operations/cli.graphql');
  const variables: Record<string, object> = {
    WebModels: { first: 20 },
    WebModelsByIds: { ids },
    CliModels: { first: 20 },
    CliUsage: { window: 'LAST_7D' },
  };
  // The mobile home screen is opened most, the web pages less, the terminal least.
  const weights: Record<string, number> = { Mobile: 4, Web: 2, Cli: 1 };
  return files.flatMap((file) =>
    parse(readFileSync(join(projectRoot, 'bffs', file), 'utf8')).definitions.flatMap((definition) => {
      if (definition.kind !== 'OperationDefinition' || !definition.name) return [];
      const name = definition.name.value;
      const query = print({ kind: 'Document' as never, definitions: [definition] } as never);
      const weight = weights[/^[A-Z][a-z]+/.exec(name)![0]] ?? 1;
      return [
        {
          name,
          weight,
          body: JSON.stringify({ query, operationName: name, variables: variables[name] ?? {} }),
        },
      ];
    }),
  );
}

/** The mix: each client picks a user and a weighted operation per request. */
async function runMix(url: string, tokens: string[], ids: string[]) {
  const operations = bffOperations(ids).flatMap((operation) => Array(operation.weight).fill(operation));
  const agent = new Agent({ connections: concurrency });
  let requests = 0;
  let failures = 0;
  const until = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        n += 1;
        const operation = operations[(n * 7919) % operations.length]!;
        const token = tokens[(n * 104729) % tokens.length]!;
        const response = await request(url, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: operation.body,
        });
        const text = await response.body.text();
        requests += 1;
        if (response.statusCode !== 200 || text.includes('"errors"')) failures += 1;
      }
    }),
  );
  await agent.close();
  return { requests, failures };
}

try {
  const config = loadConfig({ env: {} });
  const key = await loadOrCreateDevKey(config.devIssuer.keyFile);
  const tokens = await Promise.all(
    ['acme', 'globex', 'initech'].flatMap((tenant) =>
      [1, 2, 3].map((n) =>
        signDevToken(
          key,
          { sub: `${tenant}-user-${n}`, tenant, scopes: ['billing:read'], ttl: '1h' },
          issuerIdentity(config.auth),
        ),
      ),
    ),
  );
  const gateways: { label: string; url: string; admin: number | null }[] = [
    {
      label: 'uncached',
      url: await spawnGateway(uncachedPort!, uncachedAdmin!, { PORTICO_CACHE: 'false' }),
      admin: null,
    },
    {
      label: 'cached (memory)',
      url: `http://127.0.0.1:${platform.ports.gateway}/graphql`,
      admin: cachedAdmin!,
    },
  ];
  if (process.env.REDIS_URL) {
    const url = await spawnGateway(redisPort!, redisAdmin!, { REDIS_URL: process.env.REDIS_URL });
    gateways.push({ label: 'cached (redis)', url, admin: redisAdmin! });
  }
  const catalogue = JSON.stringify({
    query:
      '{ models(first: 20) { nodes { id name family status pricing { inputPer1kTokens currency } availability { status } } } }',
  });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` };
  const page = await request(gateways[0]!.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: '{ models(first: 30) { nodes { id } } }' }),
  });
  const nodes = ((await page.body.json()) as { data: { models: { nodes: { id: string }[] } } }).data.models
    .nodes;
  // The replacements the web page looks up: two of the older models.
  const ids = nodes.slice(-2).map((node) => node.id);
  process.stdout.write(`catalogue page (public, 30 s), ${concurrency} clients, ${seconds} s each:\n`);
  const results: Record<string, number> = {};
  for (const gateway of gateways) {
    await runLoad({ url: gateway.url, headers, body: catalogue, concurrency, seconds: 2 });
    const load = await runLoad({ url: gateway.url, headers, body: catalogue, concurrency, seconds });
    results[gateway.label] = load.rps;
    process.stdout.write(`  ${formatLoad(gateway.label, load)}\n`);
  }
  // What a hit still costs beside the cache: `{ __typename }` takes the whole pipeline (token check,
  // Apollo, plugins) and no subgraph; GET /health takes only HTTP and fastify, the floor of any
  // answer on this machine (the load generator shares its cores).
  const floor = JSON.stringify({ query: '{ __typename }' });
  const pipeline = await runLoad({ url: gateways[1]!.url, headers, body: floor, concurrency, seconds });
  process.stdout.write(`  ${formatLoad('{ __typename } (full pipeline)', pipeline)}\n`);
  const health = gateways[1]!.url.replace(/\/graphql$/, '/health');
  const http = await runLoad({ url: health, headers: {}, concurrency, seconds });
  process.stdout.write(`  ${formatLoad('GET /health (HTTP floor)', http)}\n`);
  for (const gateway of gateways.slice(1)) {
    const ratio = results[gateway.label]! / results.uncached!;
    process.stdout.write(`  ${gateway.label}: ${ratio.toFixed(1)}x the uncached req/s\n`);
  }
  // Latency without queueing: one client, so p50 is the time of one request, not of the queue.
  process.stdout.write(`catalogue page, 1 client, ${seconds} s each:\n`);
  for (const gateway of gateways) {
    const load = await runLoad({ url: gateway.url, headers, body: catalogue, concurrency: 1, seconds });
    process.stdout.write(`  ${formatLoad(gateway.label, load)}\n`);
  }
  process.stdout.write(
    `\nBFF operation mix (${bffOperations(ids).length} operations, 9 users in 3 tenants):\n`,
  );
  for (const gateway of gateways) {
    const calls = await catalogueCalls();
    const hits = gateway.admin
      ? await counter(gateway.admin, 'portico_cache_hits_total', 'layer="response"')
      : 0;
    const misses = gateway.admin
      ? await counter(gateway.admin, 'portico_cache_misses_total', 'layer="response"')
      : 0;
    const mix = await runMix(gateway.url, tokens, ids);
    const perRequest = ((await catalogueCalls()) - calls) / mix.requests;
    let line = `  ${gateway.label}: ${mix.requests} requests (${mix.failures} failed), catalogue calls per request ${perRequest.toFixed(3)}`;
    if (gateway.admin) {
      const h = (await counter(gateway.admin, 'portico_cache_hits_total', 'layer="response"')) - hits;
      const m = (await counter(gateway.admin, 'portico_cache_misses_total', 'layer="response"')) - misses;
      line += `, response cache hit rate ${((100 * h) / (h + m)).toFixed(1)}%`;
    }
    results[`mix ${gateway.label}`] = perRequest;
    process.stdout.write(`${line}\n`);
  }
  for (const gateway of gateways.slice(1)) {
    const drop = 1 - results[`mix ${gateway.label}`]! / results['mix uncached']!;
    process.stdout.write(`  ${gateway.label}: catalogue calls down ${(100 * drop).toFixed(1)}%\n`);
  }
} finally {
  for (const child of extra) {
    child.child.kill('SIGTERM');
    await child.exited;
  }
  await platform.stop();
}
