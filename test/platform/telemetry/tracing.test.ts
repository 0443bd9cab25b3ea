import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBff, type TestBff } from '../../helpers/bff.ts';
import { type FaultServer, startFaultServer } from '../../helpers/fault-server.ts';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../../helpers/otlp-receiver.ts';
import { startPlatform, type TestPlatform } from '../../helpers/platform.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const CLIENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';
const SERVER = 2;
const CLIENT = 3;

function traceparent(traceId: string): string {
  return `00-${traceId}-${CLIENT_SPAN}-01`;
}

function one(spans: ReceivedSpan[], match: (span: ReceivedSpan) => boolean, what: string): ReceivedSpan {
  const found = spans.filter(match);
  expect(found, what).toHaveLength(1);
  return found[0] as ReceivedSpan;
}

describe('traces across BFF, gateway and subgraphs (OTLP/HTTP JSON)', () => {
  let receiver: OtlpReceiver;
  let metering: FaultServer;
  let platform: TestPlatform;
  let bff: TestBff;
  let token: string;
  const savedDelay = process.env.OTEL_BSP_SCHEDULE_DELAY;

  beforeAll(async () => {
    // The batch processor's standard variable: export every 100 ms instead of 5 s.
    process.env.OTEL_BSP_SCHEDULE_DELAY = '100';
    receiver = await startOtlpReceiver();
    const telemetry = { tracing: { tracesEndpoint: receiver.url, protocol: 'http/json' } };
    metering = await startFaultServer({ upstream: 'metering' });
    platform = await startPlatform({
      subgraphUrls: { metering: metering.url },
      subgraphOverrides: { models: { telemetry }, billing: { telemetry }, health: { telemetry } },
      gateway: {
        telemetry,
        gateway: {
          subgraphDefaults: {
            timeoutMs: 1_500,
            breaker: { enabled: false },
            hedge: { enabled: false },
            retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20, budgetMinRetries: 100 },
          },
        },
      },
    });
    bff = await startBff('web', platform, {}, { telemetry });
    token = await platform.token({ scopes: ['billing:read'] });
  });
  afterAll(async () => {
    await bff?.close();
    await platform?.close();
    await metering?.close();
    await receiver?.close();
    if (savedDelay === undefined) delete process.env.OTEL_BSP_SCHEDULE_DELAY;
    else process.env.OTEL_BSP_SCHEDULE_DELAY = savedDelay;
  });

  const traceOf = async (traceId: string, ready: (spans: ReceivedSpan[]) => boolean) => {
    const spans = () => receiver.spans.filter((span) => span.traceId === traceId);
    await waitFor(() => ready(spans()), { timeoutMs: 20_000, intervalMs: 100 });
    return spans();
  };

  it('holds one request from the web BFF to the subgraphs in one trace, each span under its caller', async () => {
    const traceId = CLIENT_TRACE;
    const { status } = await bff.query(
      { query: '{ dashboard { tenant { name } models(first: 2) { id name } } }' },
      { token, headers: { traceparent: traceparent(traceId) } },
    );
    expect(status).toBe(200);
    // Spans end as each service finishes, the BFF's last (after its answer is sent): wait for all.
    const spans = await traceOf(traceId, (all) => {
      const count = (service: string, kind: number) =>
        all.filter((s) => s.service === service && s.kind === kind).length;
      return (
        count('web', SERVER) === 1 &&
        count('models', SERVER) === 1 &&
        count('gateway', SERVER) === count('web', CLIENT) &&
        all.filter((s) => s.name === 'gateway.execute').length === count('gateway', SERVER)
      );
    });
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const parentOf = (span: ReceivedSpan) => byId.get(span.parentSpanId);

    const web = one(spans, (s) => s.service === 'web' && s.kind === SERVER, 'the web BFF request span');
    expect(web.parentSpanId).toBe(CLIENT_SPAN);
    expect(web.attributes['http.route']).toBe('/graphql');
    const calls = spans.filter((s) => s.service === 'web' && s.kind === CLIENT);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(parentOf(call)).toBe(web);

    const gatewayRequests = spans.filter((s) => s.service === 'gateway' && s.kind === SERVER);
    expect(gatewayRequests).toHaveLength(calls.length);
    for (const request of gatewayRequests) {
      expect(calls).toContain(parentOf(request));
      const phases = spans.filter((s) => s.parentSpanId === request.spanId).map((s) => s.name);
      expect(phases).toEqual(
        expect.arrayContaining(['auth', 'gateway.limits', 'gateway.plan', 'gateway.execute']),
      );
    }
    // Subgraph calls: fetch span under execute, attempt span under fetch, subgraph's span under attempt.
    const modelsRequest = one(
      spans,
      (s) => s.service === 'models' && s.kind === SERVER,
      'the models request',
    );
    const attempt = parentOf(modelsRequest) as ReceivedSpan;
    expect(attempt).toMatchObject({ service: 'gateway', kind: CLIENT, name: 'POST models' });
    expect(attempt.attributes['portico.fetch.attempt']).toBe(1);
    expect(attempt.attributes['http.response.status_code']).toBe(200);
    const fetch = parentOf(attempt) as ReceivedSpan;
    expect(fetch.name).toBe('subgraph models');
    expect(fetch.attributes).toMatchObject({ 'portico.subgraph': 'models', 'portico.fetch.attempts': 1 });
    expect(parentOf(fetch)?.name).toBe('gateway.execute');
    // Nothing of this request went into another trace.
    const otherTraces = receiver.spans.filter(
      (s) => s.traceId !== traceId && s.attributes['portico.subgraph'] === 'models',
    );
    expect(otherTraces).toHaveLength(0);
  });

  it('shows a retried fetch as one fetch span with two attempts, the first failed with its status', async () => {
    const traceId = '11111111111111111111111111111111';
    metering.reset();
    metering.set((call) => (call === 0 ? { kind: 'status', status: 503 } : { kind: 'ok' }));
    const { body } = await platform.query(
      { query: '{ tenant { name usage { requests } } }' },
      { token, headers: { traceparent: traceparent(traceId) } },
    );
    expect(body.errors).toBeUndefined();
    const spans = await traceOf(traceId, (all) => all.some((s) => s.name === 'subgraph metering'));
    const fetch = one(spans, (s) => s.name === 'subgraph metering', 'the metering fetch');
    expect(fetch.attributes).toMatchObject({ 'portico.fetch.attempts': 2, 'portico.fetch.retried': true });
    expect(fetch.status).toBe(0);
    const attempts = spans
      .filter((s) => s.parentSpanId === fetch.spanId)
      .sort(
        (a, b) =>
          Number(a.attributes['portico.fetch.attempt']) - Number(b.attributes['portico.fetch.attempt']),
      );
    expect(attempts.map((a) => a.attributes['portico.fetch.attempt'])).toEqual([1, 2]);
    expect(attempts[0]?.attributes).toMatchObject({
      'http.response.status_code': 503,
      'error.type': 'SUBGRAPH_UNAVAILABLE',
    });
    expect(attempts[0]?.status).toBe(2);
    expect(attempts[1]?.attributes['http.response.status_code']).toBe(200);
    // The subgraph saw the attempt's own span as its parent.
    expect(metering.received[1]?.headers.traceparent).toBe(`00-${traceId}-${attempts[1]?.spanId}-01`);
  });

  it('shows a timed-out fetch as failed with SUBGRAPH_TIMEOUT, the request still answered', async () => {
    const traceId = '22222222222222222222222222222222';
    metering.reset();
    metering.set({ kind: 'hang' });
    const { body } = await platform.query(
      { query: '{ tenant { name usage { requests } } }' },
      { token, headers: { traceparent: traceparent(traceId) } },
    );
    expect(body.data.tenant.name).toBeTypeOf('string');
    expect(body.errors?.[0]?.extensions?.code).toBe('SUBGRAPH_TIMEOUT');
    const spans = await traceOf(
      traceId,
      (all) =>
        all.some((s) => s.name === 'subgraph metering') &&
        all.some((s) => s.service === 'gateway' && s.kind === SERVER),
    );
    const fetch = one(spans, (s) => s.name === 'subgraph metering', 'the metering fetch');
    expect(fetch.status).toBe(2);
    expect(fetch.attributes['error.type']).toBe('SUBGRAPH_TIMEOUT');
    const billing = one(spans, (s) => s.name === 'subgraph billing', 'the billing fetch');
    expect(billing.status).toBe(0);
    metering.set({ kind: 'ok' });
  }, 30_000);

  it('starts a new trace when the client sent none', async () => {
    const before = receiver.spans.length;
    const { status } = await platform.query({ query: '{ health { status } }' });
    expect(status).toBe(200);
    await waitFor(() => receiver.spans.length > before, { timeoutMs: 20_000, intervalMs: 100 });
    const fresh = receiver.spans.slice(before).filter((s) => s.service === 'gateway' && s.kind === SERVER);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh[0]?.parentSpanId).toBe('');
  });
});
