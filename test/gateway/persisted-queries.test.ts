import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import { buildGateway } from '../../gateway/server.ts';
import type { GraphQLResult } from '../helpers/http.ts';
import { fixtureBffTree } from '../helpers/operations.ts';
import { startPlatform, type TestGateway, type TestPlatform } from '../helpers/platform.ts';
import { REDIS_URL, skipWithoutRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
const quiet = { out: () => {}, err: () => {} };
const noRedis = await skipWithoutRedis('APQ over Redis');

describe('automatic persisted queries', () => {
  let platform: TestPlatform;
  let token: string;
  const query = `{ health { status } tenant { name } } # ${randomUUID()}`;

  beforeAll(async () => {
    platform = await startPlatform();
    token = await platform.token();
  });
  afterAll(() => platform.close());
  beforeEach(() => {
    platform.subgraphRequests.length = 0;
  });

  it('round trip: unknown hash, then hash with query, then hash only', async () => {
    const hash = sha256(query);
    const miss = await platform.query({ extensions: apq(hash) }, { token });
    expect(miss.status).toBe(200);
    expect(miss.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(platform.subgraphRequests).toEqual([]);

    const register = await platform.query({ query, extensions: apq(hash) }, { token });
    expect(register.status).toBe(200);
    expect(register.body.data.tenant.name).toBe('Acme Corp');

    const hit = await platform.query({ extensions: apq(hash) }, { token });
    expect(hit.status).toBe(200);
    expect(hit.body).toEqual(register.body);
  });

  it('a hash-only GET works once registered', async () => {
    const text = `{ health { checkedAt } } # ${randomUUID()}`;
    await platform.query({ query: text, extensions: apq(sha256(text)) }, { token });
    const url = `${platform.gatewayUrl}?extensions=${encodeURIComponent(JSON.stringify(apq(sha256(text))))}`;
    const response = await request(url, {
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': '1' },
    });
    expect(response.statusCode).toBe(200);
    expect(((await response.body.json()) as { data: { health: unknown } }).data.health).toBeTruthy();
  });

  it('a hash that does not match the query: 400 BAD_REQUEST, nothing registered', async () => {
    const wrong = sha256('something else');
    const result = await platform.query({ query, extensions: apq(wrong) }, { token });
    expect(result.status).toBe(400);
    expect(result.body.errors[0]).toMatchObject({
      message: 'provided sha does not match query',
      extensions: { code: 'BAD_REQUEST' },
    });
    const after = await platform.query({ extensions: apq(wrong) }, { token });
    expect(after.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(platform.subgraphRequests).toEqual([]);
  });

  it('a very large query is served but not persisted', async () => {
    const text = `{ models(family: "${'x'.repeat(70_000)}") { totalCount } }`;
    const hash = sha256(text);
    const served = await platform.query({ query: text, extensions: apq(hash) }, { token });
    expect(served.body.data.models.totalCount).toBe(0);
    const after = await platform.query({ extensions: apq(hash) }, { token });
    expect(after.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('a registered query is still held to auth: no token, no tenant', async () => {
    const result = await platform.query({ extensions: apq(sha256(query)) });
    expect(result.status).toBe(401);
  });

  it.skipIf(noRedis)('registrations are shared between gateways through Redis', async () => {
    const shared = {
      redisUrl: REDIS_URL,
      // Sharing is under test, not the read timeout: on a loaded machine a read slower than the
      // default 250 ms would count as a miss.
      persistedQueries: {
        apq: { redisKeyPrefix: `portico-test-${randomUUID()}:`, ttlSec: 60, redisTimeoutMs: 5_000 },
      },
    };
    const a = await platform.addGateway(shared);
    const b = await platform.addGateway(shared);
    const text = `{ health { status } } # ${randomUUID()}`;
    const hash = sha256(text);
    expect((await b.query({ extensions: apq(hash) }, { token })).body.errors[0].extensions.code).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
    expect((await a.query({ query: text, extensions: apq(hash) }, { token })).status).toBe(200);
    // The write to Redis is not awaited by Apollo Server; give it a moment.
    let hit = await b.query({ extensions: apq(hash) }, { token });
    await waitFor(
      async () => {
        hit = await b.query({ extensions: apq(hash) }, { token });
        return hit.body.errors === undefined;
      },
      { timeoutMs: 20_000, intervalMs: 50 },
    );
    expect(hit.body.errors).toBeUndefined();
    expect(hit.body.data.health.status).toBeTypeOf('string');
  });

  it.skipIf(noRedis)('an entry in Redis that is not the query its hash names is never run', async () => {
    const prefix = `portico-test-${randomUUID()}:`;
    const gateway = await platform.addGateway({
      redisUrl: REDIS_URL,
      persistedQueries: { apq: { redisKeyPrefix: prefix, ttlSec: 60 } },
    });
    const innocent = `{ health { status } } # ${randomUUID()}`;
    const hash = sha256(innocent);
    // Someone who can write to Redis files another query under the innocent query's hash.
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS_URL);
    try {
      await redis.set(`${prefix}apq:${hash}`, '{ tenant { name spendAlert } }', 'EX', 60);
      const answer = await gateway.query({ extensions: apq(hash) }, { token });
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(answer.body.data).toBeUndefined();
      expect(platform.subgraphRequests).toHaveLength(0);
      // The client then sends the real query, which runs (and replaces the forged entry).
      const real = await gateway.query({ query: innocent, extensions: apq(hash) }, { token });
      expect(real.body.data.health.status).toBeTypeOf('string');
    } finally {
      await redis.del(`${prefix}apq:${hash}`);
      redis.disconnect();
    }
  });

  describe('with Redis down or hanging', () => {
    let hanging: Server;
    let hangingUrl: string;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      // Accepts connections and never answers: the worst kind of outage.
      hanging = createServer((socket) => {
        sockets.add(socket);
      });
      await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
      hangingUrl = `redis://127.0.0.1:${(hanging.address() as { port: number }).port}`;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    });

    for (const [name, url] of [
      ['refused', () => 'redis://127.0.0.1:1'],
      ['hanging', () => hangingUrl],
    ] as const) {
      it(`${name}: APQ keeps working from memory, and no request waits on Redis`, async () => {
        const gateway: TestGateway = await platform.addGateway({
          redisUrl: url(),
          persistedQueries: { apq: { redisTimeoutMs: 100 } },
        });
        const text = `{ health { status } } # ${randomUUID()}`;
        const hash = sha256(text);
        const miss = await gateway.query({ extensions: apq(hash) }, { token });
        expect(miss.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
        expect((await gateway.query({ query: text, extensions: apq(hash) }, { token })).status).toBe(200);
        const hit = await gateway.query({ extensions: apq(hash) }, { token });
        expect(hit.status).toBe(200);
        expect(hit.body.data.health.status).toBeTypeOf('string');
        // Generous: the point is "about the Redis timeout at most", not a benchmark.
        for (const result of [miss, hit]) expect(result.ms).toBeLessThan(3_000);
      });
    }
  });
});

describe('safelist mode', () => {
  let platform: TestPlatform;
  let safelisted: TestGateway;
  let token: string;
  let root: string;
  let manifest: { operations: { id: string; name: string; body: string }[] };

  beforeAll(async () => {
    root = fixtureBffTree();
    const out = join(root, 'manifest.json');
    expect(
      await main(['manifest', '--out', out, join(root, 'bffs', '*', 'operations', '*.graphql')], quiet),
    ).toBe(0);
    manifest = JSON.parse(readFileSync(out, 'utf8'));
    platform = await startPlatform();
    safelisted = await platform.addGateway({ persistedQueries: { safelist: true, manifest: out } });
    token = await platform.token();
  });
  afterAll(async () => {
    await platform.close();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    platform.subgraphRequests.length = 0;
  });

  const op = (name: string) => manifest.operations.find((o) => o.name === name)!;

  function expectNotAllowed(result: GraphQLResult) {
    expect(result.status).toBe(400);
    expect(result.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(platform.subgraphRequests).toEqual([]);
  }

  it('runs a manifest operation sent by hash only, over POST and GET, without registering it first', async () => {
    const status = op('CliStatus');
    const post = await safelisted.query({ extensions: apq(status.id) });
    expect(post.status).toBe(200);
    expect(post.body.data.health.services.length).toBeGreaterThan(0);

    const url = `${safelisted.url}?operationName=CliStatus&extensions=${encodeURIComponent(JSON.stringify(apq(status.id)))}`;
    const get = await request(url, { headers: { 'apollo-require-preflight': '1' } });
    expect(get.statusCode).toBe(200);
    const got = (await get.body.json()) as { data?: { health?: { services?: unknown[] } } };
    expect(got.data?.health?.services?.length).toBeGreaterThan(0);
  });

  it('runs a manifest operation sent as its exact text, or laid out differently', async () => {
    const dashboard = op('WebDashboard');
    expect((await safelisted.query({ query: dashboard.body }, { token })).status).toBe(200);
    const relaidOut = `# the web dashboard\n${dashboard.body.replace(/\n\s*/g, ' ')}\nquery Unused { health { status } }`;
    const result = await safelisted.query({ query: relaidOut, operationName: 'WebDashboard' }, { token });
    expect(result.status).toBe(200);
    expect(result.body.data.tenant.name).toBe('Acme Corp');
  });

  it('refuses any other operation with 400 PERSISTED_QUERY_NOT_ALLOWED, before any subgraph call', async () => {
    expectNotAllowed(await safelisted.query({ query: '{ tenant { name } }' }, { token }));
    // One field more than the manifest's operation is another operation.
    const widened = op('CliStatus').body.replace('checkedAt', 'checkedAt\n    status');
    expectNotAllowed(await safelisted.query({ query: widened }, { token }));
    // Selecting the unlisted operation of a document that also holds a listed one.
    const mixed = `${op('CliStatus').body}\nquery Sneaky { tenants { totalCount } }`;
    expectNotAllowed(await safelisted.query({ query: mixed, operationName: 'Sneaky' }, { token }));
    expectNotAllowed(
      await safelisted.query({ extensions: apq(sha256('{ tenants { totalCount } }')) }, { token }),
    );
    expectNotAllowed(
      await safelisted.query([{ extensions: apq(op('CliStatus').id) }, { query: '{ tenant { name } }' }], {
        token,
      }),
    );
    expectNotAllowed(await safelisted.query({ query: '{ __schema { types { name } } }' }, { token }));
  });

  it('does not let APQ register an unlisted operation', async () => {
    const text = '{ tenant { id } }';
    expectNotAllowed(await safelisted.query({ query: text, extensions: apq(sha256(text)) }, { token }));
    expectNotAllowed(await safelisted.query({ extensions: apq(sha256(text)) }, { token }));
  });

  it('with safelist mode off, any operation runs', async () => {
    const result = await platform.query({ query: '{ tenant { name } }' }, { token });
    expect(result.status).toBe(200);
  });

  it('refuses to start in safelist mode without a manifest', async () => {
    const config = {
      ...platform.config,
      persistedQueries: {
        ...platform.config.persistedQueries,
        safelist: true,
        manifest: join(root, 'missing.json'),
      },
    };
    await expect(buildGateway(config)).rejects.toThrow(/missing\.json.*npm run manifest/);
  });
});
