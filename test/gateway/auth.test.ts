import { createHmac } from 'node:crypto';
import { exportSPKI } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GraphQLResult } from '../helpers/http.ts';
import { type JwksServer, startJwksServer, type TestKey } from '../helpers/jwks-server.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

const PRIVATE = { query: '{ tenant { id name } }' };
const PUBLIC = { query: '{ health { status } }' };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

/**
 * The JWT attack matrix: every forged, broken or misdirected token is refused with 401,
 * `WWW-Authenticate: Bearer error="invalid_token"`, code UNAUTHENTICATED and a message naming the
 * check that failed, never echoing the token, and without any subgraph call.
 */
describe('JWT verification at the gateway', () => {
  let platform: TestPlatform;
  let jwks: JwksServer;
  let key: TestKey;
  let others: TestKey[];

  beforeAll(async () => {
    jwks = await startJwksServer();
    key = await jwks.addKey('ES256');
    // Published before the gateway first fetches: a key added later waits out the refetch cooldown.
    others = [await jwks.addKey('RS256'), await jwks.addKey('EdDSA'), await jwks.addKey('PS384')];
    platform = await startPlatform({ gateway: { auth: { jwksUrl: jwks.url } } });
  });
  afterAll(async () => {
    await platform.close();
    await jwks.close();
  });
  beforeEach(() => {
    platform.subgraphRequests.length = 0;
  });

  function expectRejected(result: GraphQLResult, reason: string, token?: string) {
    expect(result.status).toBe(401);
    const challenge = String(result.headers['www-authenticate']);
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="invalid_token"');
    // RFC 6750: the description is a quoted-string without quotes or backslashes of its own.
    expect(challenge).toMatch(/error_description="[^"\\]*"$/);
    expect(result.body.errors).toHaveLength(1);
    expect(result.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(result.body.errors[0].message).toContain(reason);
    expect(result.body.data).toBeUndefined();
    if (token) {
      const text = JSON.stringify(result.body) + challenge;
      for (const part of token.split('.').filter((p) => p.length > 8)) expect(text).not.toContain(part);
    }
    expect(platform.subgraphRequests).toEqual([]);
  }

  it('accepts a valid token and serves the caller', async () => {
    const token = await jwks.sign(key);
    const result = await platform.query(PRIVATE, { token });
    expect(result.status).toBe(200);
    expect(result.body.data.tenant).toEqual({ id: 'acme', name: 'Acme Corp' });
  });

  it('no token: 401 for a private operation, the public health summary is served', async () => {
    expectRejected(await platform.query(PRIVATE), 'bearer token is required for tenant');
    const open = await platform.query(PUBLIC);
    expect(open.status).toBe(200);
    expect(open.body.data.health.status).toBeTypeOf('string');
  });

  it('no token: a private root field hidden behind a fragment or next to a public one is still refused', async () => {
    expectRejected(
      await platform.query({
        query: 'query Health { health { status } ...F } fragment F on Query { tenant { id } }',
      }),
      'tenant',
    );
  });

  it('garbage: 401 malformed', async () => {
    expectRejected(await platform.query(PRIVATE, { token: 'not-a-jwt' }), 'malformed token', 'not-a-jwt');
    expectRejected(await platform.query(PRIVATE, { token: 'a.b.c' }), 'malformed token');
    expectRejected(
      await platform.query(PRIVATE, { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }),
      'not a Bearer token',
    );
    expectRejected(
      await platform.query(PRIVATE, { headers: { authorization: 'Bearer' } }),
      'not a Bearer token',
    );
  });

  it('alg none: 401 algorithm not allowed', async () => {
    const claims = {
      iss: 'portico-dev',
      aud: 'portico',
      sub: 'admin',
      tenant: 'acme',
      scope: 'admin',
      exp: now() + 600,
    };
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    expectRejected(await platform.query(PRIVATE, { token }), 'signing algorithm not allowed', token);
  });

  it('HS256 signed with the public key as the secret: 401 algorithm not allowed', async () => {
    const claims = {
      iss: 'portico-dev',
      aud: 'portico',
      sub: 'admin',
      tenant: 'acme',
      scope: 'admin',
      exp: now() + 600,
    };
    const header = { alg: 'HS256', typ: 'JWT', kid: key.kid };
    const input = `${b64(header)}.${b64(claims)}`;
    for (const secret of [await exportSPKI(key.publicKey), JSON.stringify(key.publicJwk)]) {
      const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      expectRejected(await platform.query(PRIVATE, { token }), 'signing algorithm not allowed', token);
    }
  });

  it('an asymmetric algorithm outside the allowlist: 401 algorithm not allowed', async () => {
    const token = await jwks.sign(others[2]!);
    expectRejected(await platform.query(PRIVATE, { token }), 'signing algorithm not allowed', token);
  });

  it('unknown kid, or a key the issuer never published: 401 unknown signing key', async () => {
    const stranger = await jwks.unpublishedKey('ES256');
    const token = await jwks.sign(stranger);
    expectRejected(await platform.query(PRIVATE, { token }), 'unknown signing key', token);
  });

  it('a known kid on a token signed by another key: 401 signature does not verify', async () => {
    const stranger = await jwks.unpublishedKey('ES256');
    const token = await jwks.sign({ ...stranger, kid: key.kid });
    expectRejected(await platform.query(PRIVATE, { token }), 'signature does not verify', token);
  });

  it('expired (beyond the clock tolerance): 401 token expired', async () => {
    const token = await jwks.sign(key, { iat: now() - 3600, exp: now() - 120 });
    expectRejected(await platform.query(PRIVATE, { token }), 'token expired', token);
  });

  it('expired within the clock tolerance: still accepted', async () => {
    const token = await jwks.sign(key, { iat: now() - 3600, exp: now() - 5 });
    expect((await platform.query(PRIVATE, { token })).status).toBe(200);
  });

  it('not yet valid: 401', async () => {
    const token = await jwks.sign(key, { nbf: now() + 300 });
    expectRejected(await platform.query(PRIVATE, { token }), 'token not yet valid', token);
  });

  it('issued in the future beyond the clock tolerance: 401', async () => {
    const token = await jwks.sign(key, { iat: now() + 3600, exp: now() + 7200 });
    expectRejected(await platform.query(PRIVATE, { token }), 'token issued in the future', token);
    const withinTolerance = await jwks.sign(key, { iat: now() + 5 });
    expect((await platform.query(PRIVATE, { token: withinTolerance })).status).toBe(200);
  });

  it('wrong issuer, wrong audience: 401 naming the claim', async () => {
    const issuer = await jwks.sign(key, { iss: 'https://evil.example' });
    expectRejected(await platform.query(PRIVATE, { token: issuer }), 'wrong issuer', issuer);
    const audience = await jwks.sign(key, { aud: 'another-api' });
    expectRejected(await platform.query(PRIVATE, { token: audience }), 'wrong audience', audience);
  });

  it('tampered payload (more scopes, another tenant): 401 signature does not verify', async () => {
    const token = await jwks.sign(key);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${header}.${b64({ ...claims, tenant: 'globex', scope: 'admin billing:write' })}.${signature}`;
    expectRejected(await platform.query(PRIVATE, { token: forged }), 'signature does not verify', forged);
  });

  it('no exp, no sub or an empty sub: 401 naming the missing claim', async () => {
    const noExp = await jwks.sign(key, { exp: undefined });
    expectRejected(
      await platform.query(PRIVATE, { token: noExp }),
      'token lacks the required exp claim',
      noExp,
    );
    const noSub = await jwks.sign(key, { sub: undefined });
    expectRejected(
      await platform.query(PRIVATE, { token: noSub }),
      'token lacks the required sub claim',
      noSub,
    );
    const emptySub = await jwks.sign(key, { sub: '' });
    expectRejected(await platform.query(PRIVATE, { token: emptySub }), 'sub', emptySub);
  });

  it('a bad token is refused even for a public operation (a token is checked whenever it is sent)', async () => {
    const token = await jwks.sign(key, { exp: now() - 120 });
    expectRejected(await platform.query(PUBLIC, { token }), 'token expired', token);
  });

  it('RS256 and EdDSA tokens from the key set are accepted', async () => {
    for (const other of others.slice(0, 2)) {
      const result = await platform.query(PRIVATE, { token: await jwks.sign(other) });
      expect(result.status, other.alg).toBe(200);
    }
  });
});
