import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphNames } from '../../platform/config/runtime.ts';
import { forgedKey, hmacWithPublicKey, signAssertion, unsignedAssertion } from '../helpers/assertions.ts';
import { postGraphQL } from '../helpers/http.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

/** What each subgraph is asked: something only a vouched-for caller may have. */
const PROBE: Record<string, string> = {
  models: '{ models(first: 1) { nodes { id } } }',
  billing: '{ tenants { nodes { id spendAlert } } }',
  metering:
    '{ _entities(representations: [{ __typename: "Tenant", id: "globex" }]) { ... on Tenant { usage { requests } } } }',
  health: '{ health { status } }',
};

const SPOOFED_IDENTITY = {
  'x-user-id': 'intruder',
  'x-tenant-id': 'globex',
  'x-user-scopes': 'admin billing:write',
};

function expectRefused(response: { status: number; body: unknown }, label: string) {
  expect(response.status, label).toBe(401);
  const body = response.body as { data?: unknown; errors: { extensions: { code: string } }[] };
  expect(body.data, label).toBeUndefined();
  expect(body.errors[0]!.extensions.code, label).toBe('UNAUTHENTICATED');
}

/**
 * Subgraph ports trust only the gateway: called directly, as an attacker on the internal network
 * would, every subgraph refuses anything but a valid assertion the gateway signed for it.
 */
describe('subgraphs answer only the gateway', () => {
  let platform: TestPlatform;
  const admin = { sub: 'ops-1', tenant: 'globex', scopes: ['admin', 'billing:write', 'billing:read'] };

  beforeAll(async () => {
    platform = await startPlatform();
    // The gateway has started, so this process's assertion keys exist.
  });
  afterAll(() => platform.close());

  const forgeries: [string, (audience: string) => Promise<Record<string, string>>][] = [
    ['no assertion', async () => ({})],
    ['identity headers alone', async () => SPOOFED_IDENTITY],
    [
      'a client token of the real issuer',
      async () => ({ authorization: `Bearer ${await platform.token({ ...admin })}` }),
    ],
    [
      'signed with another key under the gateway key id',
      async (audience) => ({
        authorization: `Bearer ${await signAssertion({ audience, ...admin, key: await forgedKey() })}`,
      }),
    ],
    [
      'expired',
      async (audience) => ({
        authorization: `Bearer ${await signAssertion({ audience, ...admin, expiresIn: -60 })}`,
      }),
    ],
    [
      'issued in the future',
      async (audience) => ({
        authorization: `Bearer ${await signAssertion({ audience, ...admin, issuedIn: 3600, expiresIn: 3700 })}`,
      }),
    ],
    [
      'for another subgraph',
      async (audience) => ({
        authorization: `Bearer ${await signAssertion({ audience: audience === 'billing' ? 'metering' : 'billing', ...admin })}`,
      }),
    ],
    [
      'from another issuer',
      async (audience) => ({
        authorization: `Bearer ${await signAssertion({ audience, ...admin, issuer: 'portico-dev' })}`,
      }),
    ],
    [
      'a plain JWT type',
      async (audience) => ({
        authorization: `Bearer ${await signAssertion({ audience, ...admin, typ: 'JWT' })}`,
      }),
    ],
    [
      'alg none',
      async (audience) => ({ authorization: `Bearer ${unsignedAssertion({ audience, ...admin })}` }),
    ],
    [
      'HS256 keyed with the public key',
      async (audience) => ({ authorization: `Bearer ${await hmacWithPublicKey({ audience, ...admin })}` }),
    ],
  ];

  for (const [label, headersFor] of forgeries) {
    it(`refuses ${label} on every subgraph, with no data`, async () => {
      for (const name of subgraphNames) {
        const url = platform.subgraphUrls[name]!;
        const response = await postGraphQL(url, { query: PROBE[name] }, { headers: await headersFor(name) });
        expectRefused(response, `${label} -> ${name}`);
      }
    });
  }

  it('checks before reading the body, so a refused call reaches no resolver', async () => {
    const url = platform.subgraphUrls.billing!;
    // Not even JSON: had the body been parsed, this would be a 400.
    expectRefused(await postGraphQL(url, '{not json', { headers: SPOOFED_IDENTITY }), 'broken body');
    const mutation = { query: 'mutation { setSpendAlert(threshold: 999999) { spendAlert } }' };
    for (const [label, headersFor] of forgeries) {
      expectRefused(await postGraphQL(url, mutation, { headers: await headersFor('billing') }), label);
    }
    // Through the gateway, globex's alert is still whatever it was: no forged mutation ran.
    const token = await platform.token({ sub: 'globex-user-1', tenant: 'globex', scopes: ['billing:read'] });
    const { body } = await platform.query({ query: '{ tenant { spendAlert } }' }, { token });
    expect(body.data.tenant.spendAlert).not.toBe(999999);
  });

  it('other methods and paths are refused the same way; the probes stay open', async () => {
    const base = platform.subgraphUrls.models!.replace(/\/graphql$/, '');
    for (const [method, path] of [
      ['GET', '/graphql?query=%7B__typename%7D'],
      ['PUT', '/graphql'],
      ['GET', '/metrics'],
      ['GET', '/nothing-here'],
    ] as const) {
      const response = await request(`${base}${path}`, { method });
      expect(response.statusCode, `${method} ${path}`).toBe(401);
      await response.body.dump();
    }
    for (const path of ['/health', '/ready']) {
      const response = await request(`${base}${path}`);
      expect(response.statusCode, path).toBe(200);
      await response.body.dump();
    }
  });

  it('answers a valid assertion, and takes identity from it alone, never from headers', async () => {
    const url = platform.subgraphUrls.billing!;
    const authorization = `Bearer ${await signAssertion({ audience: 'billing', sub: 'acme-user-1', tenant: 'acme' })}`;
    const response = await postGraphQL(
      url,
      { query: '{ tenant { id } tenants { nodes { id } } }' },
      { headers: { authorization, ...SPOOFED_IDENTITY } },
    );
    expect(response.status).toBe(200);
    expect(response.body.data.tenant).toEqual({ id: 'acme' });
    // The spoofed admin scope is ignored; the subgraph itself still requires it (defence in depth).
    expect(response.body.data.tenants).toBeNull();
    expect(response.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('a subgraph refuses cross-tenant and admin fields to a vouched caller without the scope', async () => {
    const headers = (audience: string) =>
      signAssertion({ audience, sub: 'acme-user-1', tenant: 'acme', scopes: ['billing:read'] }).then(
        (token) => ({ authorization: `Bearer ${token}` }),
      );
    const metering = await postGraphQL(
      platform.subgraphUrls.metering!,
      { query: PROBE.metering },
      { headers: await headers('metering') },
    );
    expect(metering.body.data._entities[0].usage).toBeNull();
    expect(metering.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const spend = await postGraphQL(
      platform.subgraphUrls.billing!,
      { query: 'mutation { setSpendAlert(threshold: 5) { spendAlert } }' },
      { headers: await headers('billing') },
    );
    expect(spend.body.data.setSpendAlert).toBeNull();
    expect(spend.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
