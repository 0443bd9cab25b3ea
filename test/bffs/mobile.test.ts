import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBff, type TestBff } from '../helpers/bff.ts';
import { postGraphQL } from '../helpers/http.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';
import { defineBffSuite } from './suite.ts';

const home = '{ home { greeting quotaPercent topModels { id name requests7d available } status } }';

defineBffSuite({
  name: 'mobile',
  mainQuery: home,
  // Account, ranked models, status.
  gatewayCalls: 3,
  billingDown: {
    nullPaths: [
      ['home', 'greeting'],
      ['home', 'quotaPercent'],
    ],
    servedPaths: [
      ['home', 'topModels'],
      ['home', 'status'],
    ],
  },
  healthLate: {
    nullPaths: [
      ['home', 'status'],
      ['home', 'topModels', 0, 'available'],
    ],
    servedPaths: [
      ['home', 'greeting'],
      ['home', 'quotaPercent'],
      ['home', 'topModels', 0, 'requests7d'],
    ],
  },
  // Account is billing then metering (1 s); models (metering, health) and status run beside it.
  latency: {
    delays: { billing: 1_000, metering: 1_000, health: 1_000 },
    slowestChainMs: 2_000,
    sumMs: 4_000,
  },
  stalePath: ['home', 'status'],
});

describe('mobile home screen', () => {
  let platform: TestPlatform;
  let bff: TestBff;
  beforeAll(async () => {
    platform = await startPlatform();
    bff = await startBff('mobile', platform);
  });
  afterAll(async () => {
    await bff.close();
    await platform.close();
  });

  it('answers an unchanged screen with 304 to a client that holds its ETag', async () => {
    const token = await platform.token();
    const first = await bff.query({ query: home }, { token });
    expect(first.status).toBe(200);
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const again = await postGraphQL(bff.url, { query: home }, { token, headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const other = await postGraphQL(
      bff.url,
      { query: home },
      {
        token: await platform.token({ sub: 'globex-user-2', tenant: 'globex' }),
        headers: { 'if-none-match': etag },
      },
    );
    expect(other.status).toBe(200);
  });

  it('is compact: greeting, quota, three models and one status', async () => {
    const { body, headers } = await bff.query({ query: home }, { token: await platform.token() });
    expect(body.data.home.greeting).toBe('Hi Grace');
    expect(body.data.home.quotaPercent).toBeGreaterThan(0);
    expect(body.data.home.topModels).toHaveLength(3);
    const requests = body.data.home.topModels.map((m: { requests7d: number }) => m.requests7d);
    expect(requests).toEqual([...requests].sort((a, b) => b - a));
    expect(Number(headers['content-length'])).toBeLessThan(600);
  });
});
