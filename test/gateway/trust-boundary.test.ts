import { decodeJwt, decodeProtectedHeader } from 'jose';
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

const IDENTITY_HEADERS = ['x-user-id', 'x-tenant-id', 'x-user-scopes'];

/** The claims of the gateway's assertion a subgraph received (its signature is the subgraph's to check). */
function assertionClaims(headers: Record<string, unknown>) {
  const match = /^Bearer (\S+)$/.exec(String(headers.authorization));
  expect(match, 'a bearer assertion').not.toBeNull();
  expect(decodeProtectedHeader(match![1]!)).toMatchObject({ alg: 'EdDSA', typ: 'portico-assertion+jwt' });
  return decodeJwt(match![1]!);
}

/**
 * The gateway is a trust boundary: whatever identity headers a client sends, the subgraphs learn
 * only what the verified token says, and only from the gateway's signed assertion (asserted on
 * the requests the subgraphs receive).
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
    const sentAt = Date.now() / 1000;
    for (const { subgraph, headers } of platform.subgraphRequests) {
      const claims = assertionClaims(headers);
      expect(claims, subgraph).toMatchObject({
        iss: 'portico-gateway',
        aud: subgraph,
        sub: 'acme-user-1',
        tenant: 'acme',
        scope: 'billing:read',
      });
      // Short-lived: it expires by the request's deadline (gateway.maxRequestMs, 10 s, here).
      expect(claims.exp! - sentAt, subgraph).toBeLessThanOrEqual(11);
      for (const name of IDENTITY_HEADERS) expect(headers[name], `${subgraph} ${name}`).toBeUndefined();
      expect(headers['x-portico-role'], subgraph).toBeUndefined();
      expect(headers['x-portico-tenant'], subgraph).toBeUndefined();
      expect(headers.cookie, subgraph).toBeUndefined();
      expect(headers['accept-language'], subgraph).toBe('de-CH');
    }
  });

  it('sends no identity at all for an anonymous caller, whatever it claims', async () => {
    const { status } = await platform.query({ query: '{ health { status } }' }, { headers: SPOOFED });
    expect(status).toBe(200);
    expect(platform.subgraphRequests).toHaveLength(1);
    const headers: Record<string, unknown> = platform.subgraphRequests[0]!.headers;
    for (const name of [...IDENTITY_HEADERS, 'x-portico-role', 'cookie']) {
      expect(headers[name], name).toBeUndefined();
    }
    const claims = assertionClaims(headers);
    expect(claims.aud).toBe('health');
    expect(claims.sub).toBeUndefined();
    expect(claims.tenant).toBeUndefined();
    expect(claims.scope).toBeUndefined();
  });

  it('sends no tenant when the token has none, even if the client names one', async () => {
    const token = await platform.token({ sub: 'ops-1', tenant: '', scopes: [] });
    const { body } = await platform.query({ query: '{ viewer { id } }' }, { token, headers: SPOOFED });
    expect(body.data.viewer).toBeNull();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(platform.subgraphRequests.length).toBeGreaterThan(0);
    for (const { headers } of platform.subgraphRequests) {
      const claims = assertionClaims(headers);
      expect(claims.sub).toBe('ops-1');
      expect(claims.tenant).toBeUndefined();
      expect(claims.scope).toBeUndefined();
      for (const name of IDENTITY_HEADERS) expect(headers[name], name).toBeUndefined();
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
