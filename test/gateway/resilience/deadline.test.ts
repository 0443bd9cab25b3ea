import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultServer, startFaultServer } from '../../helpers/fault-server.ts';
import { startPlatform, type TestPlatform } from '../../helpers/platform.ts';

const QUERY = '{ tenant { name usage { requests } } }';
const MARGIN_MS = 20;
const MAX_MS = 3_000;
/**
 * The client's deadline in the tests below: far enough below MAX_MS, and MAX_MS below the
 * subgraph timeout, that which one ended a call is clear even with seconds of scheduling delay.
 */
const CLIENT_MS = 1_000;

describe('request deadlines', () => {
  let platform: TestPlatform;
  let metering: FaultServer;
  let token: string;
  beforeAll(async () => {
    metering = await startFaultServer({ upstream: 'metering' });
    platform = await startPlatform({
      subgraphUrls: { metering: metering.url },
      gateway: {
        gateway: {
          maxRequestMs: MAX_MS,
          deadlineMarginMs: MARGIN_MS,
          subgraphDefaults: { timeoutMs: 10_000, breaker: { enabled: false } },
        },
      },
    });
    token = await platform.token();
  });
  afterAll(async () => {
    await platform.close();
    await metering.close();
  });

  it('a client deadline shorter than the timeout wins (request-timeout, relative ms)', async () => {
    metering.reset();
    metering.set({ kind: 'hang' });
    const sent = Date.now();
    const { body, ms } = await platform.query(
      { query: QUERY },
      { token, headers: { 'request-timeout': String(CLIENT_MS) } },
    );
    metering.set({ kind: 'ok' });
    expect(body.data.tenant).toEqual({ name: 'Acme Corp', usage: null });
    expect(body.errors).toEqual([
      {
        message: expect.any(String),
        path: ['tenant', 'usage'],
        extensions: { code: 'DEADLINE_EXCEEDED', service: 'metering', retryable: true },
      },
    ]);
    expect(ms).toBeGreaterThanOrEqual(CLIENT_MS - MARGIN_MS - 5);
    expect(ms).toBeLessThan(MAX_MS);
    // The subgraph was told its own deadline: the client's, less the gateway's margin.
    expect(metering.calls).toBe(1);
    const told = Number(metering.received[0]?.headers['x-request-deadline']);
    // Counted from when the gateway received the request: somewhere between sending and the answer.
    expect(told).toBeGreaterThanOrEqual(sent + CLIENT_MS - MARGIN_MS - 5);
    expect(told).toBeLessThanOrEqual(sent + ms + CLIENT_MS - MARGIN_MS);
  });

  it('takes an absolute x-request-deadline in epoch ms', async () => {
    metering.set({ kind: 'hang' });
    const { body, ms } = await platform.query(
      { query: QUERY },
      { token, headers: { 'x-request-deadline': String(Date.now() + CLIENT_MS) } },
    );
    metering.set({ kind: 'ok' });
    expect(body.errors[0].extensions.code).toBe('DEADLINE_EXCEEDED');
    expect(ms).toBeLessThan(MAX_MS);
  });

  it('caps a client deadline at the gateway maximum', async () => {
    metering.set({ kind: 'hang' });
    const { body, ms } = await platform.query(
      { query: QUERY },
      { token, headers: { 'request-timeout': '60000' } },
    );
    metering.set({ kind: 'ok' });
    expect(body.errors[0].extensions.code).toBe('DEADLINE_EXCEEDED');
    expect(ms).toBeGreaterThanOrEqual(MAX_MS - MARGIN_MS - 5);
    expect(ms).toBeLessThan(MAX_MS + 3_000);
  });

  it('does not send a call whose budget is already spent', async () => {
    metering.reset();
    const { status, body } = await platform.query(
      { query: '{ health { status } tenant { name usage { requests } } }' },
      { token, headers: { 'x-request-deadline': String(Date.now() - 1) } },
    );
    expect(status).toBe(200);
    expect(metering.calls).toBe(0);
    expect(body.data).toEqual({ health: null, tenant: null });
    expect(
      body.errors.map((e: { path: string[]; extensions: { code: string; service: string } }) => [
        e.path,
        e.extensions.code,
        e.extensions.service,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [['health'], 'DEADLINE_EXCEEDED', 'health'],
        [['tenant'], 'DEADLINE_EXCEEDED', 'billing'],
      ]),
    );
  });

  it('tells every subgraph the gateway maximum when the client sets no deadline', async () => {
    metering.reset();
    const sent = Date.now();
    const { body } = await platform.query({ query: QUERY }, { token });
    expect(body.errors).toBeUndefined();
    const told = Number(metering.received[0]?.headers['x-request-deadline']);
    expect(told).toBeGreaterThanOrEqual(sent + MAX_MS - MARGIN_MS - 50);
    expect(told).toBeLessThanOrEqual(Date.now() + MAX_MS);
  });

  it('rejects an unreadable deadline with 400 BAD_REQUEST before any subgraph call', async () => {
    metering.reset();
    const unreadable: Record<string, string>[] = [
      { 'request-timeout': 'soon' },
      { 'x-request-deadline': '-5' },
    ];
    for (const headers of unreadable) {
      const { status, body } = await platform.query({ query: QUERY }, { token, headers });
      expect(status).toBe(400);
      expect(body.errors[0].extensions.code).toBe('BAD_REQUEST');
    }
    expect(metering.calls).toBe(0);
  });

  it('ignores a client-sent x-request-deadline as a propagated header: the gateway sets its own', async () => {
    metering.reset();
    const far = Date.now() + 3_600_000;
    await platform.query({ query: QUERY }, { token, headers: { 'x-request-deadline': String(far) } });
    expect(Number(metering.received[0]?.headers['x-request-deadline'])).toBeLessThan(Date.now() + MAX_MS);
  });
});
