import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../platform/paths.ts';
import { runCli } from '../helpers/cli.ts';
import { scrape } from '../helpers/metrics.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';
import { REDIS_URL, skipWithoutRedis } from '../helpers/redis.ts';
import { type SchemaFixture, schemaFixture } from '../helpers/schema-fixture.ts';

const MODELS = 'subgraphs/models/schema.graphql';
const IOS = { 'apollographql-client-name': 'ios', 'apollographql-client-version': '3.2.0' };
const WEB = { 'apollographql-client-name': 'web-app', 'apollographql-client-version': '1.0.0' };
// Two literals, one signature: Apollo's signature hides literals, so these count as one operation.
const catalogue = (first: number) =>
  `query Catalogue { models(first: ${first}) { nodes { id name family } } }`;
const NAMES = 'query Names { models(first: 1) { nodes { id name provider } } }';

describe('field usage recorded from real requests, and schema check against it', () => {
  let platform: TestPlatform;
  let dir: string;
  let fixture: SchemaFixture | undefined;
  let token: string;

  beforeAll(async () => {
    // The gateway serves a supergraph in which Model.family is deprecated.
    dir = mkdtempSync(join(tmpdir(), 'portico-usage-'));
    const supergraph = join(dir, 'supergraph.graphql');
    writeFileSync(
      supergraph,
      readFileSync(join(projectRoot, 'supergraph.graphql'), 'utf8').replace(
        '  family: String! @join__field(graph: MODELS)',
        '  family: String! @join__field(graph: MODELS) @deprecated(reason: "Use `provider` instead.")',
      ),
    );
    platform = await startPlatform({ gateway: { gateway: { supergraphPath: supergraph } } });
    token = await platform.token();
  });
  afterAll(async () => {
    await platform?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    fixture?.remove();
    fixture = undefined;
  });
  const exportUsage = () =>
    runCli(['schema', 'usage', '--since', '1d', '--gateway', platform.gatewayAdminUrl]);

  it('tells the client in the response that it used a deprecated field, and counts it per client', async () => {
    const { body } = await platform.query({ query: catalogue(2) }, { token, headers: IOS });
    expect(body.errors).toBeUndefined();
    expect(body.extensions?.deprecations).toEqual([
      { coordinate: 'Model.family', reason: 'Use `provider` instead.', replacement: 'provider' },
    ]);
    await platform.query({ query: catalogue(3) }, { token, headers: IOS });
    const { body: clean } = await platform.query({ query: NAMES }, { token, headers: WEB });
    expect(clean.extensions?.deprecations).toBeUndefined();
    const metrics = await scrape(platform.gatewayAdminUrl);
    expect(
      metrics.value('gateway_deprecated_field_uses_total', { coordinate: 'Model.family', client: 'ios' }),
    ).toBe(2);
    expect(metrics.value('gateway_deprecated_field_uses_total', { client: 'web-app' })).toBe(0);
  });

  it('exports usage per operation signature and client with `portico schema usage`', async () => {
    const { code, stdout } = await exportUsage();
    expect(code).toBe(0);
    const exported = JSON.parse(stdout) as {
      version: number;
      operations: {
        client: string;
        clientVersion: string;
        operation: string;
        count: number;
        coordinates: string[];
      }[];
    };
    expect(exported.version).toBe(1);
    const ios = exported.operations.filter((op) => op.client === 'ios');
    expect(ios).toHaveLength(1);
    expect(ios[0]).toMatchObject({ operation: 'Catalogue', clientVersion: '3.2.0', count: 2 });
    expect(ios[0]?.coordinates).toEqual(
      expect.arrayContaining(['Query.models', 'Model.family', 'Model.name']),
    );
    const web = exported.operations.find((op) => op.client === 'web-app');
    expect(web).toMatchObject({ operation: 'Names', count: 1 });
    expect(web?.coordinates).not.toContain('Model.family');
  });

  it('fails removing a field recorded traffic still uses, naming client and operation; passes an unused one', async () => {
    const { stdout } = await exportUsage();
    fixture = schemaFixture();
    fixture.write('usage.json', stdout);
    const usageFile = join(fixture.root, 'usage.json');

    fixture.edit(MODELS, '  family: String!\n', '');
    const used = await fixture.check('--usage', usageFile);
    expect(used.code).toBe(1);
    expect(used.out).toContain('used by recorded traffic (1 operation):');
    expect(used.out).toContain('ios 3.2.0: Catalogue (2 requests, last seen');
    expect(used.out).toMatch(
      /- Model\.family: breaking change used by recorded traffic: ios 3\.2\.0: Catalogue/,
    );
    // Without the recorded usage no registered operation uses it: the same change would pass.
    expect((await fixture.check()).code).toBe(0);
    fixture.remove();

    fixture = schemaFixture();
    fixture.write('usage.json', stdout);
    fixture.edit(MODELS, '  releasedAt: String!\n', '');
    const unused = await fixture.check('--usage', join(fixture.root, 'usage.json'));
    expect(unused.code).toBe(0);
    expect(unused.out).toMatch(/BREAKING +Model\.releasedAt: [\s\S]*unused in the recorded traffic/);
  });

  it('refuses a usage file that is not an export', async () => {
    fixture = schemaFixture();
    fixture.write('usage.json', '{"operations": 3}');
    const { code, err } = await fixture.check('--usage', join(fixture.root, 'usage.json'));
    expect(code).toBe(2);
    expect(err).toContain('not a usage export');
  });
});

