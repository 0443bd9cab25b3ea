import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../../helpers/fault-server.ts';
import { startPlatform, type TestPlatform } from '../../helpers/platform.ts';

const QUERY = '{ tenant { usage { requests } } models(first: 2) { nodes { usage { requests } } } }';

interface Setup {
  platform: TestPlatform;
  stable: FaultServer;
  canary: FaultServer;
  token: string;
}

async function setup(canary: Record<string, unknown>): Promise<Setup> {
  const stable = await startFaultServer({ upstream: 'metering' });
  const canaryServer = await startFaultServer({ upstream: 'metering' });
  const platform = await startPlatform({
    subgraphUrls: { metering: stable.url },
    gateway: { gateway: { subgraphs: { metering: { canary: { url: canaryServer.url, ...canary } } } } },
  });
  return { platform, stable, canary: canaryServer, token: await platform.token() };
}

async function teardown(s: Setup | undefined): Promise<void> {
  await s?.platform.close();
  await s?.stable.close();
  await s?.canary.close();
}

const requestIds = (server: FaultServer) => new Set(server.received.map((c) => c.headers['x-request-id']));

describe('canary routing by header', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup({});
  });
  afterAll(() => teardown(s));

  it('sends a subgraph to its canary when the header names it', async () => {
    const { body } = await s.platform.query(
      { query: QUERY },
      { token: s.token, headers: { 'x-canary': 'models, metering' } },
    );
    expect(body.errors).toBeUndefined();
    expect(s.canary.calls).toBe(2);
    expect(s.stable.calls).toBe(0);
  });

  it('leaves it on the stable URL when the header names another subgraph, or is absent', async () => {
    s.canary.reset();
    await s.platform.query({ query: QUERY }, { token: s.token, headers: { 'x-canary': 'models' } });
    await s.platform.query({ query: QUERY }, { token: s.token });
    expect(s.canary.calls).toBe(0);
    expect(s.stable.calls).toBe(4);
  });

  it('keeps the canary breaker apart from the stable one', async () => {
    s.canary.reset();
    s.stable.reset();
    s.canary.set({ kind: 'status', status: 500 });
    for (let i = 0; i < 12; i += 1) {
      await s.platform.query({ query: QUERY }, { token: s.token, headers: { 'x-canary': 'metering' } });
    }
    const open = await s.platform.query(
      { query: QUERY },
      { token: s.token, headers: { 'x-canary': 'metering' } },
    );
    expect(open.body.errors[0].extensions.code).toBe('SUBGRAPH_CIRCUIT_OPEN');
    const stable = await s.platform.query({ query: QUERY }, { token: s.token });
    expect(stable.body.errors).toBeUndefined();
    s.canary.set({ kind: 'ok' });
  });
});

describe('canary routing by percentage', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup({ percent: 30 });
  });
  afterAll(() => teardown(s));

  it('sends about the configured share of requests, each request wholly to one side', async () => {
    const n = 60;
    for (let i = 0; i < n; i += 1) {
      const { body } = await s.platform.query({ query: QUERY }, { token: s.token });
      expect(body.errors).toBeUndefined();
    }
    const canary = requestIds(s.canary);
    const stable = requestIds(s.stable);
    expect(canary.size + stable.size).toBe(n);
    // Binomial(60, 0.3): mean 18, sd 3.5; the bounds are more than 3 sd away.
    expect(canary.size).toBeGreaterThanOrEqual(6);
    expect(canary.size).toBeLessThanOrEqual(30);
    // Both metering fetches of a request went the same way.
    expect(s.canary.calls).toBe(canary.size * 2);
    for (const id of canary) expect(stable.has(id)).toBe(false);
  });
});
