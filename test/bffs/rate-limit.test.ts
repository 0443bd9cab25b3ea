import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBff, type TestBff } from '../helpers/bff.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';
import { REDIS_URL, skipWithoutRedis } from '../helpers/redis.ts';

const HOME = '{ home { status } }';
const noRedis = await skipWithoutRedis('BFF field limits through Redis');

describe('@rateLimit on BFF fields', () => {
  let platform: TestPlatform;
  const bffs: TestBff[] = [];
  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(async () => {
    for (const bff of bffs) await bff.close();
    await platform.close();
  });

  it('answers 429 with Retry-After when a limited root field leaves no data, per caller', async () => {
    const bff = await startBff('mobile', platform);
    bffs.push(bff);
    const token = await platform.token({ sub: 'acme-user-2' });
    for (let i = 0; i < 120; i += 1) {
      const { status } = await bff.query({ query: HOME }, { token });
      expect(status, `request ${i + 1}`).toBe(200);
    }
    const refused = await bff.query({ query: HOME }, { token });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.body.errors[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfter: expect.any(Number),
    });
    const other = await bff.query(
      { query: HOME },
      { token: await platform.token({ sub: 'globex-user-1', tenant: 'globex' }) },
    );
    expect(other.status).toBe(200);
  });

  it('nulls only a limited nullable field and serves the rest', async () => {
    const bff = await startBff('cli', platform);
    bffs.push(bff);
    const token = await platform.token({ sub: 'acme-user-3' });
    const query = '{ usage(window: D1) { requests } status { platform { overall } } }';
    for (let i = 0; i < 30; i += 1)
      expect((await bff.query({ query }, { token })).body.data.usage).not.toBeNull();
    const { status, body } = await bff.query({ query }, { token });
    expect(status).toBe(200);
    expect(body.data.usage).toBeNull();
    expect(body.data.status.platform.overall).toBeDefined();
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ['usage'],
        extensions: expect.objectContaining({ code: 'RATE_LIMITED' }),
      }),
    ]);
  });

  it('one caller has one budget, however its Authorization header is spelt', async () => {
    const bff = await startBff('cli', platform);
    bffs.push(bff);
    const token = await platform.token({ sub: 'acme-user-4' });
    // Every spelling the gateway accepts; before, each one was a caller of its own.
    const spellings = [
      `Bearer ${token}`,
      `bearer ${token}`,
      `BEARER ${token}`,
      `Bearer  ${token}`,
      `Bearer\t${token}`,
    ];
    const query = '{ usage(window: D1) { requests } }';
    let served = 0;
    for (let i = 0; i < 40; i += 1) {
      const { body } = await bff.query(
        { query },
        { headers: { authorization: spellings[i % spellings.length]! } },
      );
      if (body.data?.usage) served += 1;
      else expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
    }
    expect(served).toBe(30);
  });

  it.skipIf(noRedis)(
    'shares one budget between BFF replicas through Redis, as the gateway does',
    async () => {
      // The store's time limit is not under test: a slow answer on a loaded machine must not fail open.
      const shared = {
        redisUrl: REDIS_URL,
        rateLimits: { redisKeyPrefix: `portico-test:${randomUUID()}:`, storeTimeoutMs: 5_000 },
      };
      const [a, b] = await Promise.all([
        startBff('mobile', platform, {}, shared),
        startBff('mobile', platform, {}, shared),
      ]);
      bffs.push(a!, b!);
      const token = await platform.token({ sub: 'acme-user-9' });
      let admitted = 0;
      for (let i = 0; i < 130; i += 1) {
        const { status } = await (i % 2 === 0 ? a! : b!).query({ query: HOME }, { token });
        if (status === 200) admitted += 1;
        else expect(status).toBe(429);
      }
      expect(admitted).toBe(120);
    },
  );
});
