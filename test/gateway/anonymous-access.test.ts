import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GraphQLResult } from '../helpers/http.ts';
import { startPlatform, type TestGateway, type TestPlatform } from '../helpers/platform.ts';

const MODELS = { query: '{ models(first: 2) { nodes { id name } } }' };

/**
 * Callers without a token. By default (`auth.anonymousAccess: rootFields`) only the listed root
 * fields are open; in `unguarded` mode every root field the supergraph does not guard with
 * `@authenticated` / `@requiresScopes` is open, so a foreign supergraph needs no list.
 */
describe('anonymous access', () => {
  let platform: TestPlatform;
  let unguarded: TestGateway;

  beforeAll(async () => {
    platform = await startPlatform();
    unguarded = await platform.addGateway({
      auth: { anonymousAccess: 'unguarded', anonymousRootFields: [] },
    });
  });
  afterAll(() => platform.close());
  beforeEach(() => {
    platform.subgraphRequests.length = 0;
  });

  function expectUnauthenticated(result: GraphQLResult, fields: string) {
    expect(result.status).toBe(401);
    expect(String(result.headers['www-authenticate'])).toMatch(/^Bearer /);
    expect(result.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(result.body.errors[0].message).toBe(`a bearer token is required for ${fields}`);
    expect(result.body.data).toBeUndefined();
    expect(platform.subgraphRequests).toEqual([]);
  }

  it('denies by default: a root field not listed answers 401 without a subgraph call', async () => {
    expectUnauthenticated(await platform.query(MODELS), 'models');
    const listed = await platform.query({ query: '{ health { status } }' });
    expect(listed.status).toBe(200);
    expect(listed.body.data.health.status).toBeTypeOf('string');
  });

  it('unguarded: root fields without a guard are served to anonymous callers', async () => {
    const { status, body } = await unguarded.query({
      query: '{ models(first: 2) { nodes { id name } } health { status } }',
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.models.nodes).toHaveLength(2);
    expect(body.data.health.status).toBeTypeOf('string');
  });

  it('unguarded: a root field guarded by @authenticated or @requiresScopes still answers 401', async () => {
    expectUnauthenticated(await unguarded.query({ query: '{ tenant { name } }' }), 'tenant');
    expectUnauthenticated(await unguarded.query({ query: '{ tenants { totalCount } }' }), 'tenants');
    expectUnauthenticated(
      await unguarded.query({ query: '{ models(first: 1) { nodes { id } } viewer { id } }' }),
      'viewer',
    );
  });

  it('unguarded: a guarded root field hidden in a fragment is found', async () => {
    expectUnauthenticated(
      await unguarded.query({
        query: 'query Public { ...Q } fragment Q on Query { ... on Query { usage { requests } } }',
      }),
      'usage',
    );
  });

  it('unguarded: a guarded field below an open root field is null with FORBIDDEN, never fetched', async () => {
    const { status, body } = await unguarded.query({
      query: '{ models(first: 1) { nodes { id usage { requests } } } }',
    });
    expect(status).toBe(200);
    expect(body.data.models.nodes[0].usage).toBeNull();
    expect(
      body.errors.map((e: { path: unknown[]; extensions: { code: string } }) => [e.path, e.extensions.code]),
    ).toEqual([[['models', 'nodes', 0, 'usage'], 'FORBIDDEN']]);
    expect(platform.subgraphRequests.filter((r) => r.subgraph === 'metering')).toEqual([]);
    expect(platform.subgraphRequests.some((r) => r.subgraph === 'models')).toBe(true);
  });

  it('unguarded: a caller with a token is served the guarded fields as before', async () => {
    const token = await platform.token({ scopes: ['billing:read'] });
    const { status, body } = await unguarded.query({ query: '{ tenant { name } }' }, { token });
    expect(status).toBe(200);
    expect(body.data.tenant.name).toBe('Acme Corp');
  });

  it('refuses an unknown mode at start-up, naming the setting', async () => {
    await expect(platform.addGateway({ auth: { anonymousAccess: 'everything' } })).rejects.toThrow(
      /auth\.anonymousAccess/,
    );
  });
});
