import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_QUERY } from '../../../gateway/example-query.ts';
import type { GraphQLResult } from '../../helpers/http.ts';
import { startPlatform, type TestPlatform } from '../../helpers/platform.ts';
import { REDIS_URL, skipWithoutRedis } from '../../helpers/redis.ts';

const skip = await skipWithoutRedis('rate limits over Redis');

type Limit = Record<string, unknown>;

/** The parameters of the first item of a RateLimit / RateLimit-Policy field, by name. */
function item(header: string | string[] | undefined): { name: string; params: Record<string, string> } {
  const [first = ''] = String(header ?? '').split(', ');
  const [name = '', ...params] = first.split(';');
  return {
    name: JSON.parse(name),
    params: Object.fromEntries(params.map((p) => p.split('=') as [string, string])),
  };
}

function policyNames(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  return String(header)
    .split(', ')
    .map((entry) => JSON.parse(entry.split(';')[0]!));
}

describe.skipIf(skip)('rate limits and cost quotas (Redis)', () => {
  let platform: TestPlatform;
  let redis: Redis;
  const prefix = `portico-test-${randomUUID()}:`;
  // Limits are under test, not the store's time limit: on a loaded machine a Redis answer slower
  // than the default 100 ms would fail open and serve without limits.
  const storeTimeoutMs = 5_000;
  const shared = { redisUrl: REDIS_URL, rateLimits: { redisKeyPrefix: prefix, storeTimeoutMs } };

  /** A gateway over the shared platform with its own limits (each test names its own, so keys never collide). */
  const gateway = (limits: Limit[], extra: Record<string, unknown> = {}) =>
    platform.addGateway({
      ...shared,
      ...extra,
      rateLimits: { redisKeyPrefix: prefix, storeTimeoutMs, limits },
    });

  beforeAll(async () => {
    // billing counts its @rateLimit fields in the same Redis, under the same prefix, as the gateways read them.
    platform = await startPlatform({ subgraphOverrides: { billing: shared } });
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    redis.disconnect();
    await platform.close();
  });
  beforeEach(() => {
    platform.subgraphRequests.length = 0;
  });

  it('under a limit: RateLimit-Policy and RateLimit in the draft form; tenants are independent', async () => {
    const gw = await gateway([{ name: 'per-tenant', per: 'tenant', limit: 3, windowSec: 60 }]);
    const acme = await platform.token({ tenant: 'acme' });
    const globex = await platform.token({ sub: 'globex-user-1', tenant: 'globex' });
    const results: GraphQLResult[] = [];
    for (let i = 0; i < 4; i += 1)
      results.push(await gw.query({ query: '{ tenant { name } }' }, { token: acme }));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(results[0]!.headers['ratelimit-policy']).toBe('"per-tenant";q=3;w=60');
    expect(results.slice(0, 3).map((r) => item(r.headers.ratelimit).params.r)).toEqual(['2', '1', '0']);
    const t = Number(item(results[0]!.headers.ratelimit).params.t);
    expect(t).toBeGreaterThanOrEqual(59);
    expect(t).toBeLessThanOrEqual(60);

    const other = await gw.query({ query: '{ tenant { name } }' }, { token: globex });
    expect(other.status).toBe(200);
    expect(other.body.data.tenant.name).toBe('Globex');
    expect(item(other.headers.ratelimit)).toEqual({
      name: 'per-tenant',
      params: { r: '2', t: expect.any(String) },
    });
  });

  it('a token without a tenant is limited per user (callers: tenantless); tenant tokens are not counted there', async () => {
    const gw = await gateway([
      { name: 'tenantless-user', per: 'user', callers: 'tenantless', limit: 2, windowSec: 60 },
    ]);
    const operator = await platform.token({ sub: `ops-${randomUUID()}`, tenant: '', scopes: [] });
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await gw.query({ query: '{ health { status } }' }, { token: operator })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const tenantUser = await platform.token({ sub: `acme-${randomUUID()}` });
    for (let i = 0; i < 3; i += 1) {
      const served = await gw.query({ query: '{ health { status } }' }, { token: tenantUser });
      expect(served.status).toBe(200);
      expect(served.headers['ratelimit-policy']).toBeUndefined();
    }
  });

  it('no caller is without a limit by default: tenant, tenantless token, API client, anonymous', async () => {
    const { defaultLimits } = await import('../../../platform/config/rate-limits.ts');
    const gw = await gateway(defaultLimits as Limit[]);
    const callers = {
      tenant: { token: await platform.token({ sub: `acme-${randomUUID()}` }) },
      tenantless: { token: await platform.token({ sub: `ops-${randomUUID()}`, tenant: '' }) },
      client: {
        token: await platform.token({ sub: `svc-${randomUUID()}`, tenant: '', client: 'batch-job' }),
      },
      anonymous: {},
    };
    const policies: Record<string, string[]> = {};
    for (const [name, caller] of Object.entries(callers)) {
      const answer = await gw.query({ query: '{ health { status } }' }, caller);
      expect(answer.status, name).toBe(200);
      policies[name] = policyNames(answer.headers['ratelimit-policy']);
    }
    expect(policies).toEqual({
      tenant: ['tenant-requests', 'tenant-cost'],
      tenantless: ['user-requests', 'user-cost'],
      client: ['user-requests', 'user-cost', 'client-requests'],
      anonymous: ['anonymous-ip'],
    });
  });

  it('over a limit: 429, Retry-After equal to the reset, RATE_LIMITED with retryAfter, no subgraph reached', async () => {
    const gw = await gateway([{ name: 'per-user', per: 'user', limit: 1, windowSec: 30 }]);
    const token = await platform.token({ sub: `user-${randomUUID()}` });
    expect((await gw.query({ query: '{ tenant { name } }' }, { token })).status).toBe(200);
    platform.subgraphRequests.length = 0;
    const refused = await gw.query(
      { query: '{ tenant { name } }' },
      { token, headers: { 'x-request-id': 'over-1' } },
    );
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(29);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(item(refused.headers.ratelimit)).toEqual({
      name: 'per-user',
      params: { r: '0', t: String(retryAfter) },
    });
    expect(refused.body.errors).toEqual([
      {
        message: `rate limit "per-user" reached: 1 request per 30 s; retry in ${retryAfter} s`,
        extensions: { code: 'RATE_LIMITED', retryAfter, limit: 'per-user' },
      },
    ]);
    expect(refused.body.data).toBeUndefined();
    expect(platform.subgraphRequests).toEqual([]);
  });

  it('Retry-After is the window left in the store, rounded up, and the limit lifts when it passes', async () => {
    const gw = await gateway([{ name: 'short', per: 'tenant', limit: 2, windowSec: 2 }]);
    const token = await platform.token({ tenant: `t-${randomUUID()}` });
    await gw.query({ query: '{ __typename }' }, { token });
    await gw.query({ query: '{ __typename }' }, { token });
    const refused = await gw.query({ query: '{ __typename }' }, { token });
    const keys = await redis.keys(`${prefix}short:*`);
    expect(keys).toHaveLength(1);
    const pttl = await redis.pttl(keys[0]!);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(refused.status).toBe(429);
    // The store's TTL was read a moment after the answer; rounding up, they name the same second.
    expect(retryAfter).toBeGreaterThanOrEqual(Math.ceil(pttl / 1000));
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil(pttl / 1000) + 1);
    expect(refused.body.errors[0].extensions.retryAfter).toBe(retryAfter);
    await sleep(retryAfter * 1000 + 50);
    const again = await gw.query({ query: '{ __typename }' }, { token });
    expect(again.status).toBe(200);
    expect(item(again.headers.ratelimit).params.r).toBe('1');
  });

  it('several limits on one request: all count, the strictest is reported, and it is the one that refuses', async () => {
    const gw = await gateway([
      { name: 'loose-tenant', per: 'tenant', limit: 100, windowSec: 60 },
      { name: 'tight-user', per: 'user', limit: 2, windowSec: 60 },
      { name: 'anon-ip', per: 'ip', callers: 'anonymous', limit: 1, windowSec: 60 },
    ]);
    const tenant = `t-${randomUUID()}`;
    const token = await platform.token({ sub: `u-${randomUUID()}`, tenant });
    const first = await gw.query({ query: '{ __typename }' }, { token });
    expect(policyNames(first.headers['ratelimit-policy'])).toEqual(['tight-user', 'loose-tenant']);
    expect(first.headers['ratelimit-policy']).toBe('"tight-user";q=2;w=60, "loose-tenant";q=100;w=60');
    expect(item(first.headers.ratelimit)).toMatchObject({ name: 'tight-user', params: { r: '1' } });
    await gw.query({ query: '{ __typename }' }, { token });
    for (let i = 0; i < 3; i += 1) {
      const refused = await gw.query({ query: '{ __typename }' }, { token });
      expect(refused.status).toBe(429);
      expect(refused.body.errors[0].extensions.limit).toBe('tight-user');
    }
    // Refused requests gave their counts back: the tenant limit counted only the two admitted.
    const colleague = await platform.token({ sub: `u-${randomUUID()}`, tenant });
    const next = await gw.query({ query: '{ __typename }' }, { token: colleague });
    expect(next.status).toBe(200);
    expect(item(next.headers.ratelimit)).toMatchObject({ name: 'tight-user', params: { r: '1' } });
    const tenantCount = await redis.get(`${prefix}loose-tenant:tenant:${tenant}`);
    expect(Number(tenantCount)).toBe(3);
  });

  it('a cost limit admits a cheap query and refuses an expensive one; the estimate is exposed on request', async () => {
    const gw = await gateway([{ name: 'cost', per: 'tenant', measure: 'cost', limit: 60, windowSec: 60 }]);
    const token = await platform.token({ tenant: `t-${randomUUID()}` });
    // EXAMPLE_QUERY by hand: tenant 1 + plan 1 + usage @cost(weight: 5) = 7; models(first: 3): the
    // connection 1 + 3 nodes x (Model 1 + pricing 1 + usage @cost(weight: 2) + availability 1) = 16.
    const cheap = await gw.query({ query: EXAMPLE_QUERY }, { token, headers: { 'x-portico-cost': '1' } });
    expect(cheap.status).toBe(200);
    expect(cheap.body.extensions).toEqual({ cost: { estimated: 23 } });
    expect(cheap.headers['ratelimit-policy']).toBe('"cost";q=60;w=60;qu="cost"');
    expect(item(cheap.headers.ratelimit).params.r).toBe('37');

    // 1 + 19 nodes x (Model 1 + pricing 1) = 39, more than the 37 left.
    const expensive = '{ models(first: 19) { nodes { pricing { currency } } } }';
    const refused = await gw.query({ query: expensive }, { token, headers: { 'x-portico-cost': 'true' } });
    expect(refused.status).toBe(429);
    expect(refused.body.extensions).toEqual({ cost: { estimated: 39 } });
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 'cost' });

    const cheapAgain = await gw.query({ query: EXAMPLE_QUERY }, { token });
    expect(cheapAgain.status).toBe(200);
    expect(cheapAgain.body.extensions).toBeUndefined();
    expect(item(cheapAgain.headers.ratelimit).params.r).toBe('14');
  });

  it('an operation costing more than a whole window is refused as too complex, not told to retry', async () => {
    const gw = await gateway([
      { name: 'small-cost', per: 'tenant', measure: 'cost', limit: 500, windowSec: 60 },
    ]);
    const token = await platform.token({ tenant: `t-${randomUUID()}` });
    // tenant 1 + usage 5 + series: 720 points (its @listSize assumedSize) x 1 = 726.
    const result = await gw.query({ query: '{ tenant { usage { series { at } } } }' }, { token });
    expect(result.status).toBe(400);
    expect(result.headers['retry-after']).toBeUndefined();
    expect(result.body.errors[0]).toMatchObject({
      message: 'estimated cost 726 is more than the whole budget of rate limit "small-cost" (500 per 60 s)',
      extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'small-cost', max: 500, found: 726 },
    });
  });

  it('anonymous calls are limited per client IP; the IP is the forwarded one only from a trusted proxy', async () => {
    const limits = [{ name: 'anon-ip', per: 'ip', callers: 'anonymous', limit: 2, windowSec: 60 }];
    const direct = await gateway(limits);
    const behindProxy = await gateway(limits, { gateway: { trustProxy: ['127.0.0.1'] } });
    const health = { query: '{ health { status } }' };
    const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

    const statuses = async (gw: typeof direct, ips: string[]) => {
      const out: number[] = [];
      for (const ip of ips) out.push((await gw.query(health, from(ip))).status);
      return out;
    };
    // Directly reached, a forwarded address is the client's own claim and is ignored.
    expect(await statuses(direct, ['198.51.100.1', '198.51.100.2', '198.51.100.3'])).toEqual([200, 200, 429]);
    // Behind the trusted proxy, each forwarded client has its own budget.
    expect(await statuses(behindProxy, ['198.51.100.1', '198.51.100.1', '198.51.100.1'])).toEqual([
      200, 200, 429,
    ]);
    expect(await statuses(behindProxy, ['198.51.100.2'])).toEqual([200]);
    // A caller with a token is not an anonymous call.
    const token = await platform.token();
    expect((await direct.query(health, { token })).status).toBe(200);
  });

  it('scopes: named operations, subgraphs, API clients', async () => {
    const gw = await gateway([
      { name: 'exports', per: 'tenant', operations: ['ExportUsage'], limit: 1, windowSec: 60 },
      { name: 'metering', per: 'user', subgraphs: ['metering'], limit: 1, windowSec: 60 },
      { name: 'api-client', per: 'apiKey', limit: 1, windowSec: 60 },
    ]);
    const token = await platform.token({ sub: `u-${randomUUID()}`, tenant: `t-${randomUUID()}` });
    const names = async (query: unknown, t = token) =>
      policyNames((await gw.query(query, { token: t })).headers['ratelimit-policy']);
    expect(await names({ query: '{ tenant { name } }' })).toEqual([]);
    expect(await names({ query: 'query ExportUsage { tenant { name } }' })).toEqual(['exports']);
    expect(await names({ query: '{ tenant { usage { cost } } }' })).toEqual(['metering']);
    // Only the metering subgraph resolves Model.usage; models and health share Model.id.
    expect(
      (await gw.query({ query: '{ models(first: 1) { nodes { usage { cost } } } }' }, { token })).status,
    ).toBe(429);
    expect((await gw.query({ query: '{ models(first: 1) { nodes { id name } } }' }, { token })).status).toBe(
      200,
    );

    const bot = await platform.token({ sub: `u-${randomUUID()}`, client: `ci-${randomUUID()}` });
    expect(await names({ query: '{ __typename }' }, bot)).toEqual(['api-client']);
    expect((await gw.query({ query: '{ __typename }' }, { token: bot })).status).toBe(429);
  });

  it('@rateLimit fields: the subgraph counts each call; once spent, the gateway refuses before planning', async () => {
    const gw = await platform.addGateway(shared);
    const token = await platform.token({ sub: `writer-${randomUUID()}`, scopes: ['billing:write'] });
    const mutation = { query: 'mutation { setSpendAlert(threshold: 5) { spendAlert } }' };
    for (let i = 0; i < 10; i += 1) {
      const done = await gw.query(mutation, { token });
      expect(done.body).toEqual({ data: { setSpendAlert: { spendAlert: 5 } } });
    }
    platform.subgraphRequests.length = 0;
    const refused = await gw.query(mutation, { token });
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0]).toMatchObject({
      extensions: { code: 'RATE_LIMITED', limit: 'Mutation.setSpendAlert', retryAfter: expect.any(Number) },
    });
    expect(item(refused.headers.ratelimit)).toMatchObject({
      name: 'Mutation.setSpendAlert',
      params: { r: '0' },
    });
    expect(refused.headers['ratelimit-policy']).toBe('"Mutation.setSpendAlert";q=10;w=60');
    expect(platform.subgraphRequests.filter((r) => r.subgraph === 'billing')).toEqual([]);
    // Another user has a budget of their own.
    const other = await platform.token({ sub: `writer-${randomUUID()}`, scopes: ['billing:write'] });
    expect((await gw.query(mutation, { token: other })).status).toBe(200);
  });
});
