import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Scrape, scrape } from '../helpers/metrics.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

const MODELS = 'query Catalogue { models(first: 2) { nodes { id name } } }';
const USAGE = 'query Usage { tenant { name usage { requests } } }';
const LIMITED = 'query Limited { health { status } }';
const client = (name: string, version = '1.0.0') => ({
  'apollographql-client-name': name,
  'apollographql-client-version': version,
});

describe('metrics per operation and client, on the admin listener', () => {
  let platform: TestPlatform;
  let metrics: Scrape;
  let before: Scrape;

  beforeAll(async () => {
    // Metering is down: its fields fail with SUBGRAPH_UNAVAILABLE. Two client names get series.
    platform = await startPlatform({
      without: ['metering'],
      gateway: {
        telemetry: { metrics: { maxClients: 2 } },
        rateLimits: {
          enabled: true,
          limits: [{ name: 'limited-op', per: 'user', limit: 1, windowSec: 3600, operations: ['Limited'] }],
        },
      },
    });
    const token = await platform.token({ sub: 'metrics-user', scopes: ['billing:read'] });
    before = await scrape(platform.gatewayAdminUrl);
    const send = (query: string, headers: Record<string, string> = {}) =>
      platform.query({ query }, { token, headers });
    for (let i = 0; i < 3; i += 1) await send(MODELS, client('web-app', '2.1.0'));
    await send(MODELS, client('ios'));
    await send(MODELS, client('android')); // a third name: past maxClients, folded into "other"
    await send(MODELS); // no client header: "unknown"
    await send(USAGE, client('ios'));
    await send(LIMITED, client('ios'));
    await send(LIMITED, client('ios')); // refused: the limit is 1 per hour
    await send('{ nosuchfield }', client('ios'));
    metrics = await scrape(platform.gatewayAdminUrl);
  });
  afterAll(async () => {
    await platform?.close();
  });

  const delta = (name: string, labels: Record<string, string>) =>
    metrics.value(name, labels) - before.value(name, labels);

  it('counts operations per operation name and client, with their outcome', () => {
    expect(
      delta('graphql_operations_total', {
        operation: 'Catalogue',
        client: 'web-app',
        client_version: '2.1.0',
        outcome: 'success',
      }),
    ).toBe(3);
    expect(
      delta('graphql_operations_total', { operation: 'Catalogue', client: 'ios', outcome: 'success' }),
    ).toBe(1);
    expect(delta('graphql_operations_total', { operation: 'Catalogue', client: 'other' })).toBe(1);
    expect(delta('graphql_operations_total', { operation: 'Catalogue', client: 'unknown' })).toBe(1);
    expect(metrics.text).not.toContain('client="android"');
    expect(delta('graphql_operations_total', { operation: 'Usage', client: 'ios', outcome: 'error' })).toBe(
      1,
    );
    expect(delta('graphql_operations_total', { operation: 'unknown', client: 'ios', outcome: 'error' })).toBe(
      1,
    );
  });

  it('counts errors per client by catalogue code, so per-client error rates can be read', () => {
    expect(
      delta('graphql_operation_errors_total', {
        operation: 'Usage',
        client: 'ios',
        code: 'SUBGRAPH_UNAVAILABLE',
      }),
    ).toBe(1);
    expect(
      delta('graphql_operation_errors_total', { operation: 'Limited', client: 'ios', code: 'RATE_LIMITED' }),
    ).toBe(1);
    expect(delta('graphql_operation_errors_total', { client: 'web-app' })).toBe(0);
  });

  it('times every operation', () => {
    expect(
      delta('graphql_operation_duration_seconds_count', { operation: 'Catalogue', client: 'web-app' }),
    ).toBe(3);
    expect(
      delta('graphql_operation_duration_seconds_sum', { operation: 'Catalogue', client: 'web-app' }),
    ).toBeGreaterThan(0);
  });

  it('times subgraph fetches by outcome, and counts limiter decisions and cache hits', () => {
    expect(
      delta('gateway_subgraph_fetch_duration_seconds_count', { subgraph: 'models', outcome: 'ok' }),
    ).toBe(6);
    expect(
      delta('gateway_subgraph_fetch_duration_seconds_count', {
        subgraph: 'metering',
        outcome: 'SUBGRAPH_UNAVAILABLE',
      }),
    ).toBe(1);
    expect(delta('gateway_rate_limit_decisions_total', { decision: 'refused' })).toBe(1);
    expect(delta('gateway_rate_limit_decisions_total', { decision: 'admitted' })).toBe(8);
    // Six Catalogue requests, one plan and one parse; the rest came from the caches.
    expect(delta('gateway_query_plan_cache_total', { result: 'miss' })).toBe(3);
    expect(delta('gateway_query_plan_cache_total', { result: 'hit' })).toBe(5);
    expect(delta('graphql_document_cache_total', { result: 'hit' })).toBe(6);
  });
});
