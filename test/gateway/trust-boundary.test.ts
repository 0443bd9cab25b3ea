import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

const SPOOFED = {
  'x-user-id': 'intruder',
  'x-tenant-id': 'globex',
  'x-user-scopes': 'admin billing:write',
  'x-portico-role': 'operator',
  'X-Portico-Tenant': 'globex',
  cookie: 'session=stolen',
};

/**
 * The gateway is a trust boundary: whatever identity headers a client sends, the subgraphs see
 * only what the verified token says (asserted on the requests the subgraphs receive).
 */
describe('the trust boundary', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    // A careless header rule must not open the boundary: identity headers and the stripped prefix
    // are never passed on, whatever propagateHeaders lists.
    platform = await startPlatform({
      gateway: {
        gateway: {
          propagateHeaders: ['accept-language', 'x-user-id', 'x-tenant-id', 'x-portico-role', 'cookie'],
        },
      },
    });
  });
  afterAll(() => platform.close());
  beforeEach(() => {
    platform.subgraphRequests.length = 0;
  });

  it('replaces spoofed identity headers with the verified claims on every subgraph call', async () => {
    const token = await platform.token({ sub: 'acme-user-1', tenant: 'acme', scopes: ['billing:read'] });
    const { status, body } = await platform.query(
      {
        query:
          '{ tenant { name usage { requests } } models(first: 2) { nodes { usage { requests } availability { status } } } }',
      },
      { token, headers: { ...SPOOFED, 'accept-language': 'de-CH' } },
    );
    expect(status).toBe(200);
    expect(body.data.tenant.name).toBe('Acme Corp');
    const seen = new Set(platform.subgraphRequests.map((r) => r.subgraph));
    expect(seen).toEqual(new Set(['billing', 'metering', 'models', 'health']));
    for (const { subgraph, headers } of platform.subgraphRequests) {
      expect(headers['x-user-id'], subgraph).toBe('acme-user-1');
      expect(headers['x-tenant-id'], subgraph).toBe('acme');
      expect(headers['x-user-scopes'], subgraph).toBe('billing:read');
      expect(headers['x-portico-role'], subgraph).toBeUndefined();
      expect(headers['x-portico-tenant'], subgraph).toBeUndefined();
      expect(headers.cookie, subgraph).toBeUndefined();
      expect(headers.authorization, subgraph).toBeUndefined();
      expect(headers['accept-language'], subgraph).toBe('de-CH');
    }
  });

  it('sends no identity at all for an anonymous caller, whatever it claims', async () => {
    const { status } = await platform.query({ query: '{ health { status } }' }, { headers: SPOOFED });
    expect(status).toBe(200);
    expect(platform.subgraphRequests).toHaveLength(1);
    const headers: Record<string, unknown> = platform.subgraphRequests[0]!.headers;
    for (const name of ['x-user-id', 'x-tenant-id', 'x-user-scopes', 'x-portico-role', 'cookie']) {
      expect(headers[name], name).toBeUndefined();
    }
  });

  it('sends no tenant when the token has none, even if the client names one', async () => {
    const token = await platform.token({ sub: 'ops-1', tenant: '', scopes: [] });
    const { body } = await platform.query({ query: '{ viewer { id } }' }, { token, headers: SPOOFED });
    expect(body.data.viewer).toBeNull();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(platform.subgraphRequests.length).toBeGreaterThan(0);
    for (const { headers } of platform.subgraphRequests) {
      expect(headers['x-user-id']).toBe('ops-1');
      expect(headers['x-tenant-id']).toBeUndefined();
      expect(headers['x-user-scopes']).toBe('');
    }
  });

  it('strips headers with a configured prefix, whatever the case it is configured in', async () => {
    const gateway = await platform.addGateway({
      auth: { strippedHeaderPrefix: 'X-Internal-' },
      gateway: { propagateHeaders: ['x-internal-flag', 'accept-language'] },
    });
    const token = await platform.token();
    await gateway.query(
      { query: '{ tenant { name } }' },
      { token, headers: { 'X-Internal-Flag': 'on', 'accept-language': 'fr' } },
    );
    expect(platform.subgraphRequests.length).toBeGreaterThan(0);
    for (const { headers } of platform.subgraphRequests) {
      expect(headers['x-internal-flag']).toBeUndefined();
      expect(headers['accept-language']).toBe('fr');
    }
  });
});
