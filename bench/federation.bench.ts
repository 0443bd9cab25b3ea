import { request } from 'undici';
import { waitUntilReady } from '../cli/wait-ready.ts';
import { freePorts } from '../test/helpers/process.ts';
import { type Child, startPortico, startScript } from './federation/children.ts';
import { DEEP_QUERY, USERS_QUERY } from './federation/queries.ts';
import { prepareBench } from './federation/setup.ts';
import { type LoadResult, percentile, runLoad } from './lib/load.ts';
import { cpuSeconds, loadAverage, peakRssMb, rssPartsMb } from './lib/proc-stats.ts';

/**
 * The public GraphQL gateways benchmark (graphql-hive/graphql-gateways-benchmark, federation),
 * re-implemented: four subgraphs answering from memory, its deep query (~16 subgraph fetches, an
 * ~87 KB answer) at 50 connections, through stock @apollo/gateway + @apollo/server and through
 * Portico as shipped for production (JWT, limits, rate limits and cost, metrics, logging), each
 * gateway one process, loaded alternately in the same run so machine noise hits both alike. Then
 * the single-subgraph query at 1 connection: the subgraph alone, stock, Portico (overhead p50),
 * and Portico's cluster mode, 1 worker against 2.
 *
 * BENCH_SECONDS (per window, default 5), BENCH_ROUNDS (default 3), BENCH_CONCURRENCY (default 50),
 * BENCH_CLUSTER=0 skips the cluster comparison; BENCH_PROFILE=<dir> writes V8 CPU profiles
 * (`.cpuprofile`) of the Portico gateways there when they stop (`dedup/`, `no-dedup/`); BENCH_ONLY=deep|single
 * runs one workload; BENCH_NODE_FLAGS (e.g. `--max-semi-space-size=8`) go to the Portico gateways'
 * node, to weigh V8 settings' RSS against throughput.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const withCluster = process.env.BENCH_CLUSTER !== '0';
/** `deep` or `single`: only that part (to profile one workload). */
const only = process.env.BENCH_ONLY;

