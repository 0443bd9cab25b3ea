import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../../helpers/fault-server.ts';
import type { GraphQLResult } from '../../helpers/http.ts';
import { startPlatform, type TestGateway, type TestPlatform } from '../../helpers/platform.ts';
import { REDIS_URL, skipWithoutRedis } from '../../helpers/redis.ts';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const skip = await skipWithoutRedis('the fill lock shared by replicas through Redis');

const ok = (r: GraphQLResult) => r.status === 200 && r.body?.errors === undefined && r.body?.data != null;
/** A catalogue page under a name no other request has: a key of its own, cold. */
const page = () => {
  const operationName = `Page_${randomUUID().replaceAll('-', '')}`;
  return { query: `query ${operationName} { models(first: 3) { nodes { id name } } }`, operationName };
};

/**
 * Two replicas over one Redis, in front of a catalogue subgraph that counts its calls and answers
 * slowly (so every request arrives while the first fill runs). The transport's own deduplication
 * and retries are off, so only the cache can be what collapses the calls.
 */
async function replicas(redisUrl: string, cache: Record<string, unknown> = {}) {
  const models = await startFaultServer({ upstream: 'models' });
  models.set({ kind: 'slow', ms: 500 });
  const platform = await startPlatform({ subgraphUrls: { models: models.url } });
  const settings = {
    redisUrl,
    cache: { enabled: true, redisKeyPrefix: `portico-test-${randomUUID()}:`, ...cache },
    gateway: {
      maxRequestMs: 30_000,
      subgraphDefaults: {
        dedup: false,
        timeoutMs: 1_500,
        retry: { maxAttempts: 1 },
        breaker: { enabled: false },
      },
    },
  };
  const a = await platform.addGateway(settings);
  const b = await platform.addGateway(settings);
  return { models, platform, a, b };
}

/** `perReplica` identical requests at each replica at once. */
async function burst(gateways: TestGateway[], query: object, token: string, perReplica = 8) {
  return Promise.all(
    gateways.flatMap((gateway) => Array.from({ length: perReplica }, () => gateway.query(query, { token }))),
  );
}

describe.skipIf(skip)('one fill per key across replicas', () => {
  let models: FaultServer;
  let platform: TestPlatform;
  let a: TestGateway;
  let b: TestGateway;

  beforeAll(async () => {
    // A generous command timeout: a loaded machine must not turn a slow Redis reply into a second fill.
    ({ models, platform, a, b } = await replicas(REDIS_URL, { redisTimeoutMs: 2_000, fillLockMs: 20_000 }));
  });
  afterAll(async () => {
    await platform?.close();
    await models?.close();
  });

  it('fills a key once while many callers at both replicas miss it at the same time', async () => {
    const token = await platform.token();
    const query = page();
    models.reset();
    const answers = await burst([a, b], query, token);
    expect(answers.filter((r) => !ok(r))).toEqual([]);
    expect(new Set(answers.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(models.calls).toBe(1);
  }, 60_000);

  it('lets the waiters fill when the lock holder fails, instead of waiting its lock out', async () => {
    const token = await platform.token();
    const query = page();
    models.reset();
    // The first call hangs until the transport gives up on it (an error: nothing is stored).
    models.set((call) => (call === 0 ? { kind: 'hang' } : { kind: 'slow', ms: 300 }));
    try {
      const holder = a.query(query, { token });
      await waitFor(async () => models.calls === 1, { timeoutMs: 10_000, intervalMs: 20 });
      const waiters = await burst([a, b], query, token, 6);
      expect(ok(await holder)).toBe(false);
      expect(waiters.filter((r) => !ok(r))).toEqual([]);
      // The failed call and one fill after it, not one per waiter.
      expect(models.calls).toBe(2);
      // Released at once: had the lock stayed until its 20 s ran out, the waiters would have
      // waited their bound (14-15 s) before filling. A failed call takes 1.5 s, a fill 0.3 s.
      expect(Math.max(...waiters.map((r) => r.ms))).toBeLessThan(10_000);
    } finally {
      models.set({ kind: 'slow', ms: 500 });
    }
  }, 60_000);
});

describe.skipIf(skip)('one fill per key when Redis is away', () => {
  let proxy: TcpProxy;
  let models: FaultServer;
  let platform: TestPlatform;
  let a: TestGateway;
  let b: TestGateway;

  beforeAll(async () => {
    const { hostname, port } = new URL(REDIS_URL);
    proxy = await startTcpProxy({ host: hostname, port: Number(port || 6379) });
    ({ models, platform, a, b } = await replicas(proxy.url('redis')));
  });
  afterAll(async () => {
    await platform?.close();
    await models?.close();
    await proxy?.close();
  });

  it('answers every caller, one fill per replica, while Redis is down and while it hangs', async () => {
    const token = await platform.token();
    await proxy.cut();
    models.reset();
    const down = await burst([a, b], page(), token);
    expect(down.filter((r) => !ok(r))).toEqual([]);
    // Each replica falls back to its own single flight.
    expect(models.calls).toBeLessThanOrEqual(2);
    await proxy.restore();
    proxy.stall();
    try {
      models.reset();
      const hung = await burst([a, b], page(), token);
      expect(hung.filter((r) => !ok(r))).toEqual([]);
      expect(models.calls).toBeLessThanOrEqual(2);
    } finally {
      proxy.resume();
    }
  }, 60_000);
});
