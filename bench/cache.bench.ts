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
import { formatLoad, type LoadResult, runLoad } from './lib/load.ts';
import { cpuSeconds, loadAverage } from './lib/proc-stats.ts';
import { runRawLoad } from './lib/raw-load.ts';

/**
 * The gateway's response and entity caches, each figure measured against the same platform without
 * them in the same run:
 *
 * 1. one cacheable query (the catalogue page: public, 300 s), cached vs uncached: req/s and p50
 *    with one client (the time of a request, not of a queue) and under `BENCH_CONCURRENCY`
 *    clients, each with the CPU per request of the gateway and of the load generator, and whether
 *    the target (10x the uncached req/s, p50 under 1 ms) holds at each;
 * 2. the BFFs' operations in a realistic mix (the mobile home screen most, the web pages, the CLI),
 *    nine users in three tenants: the catalogue subgraph's calls per client request without and
 *    with the caches, against the hit rate the cached gateway counted.
 *
 * `npm start` runs the subgraphs; three gateway processes share them: `PORTICO_CACHE=false`,
 * caching in memory, and (when REDIS_URL is set) caching in Redis, all logging at `warn` as
 * `npm start` does. The load generator shares the machine's cores with them: `BENCH_CLIENT=raw`
 * (the default here) sends prebuilt requests over plain sockets (bench/lib/raw-load.ts),
 * `undici` the other benches' client, which costs about as much CPU per request as a cache hit.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const client = process.env.BENCH_CLIENT ?? 'raw';
// Only the gateway that caches in Redis gets it: the others would take it from the environment.
const redisUrl = process.env.REDIS_URL;
delete process.env.REDIS_URL;
const [modelsAdmin, cachedPort, cachedAdmin, uncachedPort, uncachedAdmin, redisPort, redisAdmin] =
  await freePorts(7);
const platform: DevPlatform = await startDevPlatform({
  env: {
    PORTICO_RATE_LIMITS: 'false',
    PORTICO_MODELS_ADMIN_PORT: String(modelsAdmin),
  },
});
const extra: Spawned[] = [];

/** A gateway over the platform's subgraphs and issuer, in its own process: its URL and PID. */
async function spawnGateway(
  port: number,
  admin: number,
  env: Record<string, string>,
): Promise<{ url: string; pid: number }> {
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
    PORTICO_LOG_LEVEL: 'warn',
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
  return { url: `http://127.0.0.1:${port}/graphql`, pid: child.child.pid! };
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
  const gateways: { label: string; url: string; pid: number; admin: number | null }[] = [
    {
      label: 'uncached',
      ...(await spawnGateway(uncachedPort!, uncachedAdmin!, { PORTICO_CACHE: 'false' })),
      admin: null,
    },
    { label: 'cached (memory)', ...(await spawnGateway(cachedPort!, cachedAdmin!, {})), admin: cachedAdmin! },
  ];
  if (redisUrl) {
    const redis = await spawnGateway(redisPort!, redisAdmin!, { REDIS_URL: redisUrl });
    gateways.push({ label: 'cached (redis)', ...redis, admin: redisAdmin! });
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

  /** One closed-loop row, with what it cost the gateway's process and this one (the load generator). */
  const measure = async (
    label: string,
    target: { url: string; pid: number },
    body: string | undefined,
    clients: number,
    via = client,
  ): Promise<LoadResult> => {
    const run = via === 'raw' ? runRawLoad : runLoad;
    const options = { url: target.url, headers: body ? headers : {}, body, concurrency: clients };
    await run({ ...options, seconds: 2 });
    const gateway = cpuSeconds(target.pid);
    const own = process.cpuUsage();
    const load = await run({ ...options, seconds });
    const spent = process.cpuUsage(own);
    const perRequest = (cpu: number) => `${((1000 * cpu) / load.requests).toFixed(3)}`;
    process.stdout.write(
      `  ${formatLoad(label, load)}; CPU ms/req: gateway ${perRequest(cpuSeconds(target.pid) - gateway)}, load generator ${perRequest((spent.user + spent.system) / 1e6)}\n`,
    );
    return load;
  };
  const verdicts: string[] = [];
  for (const clients of [1, concurrency]) {
    process.stdout.write(
      `catalogue page (public, 300 s), ${clients} client(s), ${seconds} s each, load ${loadAverage()}:\n`,
    );
    const results = new Map<string, LoadResult>();
    for (const gateway of gateways)
      results.set(gateway.label, await measure(gateway.label, gateway, catalogue, clients));
    const uncached = results.get('uncached')!;
    for (const gateway of gateways.slice(1)) {
      const cached = results.get(gateway.label)!;
      const ratio = cached.rps / uncached.rps;
      verdicts.push(
        `  ${clients} client(s), ${gateway.label}: ${cached.rps.toFixed(0)} vs ${uncached.rps.toFixed(0)} req/s = ${ratio.toFixed(1)}x (10x: ${ratio >= 10 ? 'yes' : 'NO'}), p50 ${cached.p50.toFixed(2)} vs ${uncached.p50.toFixed(2)} ms (under 1 ms: ${cached.p50 < 1 ? 'yes' : 'NO'})`,
      );
    }
  }
  // What a hit still costs beside the cache: `{ __typename }` takes the whole pipeline (token check,
  // Apollo, plugins) and no subgraph; GET /health takes only HTTP and fastify, the floor of any
  // answer on this machine (the load generator shares its cores).
  process.stdout.write(`beside it, ${concurrency} clients:\n`);
  const cachedGateway = gateways[1]!;
  await measure(
    '{ __typename } (full pipeline)',
    cachedGateway,
    JSON.stringify({ query: '{ __typename }' }),
    concurrency,
  );
  const health = { ...cachedGateway, url: cachedGateway.url.replace(/\/graphql$/, '/health') };
  await measure('GET /health (HTTP floor)', health, undefined, concurrency);
  // The load generator's own share: the same hits through the other client.
  const other = client === 'raw' ? 'undici' : 'raw';
  await measure(`cached (memory) through ${other}`, cachedGateway, catalogue, concurrency, other);
  process.stdout.write(
    `target (at least 10x the uncached req/s, p50 under 1 ms; same run, ${client} client):\n`,
  );
  process.stdout.write(`${verdicts.join('\n')}\n`);
  process.stdout.write(
    `\nBFF operation mix (${bffOperations(ids).length} operations, 9 users in 3 tenants):\n`,
  );
  const mixCalls = new Map<string, number>();
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
    mixCalls.set(gateway.label, perRequest);
    process.stdout.write(`${line}\n`);
  }
  for (const gateway of gateways.slice(1)) {
    const drop = 1 - mixCalls.get(gateway.label)! / mixCalls.get('uncached')!;
    process.stdout.write(`  ${gateway.label}: catalogue calls down ${(100 * drop).toFixed(1)}%\n`);
  }
} finally {
  for (const child of extra) {
    child.child.kill('SIGTERM');
    await child.exited;
  }
  await platform.stop();
}
