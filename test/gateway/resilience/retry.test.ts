import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fault, type FaultServer, startFaultServer } from '../../helpers/fault-server.ts';
import { startPlatform, type TestPlatform } from '../../helpers/platform.ts';

const QUERY = '{ tenant { name usage { requests } } }';
const unavailable: Fault = { kind: 'status', status: 503 };
const ok: Fault = { kind: 'ok' };

describe('retries', () => {
  let platform: TestPlatform;
  let metering: FaultServer;
  let billing: FaultServer;
  let token: string;
  beforeAll(async () => {
    metering = await startFaultServer({ upstream: 'metering' });
    billing = await startFaultServer({ upstream: 'billing' });
    platform = await startPlatform({
      subgraphUrls: { metering: metering.url, billing: billing.url },
      gateway: {
        gateway: {
          subgraphDefaults: {
            // Short enough for the hang below, long enough for any answer on a loaded machine.
            timeoutMs: 2_000,
            breaker: { enabled: false },
            // The budget is tested on its own below; here every retry the rules allow must happen.
            retry: {
              maxAttempts: 3,
              baseDelayMs: 5,
              maxDelayMs: 20,
              maxRetryAfterMs: 1_200,
              budgetMinRetries: 100,
            },
          },
        },
      },
    });
    token = await platform.token({ scopes: ['billing:read', 'billing:write'] });
  });
  afterAll(async () => {
    await platform.close();
    await metering.close();
    await billing.close();
  });

  it('retries a query after a 503 and says so in a header', async () => {
    metering.reset();
    metering.set((call) => (call === 0 ? unavailable : ok));
    const { body } = await platform.query({ query: QUERY }, { token });
    expect(body.errors).toBeUndefined();
    expect(body.data.tenant.usage.requests).toBeTypeOf('number');
    expect(metering.calls).toBe(2);
    expect(metering.received[0]?.headers['x-retry-attempt']).toBeUndefined();
    expect(metering.received[1]?.headers['x-retry-attempt']).toBe('1');
  });

  it('retries a connection reset mid-body', async () => {
    metering.reset();
    metering.set((call) => (call === 0 ? { kind: 'reset-mid-body' } : ok));
    expect((await platform.query({ query: QUERY }, { token })).body.errors).toBeUndefined();
    expect(metering.calls).toBe(2);
  });

  it('gives up after maxAttempts with the failure of the last attempt', async () => {
    metering.reset();
    metering.set(unavailable);
    const { body } = await platform.query({ query: QUERY }, { token });
    metering.set(ok);
    expect(metering.calls).toBe(3);
    expect(body.errors[0].extensions).toEqual({
      code: 'SUBGRAPH_UNAVAILABLE',
      service: 'metering',
      retryable: true,
    });
  });

  it('honours Retry-After, and does not wait for one longer than maxRetryAfterMs', async () => {
    metering.reset();
    metering.set((call) => (call === 0 ? { ...unavailable, retryAfter: '1' } : ok));
    const waited = await platform.query({ query: QUERY }, { token });
    expect(waited.body.errors).toBeUndefined();
    expect(waited.ms).toBeGreaterThanOrEqual(990);

    metering.reset();
    metering.set((call) => (call === 0 ? { ...unavailable, retryAfter: '30' } : ok));
    const refused = await platform.query({ query: QUERY }, { token });
    expect(refused.body.errors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(metering.calls).toBe(1);
    // Not the 30 s it asked for (nor the 1.2 s the policy would wait at most).
    expect(refused.ms).toBeLessThan(10_000);
    metering.set(ok);
  });

  it('never retries a timeout, an HTTP 500 or unreadable JSON', async () => {
    for (const fault of [
      { kind: 'hang' },
      { kind: 'status', status: 500 },
      { kind: 'invalid-json' },
    ] as Fault[]) {
      metering.reset();
      metering.set(fault);
      await platform.query({ query: QUERY }, { token });
      expect(metering.calls, fault.kind).toBe(1);
    }
    metering.set(ok);
  });

  it('never retries a mutation', async () => {
    billing.reset();
    billing.set(unavailable);
    const { body } = await platform.query(
      { query: 'mutation { setSpendAlert(threshold: 10) { id } }' },
      { token },
    );
    billing.set(ok);
    expect(body.errors[0].extensions).toEqual({
      code: 'SUBGRAPH_UNAVAILABLE',
      service: 'billing',
      retryable: true,
    });
    expect(billing.calls).toBe(1);
  });
});

/** Sequential queries against an always-503 metering; returns the calls metering received. */
async function callsUnderFailure(budget: Record<string, number>, queries: number): Promise<number> {
  const metering = await startFaultServer();
  metering.set(unavailable);
  const platform = await startPlatform({
    subgraphUrls: { metering: metering.url },
    gateway: {
      gateway: {
        subgraphDefaults: {
          breaker: { enabled: false },
          retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, ...budget },
        },
      },
    },
  });
  try {
    const token = await platform.token();
    for (let i = 0; i < queries; i += 1) await platform.query({ query: QUERY }, { token });
    return metering.calls;
  } finally {
    await platform.close();
    await metering.close();
  }
}

describe('the retry budget under a failing backend', () => {
  it('stops retries at the budget instead of tripling the load', async () => {
    const queries = 40;
    const budgeted = await callsUnderFailure({ budgetPercent: 10, budgetMinRetries: 0 }, queries);
    const unbudgeted = await callsUnderFailure({ budgetPercent: 100, budgetMinRetries: 1_000 }, queries);
    // 10 % of 40 calls: at most 4 retries on top of the 40 first attempts.
    expect(budgeted).toBeGreaterThan(queries);
    expect(budgeted).toBeLessThanOrEqual(queries + 4);
    expect(unbudgeted).toBe(queries * 3);
  });
});