interface Target {
  label: string;
  url: string;
  child: Child;
  headers: Record<string, string>;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const children: Child[] = [];

async function post(url: string, headers: Record<string, string>, query: string): Promise<string> {
  const response = await request(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${text.slice(0, 500)}`);
  return text;
}

async function startGateway(
  label: string,
  start: () => Promise<{ url: string; child: Child }>,
  token?: string,
) {
  const { url, child } = await start();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return { label, url, child, headers } satisfies Target;
}

/** V8 profiling of one Portico gateway into `<BENCH_PROFILE>/<name>/`, when asked for. */
const profileFlags = (name: string) =>
  process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}/${name}`] : [];

const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean);

async function porticoGateway(env: Record<string, string>, port: number, nodeArgs: string[] = []) {
  const child = startPortico(env, [...nodeFlags, ...nodeArgs]);
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  const failed = await waitUntilReady([{ name: 'gateway', url: base }], 60_000, () => []);
  if (failed.length > 0) throw new Error(`Portico did not become ready:\n${child.tail()}`);
  return { url: `${base}/graphql`, child };
}

interface Pooled {
  /** The first failed answer, to show why. */
  sample?: string;
  requests: number;
  failures: number;
  seconds: number;
  cpu: number;
  latencies: number[];
}

function summary(label: string, pooled: Pooled, child: Child, baseline?: Pooled): string {
  const latencies = pooled.latencies.sort((a, b) => a - b);
  const rps = pooled.requests / pooled.seconds;
  const ratio = baseline ? ` | ${(rps / (baseline.requests / baseline.seconds)).toFixed(2)}x stock` : '';
  const rss = rssPartsMb(child.pid);
  return [
    `${label.padEnd(28)} ${rps.toFixed(1).padStart(7)} req/s`,
    `p50 ${percentile(latencies, 50).toFixed(1)} ms p99 ${percentile(latencies, 99).toFixed(1)} ms`,
    `CPU ${((pooled.cpu / pooled.requests) * 1000).toFixed(2)} ms/req`,
    `peak RSS ${peakRssMb(child.pid).toFixed(0)} MB (now anon ${rss.anon.toFixed(0)} + file ${rss.file.toFixed(0)})`,
    `${pooled.failures} failed${pooled.sample ? ` (first: ${pooled.sample})` : ''}${ratio}`,
  ].join(' | ');
}

/** Loads each target in turn, `rounds` times, pooling each target's windows. */
async function alternate(targets: Target[], body: string, connections: number): Promise<Map<Target, Pooled>> {
  const pooled = new Map<Target, Pooled>(
    targets.map((t) => [t, { requests: 0, failures: 0, seconds: 0, cpu: 0, latencies: [] }]),
  );
  for (const target of targets) {
    // Warm-up: plan caches, connection pools, JIT.
    await runLoad({ url: target.url, headers: target.headers, body, concurrency: connections, seconds: 2 });
  }
  for (let round = 0; round < rounds; round++) {
    for (const target of targets) {
      const cpuBefore = cpuSeconds(target.child.pid);
      const entry = pooled.get(target)!;
      const r: LoadResult = await runLoad({
        url: target.url,
        headers: target.headers,
        body,
        concurrency: connections,
        seconds,
        ok: (status, text) => {
          const good = status === 200 && !text.includes('"errors"');
          if (!good) entry.sample ??= `${status} ${text.slice(0, 300)}`;
          return good;
        },
      });
      entry.cpu += cpuSeconds(target.child.pid) - cpuBefore;
      entry.requests += r.requests;
      entry.failures += r.failures;
      entry.seconds += r.seconds;
      entry.latencies.push(...r.latencies);
    }
  }
  return pooled;
}

try {
  out(`load average at start: ${loadAverage()}`);
  const subgraphs = startScript('./subgraphs-main.ts');
  children.push(subgraphs);
  const urls = (await subgraphs.ready) as Parameters<typeof prepareBench>[0];
  const files = await prepareBench(urls);
  process.once('exit', files.remove);
  const ports = await freePorts(4);

  const stock = await startGateway('stock @apollo/gateway', async () => {
    const child = startScript('./stock-gateway-main.ts', [files.supergraph]);
    children.push(child);
    return { url: (await child.ready).url!, child };
  });
  const portico = await startGateway(
    'Portico (production)',
    () =>
      porticoGateway(files.porticoEnv({ dedup: true, port: ports[0]! }), ports[0]!, profileFlags('dedup')),
    files.token,
  );
  const noDedup = await startGateway(
    'Portico, dedup off',
    () =>
      porticoGateway(
        files.porticoEnv({ dedup: false, port: ports[1]! }),
        ports[1]!,
        profileFlags('no-dedup'),
      ),
    files.token,
  );

  // Both must answer the same document, or the comparison means nothing.
  const expected = await post(stock.url, stock.headers, DEEP_QUERY);
  for (const target of [portico, noDedup]) {
    const answer = await post(target.url, target.headers, DEEP_QUERY);
    if (JSON.stringify(JSON.parse(answer)) !== JSON.stringify(JSON.parse(expected))) {
      throw new Error(`${target.label} answers differently from stock:\n${answer.slice(0, 2000)}`);
    }
  }
  if (expected.includes('"errors"')) throw new Error(`the deep query fails: ${expected.slice(0, 2000)}`);
  out(`deep query: identical answers, ${(Buffer.byteLength(expected) / 1024).toFixed(1)} KB`);

  const deepBody = JSON.stringify({ query: DEEP_QUERY });
  if (only !== 'single') {
    out(`\ndeep query, ${concurrency} connections, ${rounds} x ${seconds} s alternating:`);
    const deep = await alternate([stock, portico, noDedup], deepBody, concurrency);
    const stockDeep = deep.get(stock)!;
    for (const [target, pooled] of deep) {
      out(summary(target.label, pooled, target.child, target === stock ? undefined : stockDeep));
    }
  }

  // The subgraph alone, as a target of its own: the same load straight at the accounts subgraph.
  const alone: Target = {
    label: 'accounts subgraph alone',
    url: urls.accounts,
    child: subgraphs,
    headers: { 'content-type': 'application/json' },
  };
  const usersBody = JSON.stringify({ query: USERS_QUERY });
  if (only !== 'deep') {
    out(`\n${USERS_QUERY}, 1 connection, ${rounds} x ${seconds} s alternating:`);
    const single = await alternate([alone, stock, portico], usersBody, 1);
    const aloneP50 = percentile(
      single.get(alone)!.latencies.sort((a, b) => a - b),
      50,
    );
    for (const [target, pooled] of single) {
      const p50 = percentile(
        pooled.latencies.sort((a, b) => a - b),
        50,
      );
      const overhead = target === alone ? '' : ` | overhead p50 ${(p50 - aloneP50).toFixed(2)} ms`;
      out(`${summary(target.label, pooled, target.child)}${overhead}`);
    }
  }

  if (withCluster && !only) {
    await noDedup.child.stop();
    const cluster = await startGateway(
      'Portico, 2 workers',
      () => porticoGateway(files.porticoEnv({ dedup: true, workers: 2, port: ports[2]! }), ports[2]!),
      files.token,
    );
    out(`\ncluster mode, deep query, ${concurrency} connections, ${rounds} x ${seconds} s alternating:`);
    const scaled = await alternate([portico, cluster], deepBody, concurrency);
    const one = scaled.get(portico)!;
    out(summary('Portico, 1 worker', one, portico.child));
    const two = scaled.get(cluster)!;
    out(
      `${summary(cluster.label, two, cluster.child)} | ${(two.requests / two.seconds / (one.requests / one.seconds)).toFixed(2)}x 1 worker`,
    );
  }
  out(`\nload average at end: ${loadAverage()}`);
} finally {
  await Promise.all(children.map((child) => child.stop()));
}
