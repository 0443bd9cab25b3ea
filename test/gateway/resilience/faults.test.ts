import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { models } from '../../../subgraphs/models/data.ts';
import { type Fault, type FaultServer, LEAKY, startFaultServer } from '../../helpers/fault-server.ts';
import { startPlatform, type TestPlatform } from '../../helpers/platform.ts';

const QUERY =
  '{ tenant { name usage { requests } } models(first: 4) { nodes { id name usage { requests } } } }';
// Metering's timeout; the other subgraphs keep the default, so a loaded machine cannot time them out.
const TIMEOUT_MS = 1_000;
const MODEL_IDS = models.slice(0, 4).map((m) => m.id);

interface Case {
  name: string;
  fault: Fault | 'down';
  code: string;
  retryable: boolean;
  /** Indexes of the models whose usage goes null; the tenant's usage too when `tenant`. */
  nullModels: number[];
  tenant: boolean;
}

const everything = { nullModels: [0, 1, 2, 3], tenant: true };
const cases: Case[] = [
  { name: 'subgraph down', fault: 'down', code: 'SUBGRAPH_UNAVAILABLE', retryable: true, ...everything },
  {
    name: 'hanging past its timeout',
    fault: { kind: 'hang' },
    code: 'SUBGRAPH_TIMEOUT',
    retryable: true,
    ...everything,
  },
  {
    name: 'HTTP 500',
    fault: { kind: 'status', status: 500 },
    code: 'SUBGRAPH_ERROR',
    retryable: false,
    ...everything,
  },
  {
    name: 'invalid JSON',
    fault: { kind: 'invalid-json' },
    code: 'SUBGRAPH_ERROR',
    retryable: false,
    ...everything,
  },
  {
    name: 'connection reset mid-body',
    fault: { kind: 'reset-mid-body' },
    code: 'SUBGRAPH_UNAVAILABLE',
    retryable: true,
    ...everything,
  },
  {
    name: 'a request-level GraphQL error',
    fault: { kind: 'errors', at: 'request' },
    code: 'SUBGRAPH_ERROR',
    retryable: false,
    ...everything,
  },
  {
    name: 'an error at ["_entities"] with the list null',
    fault: { kind: 'errors', at: 'entities' },
    code: 'SUBGRAPH_ERROR',
    retryable: false,
    ...everything,
  },
  {
    name: 'an error at ["_entities", 2] with the entity null',
    fault: { kind: 'errors', at: 'entity', index: 2 },
    code: 'SUBGRAPH_ERROR',
    retryable: false,
    nullModels: [2],
    tenant: false,
  },
  {
    name: 'an error at a field of one entity',
    fault: { kind: 'errors', at: 'field', index: 1 },
    code: 'SUBGRAPH_ERROR',
    retryable: false,
    nullModels: [1],
    tenant: false,
  },
];

describe('partial failures: each fault of the metering subgraph', () => {
  let platform: TestPlatform;
  let metering: FaultServer;
  let token: string;
  beforeAll(async () => {
    metering = await startFaultServer({ upstream: 'metering' });
    platform = await startPlatform({
      subgraphUrls: { metering: metering.url },
      gateway: {
        gateway: {
          // Retries and the breaker are tested on their own; here each fault must show as it is.
          subgraphDefaults: { retry: { maxAttempts: 1 }, breaker: { enabled: false } },
          subgraphs: { metering: { timeoutMs: TIMEOUT_MS } },
        },
      },
    });
    token = await platform.token();
  });
  afterAll(async () => {
    await platform.close();
    await metering.close();
  });

  it.each(cases)('$name: serves the rest, nulls its fields with $code at true paths', async (c) => {
    if (c.fault === 'down') await metering.down();
    else metering.set(c.fault);
    try {
      const { status, body } = await platform.query({ query: QUERY }, { token });
      expect(status).toBe(200);
      expect(body.data.tenant.name).toBe('Acme Corp');
      expect(body.data.models.nodes.map((n: { id: string }) => n.id)).toEqual(MODEL_IDS);
      const expectedPaths = [
        ...(c.tenant ? [['tenant', 'usage']] : []),
        ...c.nullModels.map((i) => ['models', 'nodes', i, 'usage']),
      ];
      for (const [i, node] of body.data.models.nodes.entries()) {
        if (c.nullModels.includes(i)) expect(node.usage).toBeNull();
        else expect(node.usage.requests).toBeTypeOf('number');
      }
      expect(body.data.tenant.usage === null).toBe(c.tenant);
      const paths = body.errors.map((e: { path: unknown }) => e.path);
      expect(paths).toEqual(expect.arrayContaining(expectedPaths));
      expect(paths).toHaveLength(expectedPaths.length);
      for (const error of body.errors) {
        expect(error.extensions).toEqual({ code: c.code, service: 'metering', retryable: c.retryable });
      }
      // Never a planner placeholder, never a leak.
      const text = JSON.stringify(body);
      for (const forbidden of [
        '"@"',
        '_entities',
        '10.20.30.40',
        'usage-db',
        '/srv/',
        'stacktrace',
        'ECONNREFUSED',
        '127.0.0.1',
      ]) {
        expect(text).not.toContain(forbidden);
      }
    } finally {
      if (c.fault === 'down') await metering.up();
      metering.set({ kind: 'ok' });
    }
    // The gateway keeps serving once the subgraph is healthy again.
    const healthy = await platform.query({ query: QUERY }, { token });
    expect(healthy.body.errors).toBeUndefined();
    expect(healthy.body.data.tenant.usage.requests).toBeTypeOf('number');
  });

  it('a hanging subgraph costs about its timeout, not more', async () => {
    metering.set({ kind: 'hang' });
    try {
      const { body, ms } = await platform.query({ query: QUERY }, { token });
      expect(body.data.models.nodes).toHaveLength(4);
      expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      // Two fetches to metering run in parallel, each bounded alone: one timeout, not two (with a
      // second of slack for a loaded machine).
      expect(ms).toBeLessThan(2 * TIMEOUT_MS);
    } finally {
      metering.set({ kind: 'ok' });
    }
  });
});

describe('masking with a per-subgraph allowlist', () => {
  let platform: TestPlatform;
  let metering: FaultServer;
  beforeAll(async () => {
    metering = await startFaultServer({ upstream: 'metering' });
    platform = await startPlatform({
      subgraphUrls: { metering: metering.url },
      gateway: {
        gateway: {
          subgraphs: { metering: { exposeErrorMessages: true, exposeErrorExtensions: ['reason'] } },
        },
      },
    });
  });
  afterAll(async () => {
    await platform.close();
    await metering.close();
  });

  it('lets through the chosen messages and extension keys, and nothing else', async () => {
    metering.set({ kind: 'errors', at: 'field', index: 0 });
    const token = await platform.token();
    const { body } = await platform.query(
      { query: '{ models(first: 2) { nodes { id usage { requests } } } }' },
      { token },
    );
    expect(body.data.models.nodes[0].usage).toBeNull();
    expect(body.errors).toEqual([
      {
        message: LEAKY.message,
        path: ['models', 'nodes', 0, 'usage'],
        extensions: {
          code: 'SUBGRAPH_ERROR',
          service: 'metering',
          retryable: false,
          reason: LEAKY.extensions.reason,
        },
      },
    ]);
  });
});
