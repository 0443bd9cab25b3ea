import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_QUERY } from '../../gateway/example-query.ts';
import { availability } from '../../subgraphs/health/data.ts';
import { usageFor } from '../../subgraphs/metering/data.ts';
import { models } from '../../subgraphs/models/data.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

describe('a query planned across subgraphs', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(() => platform.close());

  it('joins billing, metering, models and health entities for the caller', async () => {
    const token = await platform.token({ tenant: 'acme' });
    const { status, body } = await platform.query({ query: EXAMPLE_QUERY }, { token });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const tenantUsage = usageFor(
      'acme',
      models.map((m) => m.id),
      'LAST_7D',
    );
    expect(body.data.tenant).toEqual({
      name: 'Acme Corp',
      plan: { name: 'Enterprise' },
      usage: { requests: tenantUsage.requests, cost: tenantUsage.cost },
    });
    const firstThree = models.slice(0, 3);
    expect(body.data.models.nodes).toEqual(
      firstThree.map((model) => ({
        id: model.id,
        name: model.name,
        pricing: { inputPer1kTokens: model.pricing.inputPer1kTokens },
        usage: { requests: usageFor('acme', [model.id], 'LAST_7D').requests },
        availability: { status: availability(model.id).status },
      })),
    );
  });

  it("answers the caller's usage from metering alone, the same as the tenant's, ending now", async () => {
    const token = await platform.token({ tenant: 'globex' });
    platform.subgraphRequests.length = 0;
    const { body } = await platform.query(
      {
        query:
          '{ usage(window: LAST_24H) { requests from to } tenant { usage(window: LAST_24H) { requests } } }',
      },
      { token },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.usage.requests).toBe(body.data.tenant.usage.requests);
    expect(Date.parse(body.data.usage.to)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(body.data.usage.to) - Date.parse(body.data.usage.from)).toBeLessThanOrEqual(
      24 * 3_600_000,
    );
    platform.subgraphRequests.length = 0;
    await platform.query({ query: '{ usage { requests } }' }, { token });
    expect(platform.subgraphRequests.map((r) => r.subgraph)).toEqual(['metering']);
  });

  it('takes identity from the token, never from client identity headers', async () => {
    const token = await platform.token({ tenant: 'globex' });
    const { body } = await platform.query(
      { query: '{ tenant { id name } }' },
      { token, headers: { 'x-tenant-id': 'acme', 'x-user-id': 'intruder', 'x-user-scopes': 'admin' } },
    );
    expect(body.data.tenant).toEqual({ id: 'globex', name: 'Globex' });
  });

  it('pages through the model catalogue with cursors', async () => {
    const token = await platform.token();
    const page =
      '{ models(first: 10, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } totalCount } }';
    const ids: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i += 1) {
      const { body } = await platform.query(
        { query: `query Page($after: String) ${page}`, variables: { after } },
        { token },
      );
      const connection = body.data.models;
      expect(connection.totalCount).toBe(30);
      ids.push(...connection.nodes.map((n: { id: string }) => n.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(ids).toEqual(models.map((m) => m.id));
  });
});
