import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBff, type TestBff } from '../helpers/bff.ts';
import { postGraphQL } from '../helpers/http.ts';
import { startPlatform, type TestGateway, type TestPlatform } from '../helpers/platform.ts';

const APP = 'http://127.0.0.1:4009';
const OTHER = 'https://evil.example';

/** What a browser sends before a page's JSON POST with a token. */
function preflight(url: string, origin: string) {
  return request(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,authorization',
    },
  });
}

describe('CORS: browser pages on allowed origins, and no others', () => {
  let platform: TestPlatform;
  let web: TestBff;
  let production: TestGateway;

  beforeAll(async () => {
    platform = await startPlatform();
    web = await startBff('web', platform);
    production = await platform.addGateway({
      environment: 'production',
      cors: { origins: {} },
    });
  }, 60_000);
  afterAll(async () => {
    await web?.close();
    await platform?.close();
  });

  it.each([
    ['the gateway', () => platform.gatewayUrl],
    ['the web BFF', () => web.url],
  ])('%s answers an allowed preflight, then the POST it announced', async (_name, url) => {
    const answer = await preflight(url(), APP);
    await answer.body.dump();
    expect(answer.statusCode).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe(APP);
    expect(answer.headers['access-control-allow-credentials']).toBe('true');
    expect(String(answer.headers['access-control-allow-methods'])).toContain('POST');
    const allowed = String(answer.headers['access-control-allow-headers']).split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['content-type', 'authorization']));
    expect(answer.headers.vary).toMatch(/origin/i);

    const token = await platform.token();
    const post = await postGraphQL(url(), { query: '{ __typename }' }, { token, headers: { origin: APP } });
    expect(post.status).toBe(200);
    expect(post.body.data.__typename).toBe('Query');
    expect(post.headers['access-control-allow-origin']).toBe(APP);
    const exposed = String(post.headers['access-control-expose-headers']).toLowerCase().split(/,\s*/);
    expect(exposed).toEqual(
      expect.arrayContaining(['x-request-id', 'ratelimit', 'ratelimit-policy', 'retry-after', 'etag']),
    );
  });

  it.each([
    ['the gateway', () => platform.gatewayUrl],
    ['the web BFF', () => web.url],
  ])('%s refuses a preflight from another origin, naming the setting', async (_name, url) => {
    const answer = await preflight(url(), OTHER);
    const body = (await answer.body.json()) as {
      errors: { message: string; extensions: { code: string } }[];
    };
    expect(answer.statusCode).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(body.errors[0]!.extensions.code).toBe('FORBIDDEN');
    expect(body.errors[0]!.message).toMatch(/origin https:\/\/evil\.example .*cors\.origins\./);
    // And the answer itself never tells that origin's page it may read it.
    const post = await postGraphQL(url(), { query: '{ __typename }' }, { headers: { origin: OTHER } });
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('any port of localhost is a development origin; a look-alike host is not', async () => {
    const local = await preflight(web.url, 'http://localhost:5173');
    await local.body.dump();
    expect(local.statusCode).toBe(204);
    const lookalike = await preflight(web.url, 'http://127.0.0.1.evil.example:80');
    await lookalike.body.dump();
    expect(lookalike.statusCode).toBe(403);
  });

  it('CSRF prevention still refuses a simple cross-origin POST, with or without CORS', async () => {
    const simple = await request(web.url, {
      method: 'POST',
      headers: { origin: APP, 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const text = await simple.body.text();
    expect(simple.statusCode).toBe(400);
    expect(text).toMatch(/CSRF|preflight/i);
  });

  it('production allows no origin until one is configured', async () => {
    const answer = await preflight(production.url, APP);
    await answer.body.dump();
    expect(answer.statusCode).toBe(403);
    const configured = await platform.addGateway({
      environment: 'production',
      cors: { origins: { gateway: ['https://app.example.com'] } },
    });
    const ok = await preflight(configured.url, 'https://app.example.com');
    await ok.body.dump();
    expect(ok.statusCode).toBe(204);
    const refused = await preflight(configured.url, APP);
    await refused.body.dump();
    expect(refused.statusCode).toBe(403);
  });

  it('the dev issuer signs a token for a page on an allowed origin', async () => {
    const url = `${platform.issuerUrl}/token`;
    const pre = await request(url, {
      method: 'OPTIONS',
      headers: {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    await pre.body.dump();
    expect(pre.statusCode).toBe(204);
    const minted = await request(url, {
      method: 'POST',
      headers: { origin: APP, 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'acme-user-1', tenant: 'acme', scopes: ['billing:read'] }),
    });
    const { token } = (await minted.body.json()) as { token: string };
    expect(minted.headers['access-control-allow-origin']).toBe(APP);
    const answer = await postGraphQL(web.url, { query: '{ dashboard { viewer { id } } }' }, { token });
    expect(answer.body.data.dashboard.viewer.id).toBe('acme-user-1');
    const bad = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'a b' }),
    });
    const badBody = (await bad.body.json()) as {
      errors: { message: string; extensions: { code: string } }[];
    };
    expect(bad.statusCode).toBe(400);
    expect(badBody.errors[0]!.extensions.code).toBe('BAD_REQUEST');
    expect(badBody.errors[0]!.message).toMatch(/^sub:/);
  });

  it('a cors origin that is not an origin stops start-up, naming the key', async () => {
    await expect(
      platform.addGateway({ cors: { origins: { web: ['http://app.example.com/'] } } }),
    ).rejects.toThrow(/cors\.origins\.web\.0: an origin is scheme/);
  });
});
