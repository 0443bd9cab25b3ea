import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestGateway, type TestPlatform } from '../../helpers/platform.ts';

const TENANT_QUERY = {
  query: 'query TenantUsage { tenant { id name spendAlert } usage(window: LAST_24H) { requests } }',
};
const CATALOGUE = { query: 'query Catalogue { models(first: 3) { nodes { id name } } }' };
const ADMIN = { query: 'query Admin { viewer { id } tenants(first: 2) { totalCount } }' };

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One POST as sent on the wire, the answer's bytes as received. */
async function post(gateway: TestGateway, payload: unknown, token?: string): Promise<Raw> {
  const response = await request(gateway.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(payload),
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

/** A counter's total over the label sets that contain `filter`, from the gateway's /metrics. */
async function counter(gateway: TestGateway, name: string, filter = ''): Promise<number> {
  const text = await (await request(`${gateway.adminUrl}/metrics`)).body.text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(filter))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
const fastHits = (gateway: TestGateway) => counter(gateway, 'portico_cache_fast_hits_total');

/** Fill, then one hit on the full path (which proves the request for the fast path). */
async function prove(gateway: TestGateway, payload: unknown, token?: string): Promise<Raw> {
  await post(gateway, payload, token);
  const hit = await post(gateway, payload, token);
  expect(hit.headers.age).toBeDefined();
  return hit;
}

/** Headers whose values differ from one answer to the next. */
const VARYING = new Set(['date', 'age', 'x-request-id', 'ratelimit', 'keep-alive', 'connection']);
const stable = (headers: Raw['headers']) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !VARYING.has(name)));

/**
 * The response cache's fast path (hits answered before the GraphQL pipeline) over real HTTP: it
 * serves the very bytes and headers of the full path, and still checks the token, counts the rate
 * limits, keeps tenants apart and never serves a field a caller is denied.
 */
describe('response cache fast path', () => {
  let platform: TestPlatform;
  let gateway: TestGateway;
  beforeAll(async () => {
    platform = await startPlatform();
    gateway = await platform.addGateway({
      cache: { enabled: true, redisKeyPrefix: `portico-test-${randomUUID()}:` },
    });
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('serves a proven hit with the same bytes and headers as the full path', async () => {
    const token = await platform.token({ sub: `acme-${randomUUID()}` });
    const full = await prove(gateway, CATALOGUE, token);
    const before = await fastHits(gateway);
    const operations = () => counter(gateway, 'graphql_operations_total', 'operation="Catalogue"');
    const used = () => counter(gateway, 'graphql_operation_duration_seconds_count', 'operation="Catalogue"');
    const [counted, timed] = [await operations(), await used()];
    const fast = await post(gateway, CATALOGUE, token);
    expect(await fastHits(gateway)).toBe(before + 1);
    // Counted and timed like an answer of the pipeline.
    expect(await operations()).toBe(counted + 1);
    expect(await used()).toBe(timed + 1);
    expect(fast.status).toBe(200);
    expect(fast.text).toBe(full.text);
    expect(stable(fast.headers)).toEqual(stable(full.headers));
    expect(Number(fast.headers.age)).toBeGreaterThanOrEqual(0);
    expect(fast.headers['x-request-id']).toBeDefined();
  });

  it('still refuses a bad token', async () => {
    const token = await platform.token({ sub: `acme-${randomUUID()}` });
    await prove(gateway, CATALOGUE, token);
    const before = await fastHits(gateway);
    const forged = await post(gateway, CATALOGUE, `${token.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const expired = await post(gateway, CATALOGUE, await platform.token({ ttl: '-1m' }));
    expect(expired.status).toBe(401);
    expect(await fastHits(gateway)).toBe(before);
  });

  it('never serves one tenant or user the private answer of another', async () => {
    const acme = await platform.token({ tenant: 'acme', sub: `acme-${randomUUID()}` });
    const proven = await prove(gateway, TENANT_QUERY, acme);
    expect(JSON.parse(proven.text).data.tenant.id).toBe('acme');
    const globex = await platform.token({ tenant: 'globex', sub: `globex-${randomUUID()}` });
    const other = await post(gateway, TENANT_QUERY, globex);
    expect(JSON.parse(other.text).data.tenant.id).toBe('globex');
    expect(other.headers.age).toBeUndefined();
    expect((await post(gateway, TENANT_QUERY)).text).not.toContain('"acme"');
    expect(JSON.parse((await post(gateway, TENANT_QUERY, acme)).text).data.tenant.id).toBe('acme');
  });

  it('never serves a field to a caller denied it, though the same user with more scopes has it fast', async () => {
    const sub = `acme-${randomUUID()}`;
    const admin = await platform.token({ tenant: 'acme', sub, scopes: ['admin'] });
    const plain = await platform.token({ tenant: 'acme', sub, scopes: [] });
    await prove(gateway, ADMIN, admin);
    const before = await fastHits(gateway);
    expect(JSON.parse((await post(gateway, ADMIN, admin)).text).data.tenants.totalCount).toBeGreaterThan(0);
    expect(await fastHits(gateway)).toBe(before + 1);
    for (let i = 0; i < 3; i += 1) {
      const denied = JSON.parse((await post(gateway, ADMIN, plain)).text);
      expect(denied.data.tenants).toBeNull();
      expect(denied.errors[0].extensions.code).toBe('FORBIDDEN');
    }
    expect(await fastHits(gateway)).toBe(before + 1);
  });

  it('serves nothing stale after a mutation purged the entry', async () => {
    const token = await platform.token({
      tenant: 'initech',
      sub: `initech-${randomUUID()}`,
      scopes: ['billing:read', 'billing:write'],
    });
    await prove(gateway, TENANT_QUERY, token);
    const threshold = 1000 + Math.floor(Math.random() * 1000);
    await post(
      gateway,
      {
        query: 'mutation Alert($t: Float) { setSpendAlert(threshold: $t) { id spendAlert } }',
        variables: { t: threshold },
      },
      token,
    );
    const after = await post(gateway, TENANT_QUERY, token);
    expect(JSON.parse(after.text).data.tenant.spendAlert).toBe(threshold);
    expect(after.headers.age).toBeUndefined();
  });

  it('counts every fast hit against the rate limits and refuses over them like the full path', async () => {
    const limited = await platform.addGateway({
      cache: { enabled: true },
      rateLimits: { limits: [{ name: 'per-user', per: 'user', limit: 4, windowSec: 60 }] },
    });
    const token = await platform.token({ sub: `acme-${randomUUID()}` });
    await prove(limited, CATALOGUE, token);
    const before = await fastHits(limited);
    const third = await post(limited, CATALOGUE, token);
    const fourth = await post(limited, CATALOGUE, token);
    expect(await fastHits(limited)).toBe(before + 2);
    expect([third.status, fourth.status]).toEqual([200, 200]);
    expect(third.headers['ratelimit-policy']).toBe('"per-user";q=4;w=60');
    expect(third.headers.ratelimit).toMatch(/^"per-user";r=1;t=\d+$/);
    expect(fourth.headers.ratelimit).toMatch(/^"per-user";r=0;t=\d+$/);
    const refused = await post(limited, CATALOGUE, token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(await fastHits(limited)).toBe(before + 2);
    // Another user has a budget of their own, on the same proven answer.
    const other = await post(limited, CATALOGUE, await platform.token({ sub: `acme-${randomUUID()}` }));
    expect(other.status).toBe(200);
  });
});