describe('field usage in Redis, shared by gateway replicas', () => {
  let platform: TestPlatform | undefined;
  let fixture: SchemaFixture | undefined;
  let dir: string;
  let skip = false;
  const prefix = `portico:test:usage:${process.pid}:${Date.now()}:`;

  beforeAll(async () => {
    skip = await skipWithoutRedis('field usage in Redis');
    if (skip) return;
    dir = mkdtempSync(join(tmpdir(), 'portico-usage-redis-'));
    const usage = { redisKeyPrefix: prefix, flushIntervalMs: 100 };
    platform = await startPlatform({ gateway: { redisUrl: REDIS_URL, telemetry: { usage } } });
    const second = await platform.addGateway({ redisUrl: REDIS_URL, telemetry: { usage } });
    const token = await platform.token();
    await platform.query({ query: catalogue(2) }, { token, headers: IOS });
    await second.query({ query: catalogue(5) }, { token, headers: IOS });
    // A config the CLI reads: the same Redis and key prefix as the gateways.
    writeFileSync(
      join(dir, 'portico.yaml'),
      `redisUrl: ${REDIS_URL}\ntelemetry:\n  usage:\n    redisKeyPrefix: "${prefix}"\n`,
    );
  });
  afterAll(async () => {
    await platform?.close();
    fixture?.remove();
    if (!skip) {
      const { Redis } = await import('ioredis');
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts both replicas and judges a schema change straight from Redis', async ({ skip: skipTest }) => {
    if (skip) skipTest();
    const env = { PORTICO_CONFIG: join(dir, 'portico.yaml') };
    // Counts reach Redis within a flush interval; wait for both replicas' counts to be there.
    let exported: { operations: { client: string; count: number }[] } = { operations: [] };
    for (let tries = 0; tries < 50; tries += 1) {
      const { code, stdout } = await runCli(['schema', 'usage', '--since', '1d'], { env });
      expect(code).toBe(0);
      exported = JSON.parse(stdout);
      if (exported.operations.find((op) => op.client === 'ios')?.count === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(exported.operations).toEqual([
      expect.objectContaining({ client: 'ios', operation: 'Catalogue', count: 2 }),
    ]);
    fixture = schemaFixture();
    fixture.edit(MODELS, '  family: String!\n', '');
    const { code, stdout } = await runCli(
      ['schema', 'check', '--root', fixture.root, '--usage', 'redis', '--since', '1d'],
      { env },
    );
    expect(code).toBe(1);
    expect(stdout).toContain(
      'Model.family: breaking change used by recorded traffic: ios 3.2.0: Catalogue (2 requests',
    );
  });
});
