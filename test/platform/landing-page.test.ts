import { afterAll, describe, expect, it } from 'vitest';
import type { Service } from '../../platform/service.ts';
import { buildService } from '../../platform/services.ts';
import { testConfig } from '../helpers/config.ts';

/**
 * The offline GraphiQL every public GraphQL service serves to a browser in development (a BFF
 * here; subgraphs answer only the gateway, so a browser gets 401 there).
 */
describe('GraphiQL landing page', () => {
  const services: Service[] = [];
  afterAll(async () => {
    for (const service of services) await service.close();
  });
  const page = async (environment: 'development' | 'production') => {
    // Keys are fetched only when a token arrives; production insists that a JWKS is named.
    const service = await buildService(
      'web',
      testConfig({ environment, auth: { jwksUrl: 'http://127.0.0.1:1/jwks' } }),
    );
    services.push(service);
    const url = `${await service.listen(0, '127.0.0.1')}/graphql`;
    return fetch(url, { headers: { accept: 'text/html' } });
  };

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
});
