import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { decodeJwt } from 'jose';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { negotiateEncoding } from '../../platform/compressed-page.ts';
import type { Service } from '../../platform/service.ts';
import { buildService } from '../../platform/services.ts';
import { testConfig } from '../helpers/config.ts';

/** GraphiQL's options, as the page passes them to its script (one JSON object literal). */
function ideSettings(html: string): { defaultQuery: string; headers: string } {
  const options = /querySelector\('#root'\),\s*(\{.*\}),\s*\);\s*<\/script>\s*<\/body>/.exec(html)?.[1];
  return JSON.parse(options ?? '{}');
}

/**
 * The offline GraphiQL every public GraphQL service serves to a browser in development (a BFF
 * here; subgraphs answer only the gateway, so a browser gets 401 there).
 */
describe('GraphiQL landing page', () => {
  const services: Service[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'portico-ide-'));
  afterAll(async () => {
    for (const service of services) await service.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = async (environment: 'development' | 'production', devIssuer = false) => {
    // Keys are fetched only when a token arrives; production insists that a JWKS is named. Without
    // a JWKS, development trusts the local dev issuer, and the IDE carries a token of its key.
    const service = await buildService(
      'web',
      testConfig({
        environment,
        devIssuer: { keyFile: join(dir, 'key.json') },
        ...(devIssuer ? {} : { auth: { jwksUrl: 'http://127.0.0.1:1/jwks' } }),
      }),
    );
    services.push(service);
    return `${await service.listen(0, '127.0.0.1')}/graphql`;
  };
  const page = async (environment: 'development' | 'production') =>
    fetch(await start(environment), { headers: { accept: 'text/html' } });

  it('is served from the installed package in development, with the service name', async () => {
    const response = await page('development');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('<title>Portico web</title>');
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
  });

  it('is not served in production', async () => {
    const response = await page('production');
    expect(await response.text()).not.toContain('<title>Portico web</title>');
  });

  it("opens on the BFF's example query with a dev token of the local issuer in its Headers tab", async () => {
    const html = await (
      await fetch(await start('development', true), { headers: { accept: 'text/html' } })
    ).text();
    const { defaultQuery, headers } = ideSettings(html);
    expect(defaultQuery).toMatch(/^# Portico web BFF\./);
    expect(defaultQuery).toContain('apollo-require-preflight');
    expect(defaultQuery).toMatch(/\{\n\s+dashboard \{/);
    const token = (JSON.parse(headers) as { authorization: string }).authorization.replace(/^Bearer /, '');
    expect(decodeJwt(token)).toMatchObject({ sub: 'acme-user-1', tenant: 'acme', scope: 'billing:read' });
  });

  it('without the dev issuer, the Headers tab says how to get a token', async () => {
    const html = await (await page('development')).text();
    const { headers } = ideSettings(html);
    expect(JSON.parse(headers).authorization).toMatch(
      /^Bearer <run: npm run --silent token -- --sub acme-user-1/,
    );
  });

  it('is sent compressed to a browser that accepts it, and GraphQL answers are not', async () => {
    const url = await start('development');
    const plain = await request(url, { headers: { accept: 'text/html' } });
    const size = (await plain.body.arrayBuffer()).byteLength;
    const compressed = await request(url, {
      headers: { accept: 'text/html', 'accept-encoding': 'gzip, br' },
    });
    const body = Buffer.from(await compressed.body.arrayBuffer());
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.headers.vary).toMatch(/accept-encoding/i);
    expect(body.byteLength).toBeLessThan(size / 4);
    expect(brotliDecompressSync(body).toString()).toContain('<title>Portico web</title>');
    const answer = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip, br' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(await answer.body.json()).toEqual({ data: { __typename: 'Query' } });
  }, 30_000);

  it('negotiates br, then gzip, and honours q=0', () => {
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('gzip')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(negotiateEncoding('identity')).toBeNull();
    expect(negotiateEncoding(undefined)).toBeNull();
  });
});
