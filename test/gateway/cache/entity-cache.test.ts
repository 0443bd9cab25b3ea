import { describe, expect, it } from 'vitest';
import { cachingPlatform, stores, withRedis } from './fixture.ts';

const PAGE = { query: '{ models(first: 3) { nodes { id availability { status uptime30d } } } }' };
const one = (id: string) => ({
  query: `{ model(id: "${id}") { id name availability { status uptime30d } } }`,
});
const usagePage = {
  query: '{ models(first: 20) { nodes { id usage(window: LAST_30D) { requests cost } } } }',
};
const usageOne = (id: string) => ({
  query: `{ model(id: "${id}") { name usage(window: LAST_30D) { requests cost } } }`,
});

/**
 * The entity cache: the `_entities` answers of a subgraph are kept per entity, so a different
 * query that needs the same entities sends nothing (or only the missing ones), and PRIVATE
 * entities are kept per tenant and user.
 */
describe.each(stores)('entity cache ($store)', ({ redis }) => {
  const fixture = cachingPlatform(redis);
  const calls = fixture.calls;

  it.skipIf(redis && !withRedis)('shares entities between different queries', async () => {
    const token = await fixture.platform.token();
    const page = await fixture.gateway.query(PAGE, { token });
    const nodes = page.body.data.models.nodes as { id: string; availability: unknown }[];
    expect(nodes).toHaveLength(3);
    const before = calls('health');
    for (const node of nodes) {
      const single = await fixture.gateway.query(one(node.id), { token });
      expect(single.body.errors).toBeUndefined();
      expect(single.body.data.model.availability).toEqual(node.availability);
    }
    expect(calls('health')).toBe(before);
    // A page that overlaps: only the entities not yet cached are asked for.
    fixture.platform.subgraphRequests.length = 0;
    const bigger = await fixture.gateway.query(
      { query: PAGE.query.replace('first: 3', 'first: 5') },
      { token },
    );
    expect(bigger.body.data.models.nodes.slice(0, 3)).toEqual(nodes);
    const sent = fixture.platform.subgraphRequests.filter((r) => r.subgraph === 'health');
    expect(sent).toHaveLength(1);
  });

  it.skipIf(redis && !withRedis)('keeps private entities per tenant', async () => {
    const acme = await fixture.platform.token({ tenant: 'acme', sub: 'acme-user-1' });
    const globex = await fixture.platform.token({ tenant: 'globex', sub: 'globex-user-1' });
    const page = await fixture.gateway.query(usagePage, { token: acme });
    const nodes = page.body.data.models.nodes as { id: string; usage: { requests: number } }[];
    // A model acme used, so its usage cannot equal another tenant's by being empty for both.
    const first = nodes.find((node) => node.usage.requests > 0);
    const before = calls('metering');
    const again = await fixture.gateway.query(usageOne(first!.id), { token: acme });
    expect(again.body.data.model.usage).toEqual(first!.usage);
    expect(calls('metering')).toBe(before);
    const other = await fixture.gateway.query(usageOne(first!.id), { token: globex });
    expect(other.body.errors).toBeUndefined();
    expect(calls('metering')).toBe(before + 1);
    expect(other.body.data.model.usage).not.toEqual(first!.usage);
  });
});
