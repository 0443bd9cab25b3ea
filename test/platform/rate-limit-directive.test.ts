import { readFileSync } from 'node:fs';
import { buildSchema, execute, Kind, parse, print } from 'graphql';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.ts';
import { createFieldRateLimits, rateLimitDirectiveTypeDefs } from '../../platform/rate-limit/directive.ts';
import type { Service } from '../../platform/service.ts';
import { buildSubgraphService } from '../../subgraphs/registry.ts';
import { schemaPath } from '../../subgraphs/shared/build.ts';
import { asGateway } from '../helpers/assertions.ts';
import { testConfig } from '../helpers/config.ts';
import { postGraphQL } from '../helpers/http.ts';
import { closedPortUrl, startPlatform } from '../helpers/platform.ts';

const log = createLogger('test', { logLevel: 'silent', logPretty: false });

function directiveDefinition(sdl: string) {
  const definition = parse(sdl).definitions.find(
    (d) => d.kind === Kind.DIRECTIVE_DEFINITION && d.name.value === 'rateLimit',
  );
  return definition ? print(definition) : undefined;
}

describe('@rateLimit in a subgraph', () => {
  let billing: Service;
  let url: string;
  const as = async (user: string) => ({
    headers: await asGateway({ audience: 'billing', sub: user, tenant: 'acme', scopes: ['billing:write'] }),
  });
  const mutation = { query: 'mutation { setSpendAlert(threshold: 7) { spendAlert } }' };

  beforeAll(async () => {
    billing = await buildSubgraphService('billing', testConfig());
    url = `${await billing.listen(0, '127.0.0.1')}/graphql`;
  });
  afterAll(() => billing.close());

  it("declares graphql-rate-limit-directive's own definition", () => {
    expect(directiveDefinition(readFileSync(schemaPath('billing'), 'utf8'))).toBe(
      directiveDefinition(rateLimitDirectiveTypeDefs),
    );
  });

  it('counts each call per caller; over the limit the field fails with RATE_LIMITED and retryAfter', async () => {
    for (let i = 0; i < 10; i += 1) {
      expect(
        (await postGraphQL(url, mutation, await as('direct-1'))).body.data.setSpendAlert.spendAlert,
      ).toBe(7);
    }
    const over = await postGraphQL(url, mutation, await as('direct-1'));
    // A field error, not a failed request: the subgraph answers 200 and the gateway places the error.
    expect(over.status).toBe(200);
    expect(over.body.data).toEqual({ setSpendAlert: null });
    expect(over.body.errors).toEqual([
      {
        message: expect.stringMatching(
          /^Mutation\.setSpendAlert is limited to 10 calls per 60 s; retry in \d+ s$/,
        ),
        locations: [{ line: 1, column: 12 }],
        path: ['setSpendAlert'],
        extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
      },
    ]);
    expect(over.body.errors[0].extensions.retryAfter).toBeGreaterThan(55);
    expect((await postGraphQL(url, mutation, await as('direct-2'))).body.data.setSpendAlert.spendAlert).toBe(
      7,
    );
  });

  it('through a gateway that cannot see the count (memory store), the subgraph refusal reaches the client', async () => {
    const platform = await startPlatform();
    try {
      const token = await platform.token({ sub: 'via-gateway', scopes: ['billing:write'] });
      for (let i = 0; i < 10; i += 1) await platform.query(mutation, { token });
      const over = await platform.query(mutation, { token });
      expect(over.status).toBe(200);
      expect(over.body.data).toEqual({ setSpendAlert: null });
      expect(over.body.errors[0]).toMatchObject({
        path: ['setSpendAlert'],
        extensions: {
          code: 'RATE_LIMITED',
          service: 'billing',
          retryable: true,
          retryAfter: expect.any(Number),
        },
      });
    } finally {
      await platform.close();
    }
  });
});

describe('createFieldRateLimits on any Apollo Server schema (what the BFFs use)', () => {
  const sdl = `${rateLimitDirectiveTypeDefs}\ntype Query { ping: String @rateLimit(limit: 2, duration: 60) }`;
  const run = (schema: ReturnType<typeof buildSchema>, user: string) =>
    execute({ schema, document: parse('{ ping }'), rootValue: { ping: 'pong' }, contextValue: { user } });

  it('limits per the caller the context names', async () => {
    const limits = createFieldRateLimits({ config: testConfig(), service: 'bff-test', log });
    const schema = limits.apply(buildSchema(sdl), (context: { user: string }) => context.user);
    expect((await run(schema, 'a')).data).toEqual({ ping: 'pong' });
    expect((await run(schema, 'a')).data).toEqual({ ping: 'pong' });
    const over = await run(schema, 'a');
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await run(schema, 'b')).data).toEqual({ ping: 'pong' });
    await limits.close();
  });

  it('store unreachable: fail-open serves and counts the failure, fail-closed fails the field', async () => {
    const redisUrl = (await closedPortUrl()).replace(/^http/, 'redis').replace('/graphql', '');
    const metrics = new Registry();
    const open = createFieldRateLimits({
      config: testConfig({ redisUrl }),
      service: 'bff-test',
      log,
      metrics,
    });
    expect(await open.ready(300)).toBe(false);
    const served = await run(
      open.apply(buildSchema(sdl), () => 'a'),
      'a',
    );
    expect(served).toEqual({ data: { ping: 'pong' } });
    expect(await metrics.getSingleMetricAsString('rate_limit_store_failures_total')).toMatch(
      /rate_limit_store_failures_total\{mode="open"\} 1/,
    );
    await open.close();

    const closed = createFieldRateLimits({
      config: testConfig({ redisUrl, rateLimits: { onStoreFailure: 'closed' } }),
      service: 'bff-test',
      log,
    });
    const refused = await run(
      closed.apply(buildSchema(sdl), () => 'a'),
      'a',
    );
    expect(refused.data).toEqual({ ping: null });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'GATEWAY_UNAVAILABLE' });
    await closed.close();
  });
});
