import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SubgraphRequest, startPlatform, type TestPlatform } from '../helpers/platform.ts';

const forbidden = (body: { errors?: { path?: unknown[]; extensions: { code: string } }[] }) =>
  (body.errors ?? []).filter((e) => e.extensions.code === 'FORBIDDEN').map((e) => e.path);

/** The queries a subgraph received, each of them captured, so a negative check on them means something. */
const queriesTo = (requests: SubgraphRequest[], subgraph: string) => {
  const queries = requests.filter((r) => r.subgraph === subgraph).map((r) => r.query);
  for (const query of queries) expect(query?.trim(), `a ${subgraph} query`).toMatch(/\S/);
  return queries as string[];
};

/**
 * `@authenticated` and `@requiresScopes` from the subgraph schemas, enforced by the gateway: a
 * field the caller may not see is not fetched (asserted on what the subgraphs receive), comes back
 * null with FORBIDDEN at its true path, and the rest of the operation is served.
 */
describe('field authorization from the supergraph', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(() => platform.close());
  beforeEach(() => {
    platform.subgraphRequests.length = 0;
  });

  it('@requiresScopes: invoices without billing:read are null with FORBIDDEN, the tenant is served', async () => {
    const token = await platform.token({ scopes: [] });
    const { status, body } = await platform.query(
      { query: '{ tenant { name invoices { totalCount } plan { name } } }' },
      { token },
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({
      tenant: { name: 'Acme Corp', invoices: null, plan: { name: 'Enterprise' } },
    });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({
      path: ['tenant', 'invoices'],
      extensions: { code: 'FORBIDDEN' },
    });
    expect(body.errors[0].message).toContain('billing:read');
    const billing = queriesTo(platform.subgraphRequests, 'billing');
    expect(billing.length).toBeGreaterThan(0);
    for (const query of billing) expect(query).not.toContain('invoices');
  });

  it('the same operation with the scope is served whole (the reduced plan is not reused)', async () => {
    const query = { query: '{ tenant { name invoices(first: 2) { totalCount nodes { number } } } }' };
    const denied = await platform.query(query, { token: await platform.token({ scopes: [] }) });
    expect(denied.body.data.tenant.invoices).toBeNull();
    const allowed = await platform.query(query, {
      token: await platform.token({ scopes: ['billing:read'] }),
    });
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data.tenant.invoices.nodes).toHaveLength(2);
    const again = await platform.query(query, { token: await platform.token({ scopes: [] }) });
    expect(again.body.data.tenant.invoices).toBeNull();
  });

  it('errors stand at the true paths: aliases, fragments and every list item', async () => {
    const token = await platform.token({ scopes: ['admin'] });
    const { body } = await platform.query(
      {
        query: `{
          mine: tenant { ...Bills }
          tenants(first: 3) { nodes { id bills: invoices { totalCount } } }
        }
        fragment Bills on Tenant { name invoices { totalCount } }`,
      },
      { token },
    );
    expect(body.data.mine).toEqual({ name: 'Acme Corp', invoices: null });
    expect(body.data.tenants.nodes).toHaveLength(3);
    for (const node of body.data.tenants.nodes) expect(node.bills).toBeNull();
    expect(forbidden(body)).toEqual([
      ['mine', 'invoices'],
      ['tenants', 'nodes', 0, 'bills'],
      ['tenants', 'nodes', 1, 'bills'],
      ['tenants', 'nodes', 2, 'bills'],
    ]);
  });

  it('a root field the caller lacks the scope for is null, the other root fields are served', async () => {
    const token = await platform.token({ scopes: ['billing:read'] });
    const { body } = await platform.query(
      { query: '{ tenants { totalCount } health { status } } ' },
      { token },
    );
    expect(body.data.tenants).toBeNull();
    expect(body.data.health.status).toBeTypeOf('string');
    expect(forbidden(body)).toEqual([['tenants']]);
    expect(queriesTo(platform.subgraphRequests, 'billing')).toEqual([]);
  });

  it('a mutation without billing:write is not run', async () => {
    const reader = await platform.token({ scopes: ['billing:read'] });
    const { body } = await platform.query(
      {
        query: 'mutation ($t: Float) { setSpendAlert(threshold: $t) { id spendAlert } }',
        variables: { t: 123 },
      },
      { token: reader },
    );
    expect(body.data).toEqual({ setSpendAlert: null });
    expect(forbidden(body)).toEqual([['setSpendAlert']]);
    expect(queriesTo(platform.subgraphRequests, 'billing')).toEqual([]);

    const after = await platform.query({ query: '{ tenant { spendAlert } }' }, { token: reader });
    expect(after.body.data.tenant.spendAlert).toBeNull();

    const writer = await platform.token({ scopes: ['billing:write'] });
    const done = await platform.query(
      { query: 'mutation { setSpendAlert(threshold: 50) { spendAlert } }' },
      { token: writer },
    );
    expect(done.body).toEqual({ data: { setSpendAlert: { spendAlert: 50 } } });
    await platform.query({ query: 'mutation { setSpendAlert(threshold: null) { id } }' }, { token: writer });
  });

  it('keeps __typename only where the client asked for it', async () => {
    const token = await platform.token({ scopes: [] });
    const bare = await platform.query({ query: '{ tenant { invoices { totalCount } } }' }, { token });
    expect(bare.body.data).toEqual({ tenant: { invoices: null } });
    const asked = await platform.query(
      { query: '{ tenant { __typename invoices { totalCount } } }' },
      { token },
    );
    expect(asked.body.data).toEqual({ tenant: { __typename: 'Tenant', invoices: null } });
  });

  it('a field skipped by @include(if: false) is not denied', async () => {
    const token = await platform.token({ scopes: [] });
    const { body } = await platform.query(
      {
        query: 'query ($show: Boolean!) { tenant { name invoices @include(if: $show) { totalCount } } }',
        variables: { show: false },
      },
      { token },
    );
    expect(body).toEqual({ data: { tenant: { name: 'Acme Corp' } } });
  });

  it('@include with a variable default, or a missing variable, is decided as execution will decide it', async () => {
    const token = await platform.token({ scopes: [] });
    const hidden = await platform.query(
      {
        query:
          'query ($show: Boolean = false) { tenant { name invoices @include(if: $show) { totalCount } } }',
      },
      { token },
    );
    expect(hidden.body).toEqual({ data: { tenant: { name: 'Acme Corp' } } });
    const shown = await platform.query(
      {
        query:
          'query ($show: Boolean = true) { tenant { name invoices @include(if: $show) { totalCount } } }',
      },
      { token },
    );
    expect(shown.body.data.tenant.invoices).toBeNull();
    expect(forbidden(shown.body)).toEqual([['tenant', 'invoices']]);
    const missing = await platform.query(
      { query: 'query ($show: Boolean!) { tenant { name invoices @include(if: $show) { totalCount } } }' },
      { token },
    );
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('@authenticated: usage is null for an anonymous caller where an anonymous root field reaches it', async () => {
    // models is opened to anonymous callers here; Model.usage stays @authenticated.
    const gateway = await platform.addGateway({ auth: { anonymousRootFields: ['health', 'models'] } });
    const { status, body } = await gateway.query({
      query: '{ models(first: 2) { nodes { id usage { requests } availability { status } } } }',
    });
    expect(status).toBe(200);
    expect(body.data.models.nodes).toHaveLength(2);
    for (const node of body.data.models.nodes) {
      expect(node.usage).toBeNull();
      expect(node.availability.status).toBeTypeOf('string');
    }
    expect(forbidden(body)).toEqual([
      ['models', 'nodes', 0, 'usage'],
      ['models', 'nodes', 1, 'usage'],
    ]);
    expect(body.errors[0].message).toContain('authenticated');
    expect(queriesTo(platform.subgraphRequests, 'metering')).toEqual([]);
  });
});
