import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, spawnGateway } from '../../helpers/gateway-process.ts';
import { startPlatform, type TestPlatform } from '../../helpers/platform.ts';
import { REDIS_URL, skipWithoutRedis } from '../../helpers/redis.ts';

const skip = await skipWithoutRedis('two gateway replicas sharing Redis');

const LIMIT = 200;
const REQUESTS_PER_REPLICA = 300;
const CONCURRENCY_PER_REPLICA = 8;

/** Closed-loop load on one replica: `concurrency` clients, `total` requests; counts statuses. */
async function load(url: string, token: string, total: number, concurrency: number) {
  const { origin, pathname } = new URL(url);
  const pool = new Pool(origin, { connections: concurrency });
  const statuses = new Map<number, number>();
  let next = 0;
  const client = async () => {
    while (next < total) {
      next += 1;
      const response = await pool.request({
        path: pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      await response.body.text();
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  await pool.close();
  return statuses;
}

/**
 * Two real gateway processes over one Redis admit, together, the configured number of requests
 * in a window, under concurrent load from both sides at once.
 */
describe.skipIf(skip)('two gateway replicas sharing one Redis', () => {
  let platform: TestPlatform;
  const replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
    const config = {
      redisUrl: REDIS_URL,
      rateLimits: {
        redisKeyPrefix: `portico-test-${randomUUID()}:`,
        // Atomic sharing is under test, not the store's time limit: on a loaded machine a Redis
        // answer slower than the default 100 ms would fail open and admit past the limit.
        storeTimeoutMs: 5_000,
        limits: [{ name: 'tenant-requests', per: 'tenant', limit: LIMIT, windowSec: 60 }],
      },
    };
    replicas.push(...(await Promise.all([spawnGateway(platform, config), spawnGateway(platform, config)])));
  }, 90_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await platform.close();
  });

  it(`admit ${LIMIT} of ${2 * REQUESTS_PER_REPLICA} concurrent requests together (within 1 %)`, async () => {
    const token = await platform.token({ tenant: `tenant-${randomUUID()}` });
    const [a, b] = await Promise.all(
      replicas.map((r) => load(r.url, token, REQUESTS_PER_REPLICA, CONCURRENCY_PER_REPLICA)),
    );
    const admitted = (a!.get(200) ?? 0) + (b!.get(200) ?? 0);
    const refused = (a!.get(429) ?? 0) + (b!.get(429) ?? 0);
    process.stdout.write(
      `two replicas: admitted ${admitted} of limit ${LIMIT} (replica A ${a!.get(200) ?? 0}, B ${b!.get(200) ?? 0}), refused ${refused}\n`,
    );
    expect(admitted + refused).toBe(2 * REQUESTS_PER_REPLICA);
    expect(Math.abs(admitted - LIMIT)).toBeLessThanOrEqual(LIMIT * 0.01);
    // Both replicas admitted some: the budget really is shared, not split.
    expect(a!.get(200)).toBeGreaterThan(0);
    expect(b!.get(200)).toBeGreaterThan(0);
  });
});
