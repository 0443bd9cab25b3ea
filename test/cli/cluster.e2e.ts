import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnGateway } from '../helpers/gateway-process.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';
import { REDIS_URL, skipWithoutRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';

const LIMIT = 12;
const skipRedis = await skipWithoutRedis('gateway cluster mode over Redis');

/** One request on a connection of its own, so the cluster hands each to the next worker. */
async function status(url: string, token: string): Promise<number> {
  const response = await request(url, {
    method: 'POST',
    reset: true,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  await response.body.text();
  return response.statusCode;
}

function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * `PORTICO_WORKERS=2 portico serve gateway`: a primary forks two workers on one port. Both serve,
 * they share the limiter (through Redis, or without it through the primary), a killed worker is
 * replaced, and SIGTERM drains them all and exits 0.
 */
describe('gateway cluster mode', { timeout: 60_000 }, () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(() => platform.close());

  const config = (redis: boolean) => ({
    ...(redis ? { redisUrl: REDIS_URL } : {}),
    rateLimits: {
      redisKeyPrefix: `portico-test-${randomUUID()}:`,
      // Redis or the primary's IPC answering slower than the default 100 ms on a loaded machine
      // would fail open and admit past the limit; sharing is under test, not that time limit.
      storeTimeoutMs: 5_000,
      limits: [{ name: 'tenant-requests', per: 'tenant', limit: LIMIT, windowSec: 60 }],
    },
  });

  const shareOneLimit = async (url: string, output: () => string) => {
    // Ready means one worker listens; both must before the load is spread.
    await waitFor(() => logLines(output()).filter((l) => l.msg === 'gateway listening').length >= 2, {
      timeoutMs: 30_000,
      intervalMs: 100,
    });
    const token = await platform.token({ tenant: `tenant-${randomUUID()}` });
    const statuses: number[] = [];
    for (let i = 0; i < 2 * LIMIT; i += 1) statuses.push(await status(url, token));
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(LIMIT);
    const served = logLines(output()).filter((l) => l.msg === 'request completed');
    expect(new Set(served.map((l) => l.worker)).size).toBe(2);
    return token;
  };

  it.skipIf(skipRedis)('two workers serve and share one limit through Redis; SIGTERM exits 0', async () => {
    const gateway = await spawnGateway(platform, config(true), { PORTICO_WORKERS: '2' });
    try {
      await shareOneLimit(gateway.url, gateway.proc.output);
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
    expect(gateway.proc.output()).toMatch(/all workers stopped/);
  });

  it('without Redis the primary holds the counts; a worker that dies is replaced; SIGTERM exits 0', async () => {
    const gateway = await spawnGateway(platform, config(false), { PORTICO_WORKERS: '2' });
    try {
      const token = await shareOneLimit(gateway.url, gateway.proc.output);
      const listening = () => logLines(gateway.proc.output()).filter((l) => l.msg === 'gateway listening');
      process.kill(Number(listening()[0]!.pid), 'SIGKILL');
      await waitFor(() => listening().length >= 3, { timeoutMs: 30_000, intervalMs: 100 });
      expect(listening()).toHaveLength(3);
      expect(gateway.proc.output()).toMatch(/worker exited; starting a new one/);
      // The new worker serves, under the budget the primary still holds (spent above).
      const statuses = new Set<number>();
      for (let i = 0; i < 4; i += 1) statuses.add(await status(gateway.url, token));
      expect(statuses).toEqual(new Set([429]));
      expect(await status(gateway.url, await platform.token({ tenant: `other-${randomUUID()}` }))).toBe(200);
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
    expect(gateway.proc.output()).toMatch(/all workers stopped/);
  });
});
