import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResult } from '../../helpers/http.ts';
import { startPlatform, type TestGateway, type TestPlatform } from '../../helpers/platform.ts';
import { REDIS_URL, skipWithoutRedis } from '../../helpers/redis.ts';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const skip = await skipWithoutRedis('the response cache shared through Redis');

const CATALOGUE = {
  query: 'query Catalogue { models(first: 3) { nodes { id name pricing { currency } } } }',
};
const TENANT = { query: 'query Tenant { tenant { id spendAlert } }' };
const ok = (r: GraphQLResult) => r.status === 200 && r.body?.errors === undefined && r.body?.data != null;

/**
 * Two gateway replicas over one Redis: what one fills the other serves, a purge at one reaches the
 * other's memory tier, an operator bypasses the cache and nobody else can, the counters count, and
 * Redis going away (cut or hung, through a TCP proxy) never costs an answer.
 */
describe.skipIf(skip)('response cache shared by replicas through Redis', () => {
  let platform: TestPlatform;
  let a: TestGateway;
  let b: TestGateway;
  const models = () => platform.subgraphRequests.filter((r) => r.subgraph === 'models').length;

  beforeAll(async () => {
    platform = await startPlatform();
    const cache = { enabled: true, redisKeyPrefix: `portico-test-${randomUUID()}:` };
    a = await platform.addGateway({ redisUrl: REDIS_URL, cache });
    b = await platform.addGateway({ redisUrl: REDIS_URL, cache });
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('serves at one replica what the other filled', async () => {
    const token = await platform.token();
    const before = models();
    const filled = await a.query(CATALOGUE, { token });
    expect(filled.headers.age).toBeUndefined();
    const shared = await b.query(CATALOGUE, { token });
    expect(shared.body).toEqual(filled.body);
    expect(shared.headers.age).toBeDefined();
    expect(models()).toBe(before + 1);
  });

  it("purges the other replica's copy when a mutation changes it", async () => {
    const token = await platform.token({
      tenant: 'initech',
      sub: 'initech-user-1',
      scopes: ['billing:write'],
    });
    await a.query(TENANT, { token });
    expect((await b.query(TENANT, { token })).headers.age).toBeDefined();
    const threshold = 5000 + Math.floor(Math.random() * 1000);
    const mutation = await a.query(
      { query: 'mutation($t: Float) { setSpendAlert(threshold: $t) { id } }', variables: { t: threshold } },
      { token },
    );
    expect(ok(mutation)).toBe(true);
    await waitFor(
      async () => (await b.query(TENANT, { token })).body?.data?.tenant?.spendAlert === threshold,
      {
        timeoutMs: 4_000,
        intervalMs: 50,
      },
    );
  });

  it('lets an operator bypass the cache, and nobody else', async () => {
    const admin = await platform.token({ scopes: ['admin'] });
    const user = await platform.token({ scopes: [] });
    const headers = { 'x-portico-cache': 'bypass' };
    await a.query(CATALOGUE, { token: user });
    const before = models();
    expect((await a.query(CATALOGUE, { token: user, headers })).headers.age).toBeDefined();
    expect(models()).toBe(before);
    const bypassed = await a.query(CATALOGUE, { token: admin, headers });
    expect(bypassed.headers.age).toBeUndefined();
    expect(models()).toBe(before + 1);
  });

  it('counts hits, misses and fills on the admin listener', async () => {
    const metrics = await (await request(`${a.adminUrl}/metrics`)).body.text();
    expect(metrics).toMatch(/portico_cache_hits_total\{[^}]*operation="Catalogue"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/portico_cache_fills_total\{[^}]*operation="Catalogue"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/portico_cache_misses_total\{[^}]*reason="cold"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/portico_cache_purged_entries_total\{[^}]*\} [1-9]/);
    expect(metrics).toMatch(/portico_cache_bytes_total\{[^}]*direction="read"[^}]*\} [1-9]/);
  });
});

describe.skipIf(skip)('response cache when Redis goes away', () => {
  let platform: TestPlatform;
  let proxy: TcpProxy;
  let gateway: TestGateway;
  const prefix = `portico-test-${randomUUID()}:`;

  beforeAll(async () => {
    const { hostname, port } = new URL(REDIS_URL);
    proxy = await startTcpProxy({ host: hostname, port: Number(port || 6379) });
    platform = await startPlatform();
    gateway = await platform.addGateway({
      redisUrl: proxy.url('redis'),
      cache: { enabled: true, redisKeyPrefix: prefix, localTtlSec: 1 },
    });
  });
  afterAll(async () => {
    await platform?.close();
    await proxy?.close();
  });

  /** Sends queries from `workers` loops until `stop` resolves; returns every answer. */
  async function load(token: string, stop: Promise<void>, workers = 4): Promise<GraphQLResult[]> {
    const results: GraphQLResult[] = [];
    let running = true;
    void stop.then(() => {
      running = false;
    });
    const queries = [CATALOGUE, TENANT];
    await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        for (let i = 0; running; i += 1)
          results.push(await gateway.query(queries[(i + worker) % 2], { token }));
      }),
    );
    return results;
  }

  it('keeps answering while Redis is cut and while it hangs, and caches again after', async () => {
    const token = await platform.token();
    const phase = async (during: () => Promise<void> | void, ms: number) => {
      const stop = new Promise<void>((resolve) => setTimeout(resolve, ms));
      const running = load(token, stop);
      await new Promise((resolve) => setTimeout(resolve, ms / 3));
      await during();
      return running;
    };
    const cut = await phase(() => proxy.cut(), 2_000);
    expect(cut.length).toBeGreaterThan(8);
    expect(cut.filter((r) => !ok(r))).toEqual([]);
    await proxy.restore();
    const hung = await phase(() => proxy.stall(), 2_000);
    expect(hung.filter((r) => !ok(r))).toEqual([]);
    // Every answer came within a few command timeouts, not stuck behind the hung connection.
    expect(Math.max(...hung.map((r) => r.ms))).toBeLessThan(5_000);
    proxy.resume();
    await proxy.cut();
    await proxy.restore();
    const metrics = await (await request(`${gateway.adminUrl}/metrics`)).body.text();
    expect(metrics).toMatch(/portico_cache_store_failures_total\S* [1-9]/);
    // Back to filling Redis once the client reconnects, by itself.
    const redis = new Redis(REDIS_URL);
    try {
      await waitFor(
        async () => {
          const first = 1 + Math.floor(Math.random() * 20);
          const query = {
            query: 'query Page($n: Int) { models(first: $n) { totalCount } }',
            variables: { n: first },
          };
          await gateway.query(query, { token });
          const [, keys] = await redis.scan('0', 'MATCH', `${prefix}e:*`, 'COUNT', 10_000);
          return keys.length > 0;
        },
        { timeoutMs: 10_000, intervalMs: 200 },
      );
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});
