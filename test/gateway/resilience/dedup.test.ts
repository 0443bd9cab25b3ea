import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../../helpers/fault-server.ts';
import { startPlatform, type TestPlatform } from '../../helpers/platform.ts';

const QUERY = '{ tenant { name usage { requests } } }';

describe('in-flight deduplication', () => {
  let platform: TestPlatform;
  let metering: FaultServer;
  beforeAll(async () => {
    metering = await startFaultServer({ upstream: 'metering' });
    // Metering answers slowly below; its timeout is not under test.
    platform = await startPlatform({
      subgraphUrls: { metering: metering.url },
      gateway: { gateway: { subgraphs: { metering: { timeoutMs: 10_000 } } } },
    });
  });
  afterAll(async () => {
    await platform.close();
    await metering.close();
  });

  it('sends N identical concurrent queries to the subgraph once, and answers all N', async () => {
    const token = await platform.token({ tenant: 'acme' });
    metering.reset();
    // Slow enough that all N are in flight together, even on a loaded machine.
    metering.set({ kind: 'slow', ms: 2_000 });
    const n = 12;
    const results = await Promise.all(
      Array.from({ length: n }, () => platform.query({ query: QUERY }, { token })),
    );
    metering.set({ kind: 'ok' });
    expect(metering.calls).toBe(1);
    const first = results[0]?.body.data;
    expect(first.tenant.usage.requests).toBeTypeOf('number');
    for (const result of results) expect(result.body).toEqual({ data: first });
  });

  it('never shares a call between different identities', async () => {
    const [acme, globex] = await Promise.all([
      platform.token({ tenant: 'acme' }),
      platform.token({ tenant: 'globex' }),
    ]);
    metering.reset();
    metering.set({ kind: 'slow', ms: 200 });
    const [a, b] = await Promise.all([
      platform.query({ query: '{ models(first: 2) { nodes { usage { requests } } } }' }, { token: acme }),
      platform.query({ query: '{ models(first: 2) { nodes { usage { requests } } } }' }, { token: globex }),
    ]);
    metering.set({ kind: 'ok' });
    expect(metering.calls).toBe(2);
    expect(a.body.data).not.toEqual(b.body.data);
  });

  it('a caller that joins keeps its own deadline', async () => {
    const token = await platform.token();
    metering.reset();
    metering.set({ kind: 'slow', ms: 3_000 });
    const [patient, hurried] = await Promise.all([
      platform.query({ query: QUERY }, { token }),
      platform.query({ query: QUERY }, { token, headers: { 'request-timeout': '150' } }),
    ]);
    metering.set({ kind: 'ok' });
    expect(patient.body.errors).toBeUndefined();
    expect(hurried.body.errors[0].extensions.code).toBe('DEADLINE_EXCEEDED');
    // Its own 150 ms, not the shared call's 3 s (with over a second of slack).
    expect(hurried.ms).toBeLessThan(1_500);
    expect(metering.calls).toBe(1);
  });
});
