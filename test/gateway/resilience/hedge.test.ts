import { describe, expect, it } from 'vitest';
import { type Fault, type FaultServer, startFaultServer } from '../../helpers/fault-server.ts';
import { startPlatform, type TestPlatform } from '../../helpers/platform.ts';

const QUERY = '{ tenant { name usage { requests } } }';
// Slow enough that half of it leaves a loaded machine more than a second of slack.
const SLOW_MS = 3_000;
/** Two replicas behind one address: every other call lands on the slow one, starting with the first. */
const slowReplica = (call: number): Fault =>
  call % 2 === 0 ? { kind: 'slow', ms: SLOW_MS } : { kind: 'ok' };

async function withMetering(
  hedge: Record<string, unknown>,
  run: (platform: TestPlatform, metering: FaultServer, token: string) => Promise<void>,
): Promise<void> {
  const metering = await startFaultServer({ upstream: 'metering' });
  const platform = await startPlatform({
    subgraphUrls: { metering: metering.url },
    gateway: {
      gateway: {
        subgraphs: { metering: { timeoutMs: 10_000, dedup: false, hedge, retry: { budgetMinRetries: 20 } } },
      },
    },
  });
  try {
    await run(platform, metering, await platform.token());
  } finally {
    await platform.close();
    await metering.close();
  }
}

describe('hedged requests', () => {
  it('cut latency when one replica is slow: a second copy after the delay answers first', async () => {
    await withMetering({ enabled: true, delayMs: 60 }, async (platform, metering, token) => {
      metering.set(slowReplica);
      const { body, ms } = await platform.query({ query: QUERY }, { token });
      expect(body.errors).toBeUndefined();
      expect(body.data.tenant.usage.requests).toBeTypeOf('number');
      expect(ms).toBeGreaterThanOrEqual(55);
      expect(ms).toBeLessThan(SLOW_MS / 2);
      expect(metering.calls).toBe(2);
      expect(metering.received[0]?.headers['x-hedged-request']).toBeUndefined();
      expect(metering.received[1]?.headers['x-hedged-request']).toBe('1');
    });
  });

  it('are off by default: the same slow replica costs its full latency', async () => {
    await withMetering({}, async (platform, metering, token) => {
      metering.set(slowReplica);
      const { body, ms } = await platform.query({ query: QUERY }, { token });
      expect(body.errors).toBeUndefined();
      expect(ms).toBeGreaterThanOrEqual(SLOW_MS - 5);
      expect(metering.calls).toBe(1);
    });
  });

  it('by default wait for the recent percentile, once enough calls are measured', async () => {
    await withMetering(
      { enabled: true, minSamples: 5, percentile: 95 },
      async (platform, metering, token) => {
        // Five measured calls of about 120 ms; before the fifth is measured nothing is hedged.
        metering.set({ kind: 'slow', ms: 120 });
        for (let i = 0; i < 5; i += 1) await platform.query({ query: QUERY }, { token });
        expect(metering.calls).toBe(5);
        metering.reset();
        metering.set(slowReplica);
        const { body, ms } = await platform.query({ query: QUERY }, { token });
        expect(body.errors).toBeUndefined();
        // The copy went out after the recent p95 (about 120 ms), not at once, and answered first.
        expect(ms).toBeGreaterThanOrEqual(110);
        expect(ms).toBeLessThan(SLOW_MS / 2);
        expect(metering.calls).toBe(2);
      },
    );
  });

  it('are never used for mutations', async () => {
    const billing = await startFaultServer({ upstream: 'billing' });
    const platform = await startPlatform({
      subgraphUrls: { billing: billing.url },
      gateway: { gateway: { subgraphs: { billing: { hedge: { enabled: true, delayMs: 20 } } } } },
    });
    try {
      billing.set({ kind: 'slow', ms: 200 });
      const token = await platform.token({ scopes: ['billing:write'] });
      const { body } = await platform.query(
        { query: 'mutation { setSpendAlert(threshold: 5) { id } }' },
        { token },
      );
      expect(body.errors).toBeUndefined();
      expect(billing.calls).toBe(1);
    } finally {
      await platform.close();
      await billing.close();
    }
  });
});
