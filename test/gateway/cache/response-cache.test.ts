import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResult } from '../../helpers/http.ts';
import { startPlatform, type TestGateway, type TestPlatform } from '../../helpers/platform.ts';
import { cachingPlatform, stores, withRedis } from './fixture.ts';

const data = (r: GraphQLResult) => r.body?.data;
const errors = (r: GraphQLResult) => (r.body as { errors?: { extensions?: { code?: string } }[] }).errors;

const TENANT_QUERY = {
  query: 'query TenantUsage { tenant { id name spendAlert } usage(window: LAST_24H) { requests } }',
};
const CATALOGUE = {
  query: 'query Catalogue { models(first: 5) { nodes { id name pricing { currency } } } }',
};

/**
 * The response cache over real HTTP, in memory and (when Redis runs) in Redis: private answers
 * never cross tenants or users, cold or warm; a forged identity header selects nothing; mutations
 * purge; denied fields and failures are never served from what another caller cached.
 */
describe.each(stores)('response cache ($store)', ({ redis }) => {
  const fixture = cachingPlatform(redis);
  const calls = fixture.calls;

  it.skipIf(redis && !withRedis)(
    'serves a public query from the cache with Cache-Control and Age',
    async () => {
      const token = await fixture.platform.token();
      const before = calls('models');
      const cold = await fixture.gateway.query(CATALOGUE, { token });
      expect(cold.status).toBe(200);
      expect(cold.headers['cache-control']).toBe('max-age=300, public');
      expect(cold.headers.age).toBeUndefined();
      const warm = await fixture.gateway.query(CATALOGUE, { token });
      expect(warm.body).toEqual(cold.body);
      expect(warm.headers['cache-control']).toBe('max-age=300, public');
      expect(Number(warm.headers.age)).toBeGreaterThanOrEqual(0);
      expect(calls('models')).toBe(before + 1);
    },
  );

  it.skipIf(redis && !withRedis)('gives two tenants their own private answer, cold and warm', async () => {
    const acme = await fixture.platform.token({ tenant: 'acme', sub: 'acme-user-1' });
    const globex = await fixture.platform.token({ tenant: 'globex', sub: 'globex-user-1' });
    const before = calls('billing');
    for (let round = 0; round < 2; round += 1) {
      const a = await fixture.gateway.query(TENANT_QUERY, { token: acme });
      const g = await fixture.gateway.query(TENANT_QUERY, { token: globex });
      expect(data(a)?.tenant.id).toBe('acme');
      expect(data(g)?.tenant.id).toBe('globex');
      expect(a.headers['cache-control']).toBe('max-age=30, private');
      expect(g.headers['cache-control']).toBe('max-age=30, private');
      if (round === 1) expect(a.headers.age).toBeDefined();
    }
    // Two fills (one per tenant), then two hits.
    expect(calls('billing')).toBe(before + 2);
  });

  it.skipIf(redis && !withRedis)('keys private answers by the verified token, never a header', async () => {
    const acme = await fixture.platform.token({ tenant: 'acme', sub: 'acme-user-2' });
    const initech = await fixture.platform.token({ tenant: 'initech', sub: 'initech-user-2' });
    expect(data(await fixture.gateway.query(TENANT_QUERY, { token: acme }))?.tenant.id).toBe('acme');
    const forged = await fixture.gateway.query(TENANT_QUERY, {
      token: initech,
      headers: { 'x-tenant-id': 'acme', 'x-user-id': 'acme-user-2', 'x-portico-tenant': 'acme' },
    });
    expect(data(forged)?.tenant.id).toBe('initech');
    const anonymous = await fixture.gateway.query(TENANT_QUERY, { headers: { 'x-tenant-id': 'acme' } });
    expect(JSON.stringify(anonymous.body)).not.toContain('"acme"');
  });

  it.skipIf(redis && !withRedis)('purges what a mutation changed', async () => {
    const token = await fixture.platform.token({
      tenant: 'globex',
      sub: 'globex-user-3',
      scopes: ['billing:write'],
    });
    const read = () => fixture.gateway.query(TENANT_QUERY, { token });
    const first = await read();
    expect(data(first)?.tenant.id).toBe('globex');
    expect(data(await read())).toEqual(data(first));
    const threshold = 1000 + Math.floor(Math.random() * 1000);
    const mutation = await fixture.gateway.query(
      {
        query: 'mutation Alert($t: Float) { setSpendAlert(threshold: $t) { id spendAlert } }',
        variables: { t: threshold },
      },
      { token },
    );
    expect(errors(mutation)).toBeUndefined();
    expect(mutation.headers['cache-control']).toBe('no-store');
    const after = await read();
    expect(data(after)?.tenant.spendAlert).toBe(threshold);
    expect(after.headers.age).toBeUndefined();
  });

  it.skipIf(redis && !withRedis)(
    'never serves a field to a caller denied it from a cached answer',
    async () => {
      const query = { query: 'query Admin { viewer { id } tenants(first: 2) { totalCount } }' };
      const admin = await fixture.platform.token({ tenant: 'acme', sub: 'acme-user-3', scopes: ['admin'] });
      const plain = await fixture.platform.token({ tenant: 'acme', sub: 'acme-user-3', scopes: [] });
      const allowed = await fixture.gateway.query(query, { token: admin });
      expect(data(allowed)?.tenants.totalCount).toBeGreaterThan(0);
      expect((await fixture.gateway.query(query, { token: admin })).headers.age).toBeDefined();
      const denied = await fixture.gateway.query(query, { token: plain });
      expect(data(denied)?.tenants).toBeNull();
      expect(errors(denied)?.[0]?.extensions?.code).toBe('FORBIDDEN');
      // The denial itself is not cached over the allowed answer either.
      expect(data(await fixture.gateway.query(query, { token: admin }))?.tenants.totalCount).toBeGreaterThan(
        0,
      );
    },
  );

  it.skipIf(redis && !withRedis)(
    'does not cache mutations, uncacheable fields or anonymous private data',
    async () => {
      const token = await fixture.platform.token({
        tenant: 'acme',
        sub: 'acme-user-1',
        scopes: ['billing:read'],
      });
      const invoices = { query: '{ tenant { id invoices(first: 1) { totalCount } } }' };
      const before = calls('billing');
      const one = await fixture.gateway.query(invoices, { token });
      await fixture.gateway.query(invoices, { token });
      expect(one.headers['cache-control']).toBe('no-store');
      expect(calls('billing')).toBe(before + 2);
    },
  );
});

/** A subgraph down: the answer is partial (data and errors) and must not be kept. */
describe('response cache and partial failure', () => {
  let platform: TestPlatform;
  let gateway: TestGateway;
  beforeAll(async () => {
    platform = await startPlatform({ without: ['health'] });
    gateway = await platform.addGateway({ cache: { enabled: true } });
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('never caches an answer with errors', async () => {
    const query = { query: '{ models(first: 2) { nodes { id name availability { status } } } }' };
    const count = () => platform.subgraphRequests.filter((r) => r.subgraph === 'models').length;
    const token = await platform.token();
    const before = count();
    const first = await gateway.query(query, { token });
    expect(errors(first)?.length).toBeGreaterThan(0);
    expect(first.headers['cache-control']).toBe('no-store');
    const second = await gateway.query(query, { token });
    expect(second.headers.age).toBeUndefined();
    expect(count()).toBe(before + 2);
  });
});
