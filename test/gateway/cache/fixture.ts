import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { startPlatform, type TestGateway, type TestPlatform } from '../../helpers/platform.ts';
import { REDIS_URL, redisAvailable } from '../../helpers/redis.ts';

export const withRedis = await redisAvailable();
if (!withRedis && process.env.CI === 'true') throw new Error(`Redis not reachable at ${REDIS_URL} (CI=true)`);

/** Each cache suite runs once in memory and once in Redis (skipped, loudly in CI, without it). */
export const stores = [
  { store: 'memory', redis: false },
  { store: 'redis', redis: true },
];

/**
 * A platform with a caching gateway (in Redis under a prefix of its own, or in memory), started
 * before the suite's tests and closed after; `calls` counts what a subgraph received.
 */
export function cachingPlatform(redis: boolean) {
  const fixture = {
    platform: undefined as unknown as TestPlatform,
    gateway: undefined as unknown as TestGateway,
    calls: (subgraph: string) =>
      fixture.platform.subgraphRequests.filter((r) => r.subgraph === subgraph).length,
  };
  beforeAll(async () => {
    if (redis && !withRedis) return;
    fixture.platform = await startPlatform();
    fixture.gateway = await fixture.platform.addGateway({
      ...(redis ? { redisUrl: REDIS_URL } : {}),
      cache: { enabled: true, redisKeyPrefix: `portico-test-${randomUUID()}:` },
    });
  });
  afterAll(async () => {
    await fixture.platform?.close();
  });
  return fixture;
}
