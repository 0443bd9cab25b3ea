import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getIntrospectionQuery, Kind, parse } from 'graphql';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postGraphQL } from '../helpers/http.ts';
import { startPlatform, type TestGateway, type TestPlatform } from '../helpers/platform.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'operations');
const BFFS = join(import.meta.dirname, '..', '..', 'bffs');

/** The BFFs' real operations and the heavier stand-ins kept as fixtures, one entry per operation. */
function realOperations() {
  const bffDirs = readdirSync(BFFS)
    .filter((bff) => bff !== 'kit')
    .map((bff) => join(BFFS, bff, 'operations'));
  const fixtureDirs = readdirSync(FIXTURES).map((bff) => join(FIXTURES, bff));
  return [...bffDirs, ...fixtureDirs].flatMap((dir) =>
    readdirSync(dir).flatMap((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return parse(text)
        .definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)
        .map((d) => ({ query: text, operationName: d.name!.value }));
    }),
  );
}

function nestedModels(depth: number): string {
  // models(1) nodes(2) replacement(3 ..) id(depth)
  let selection = 'id';
  for (let i = 0; i < depth - 3; i += 1) selection = `replacement { ${selection} }`;
  return `{ models(first: 1) { nodes { ${selection} } } }`;
}

const repeat = (count: number, text: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => text(i)).join(' ');

describe('query limits', () => {
  let platform: TestPlatform;
  let token: string;
  let limits: TestPlatform['config']['limits'];

  beforeAll(async () => {
    platform = await startPlatform();
    token = await platform.token({ scopes: ['billing:read', 'billing:write'] });
    limits = platform.config.limits;
  });
  afterAll(() => platform.close());
  beforeEach(() => {
    platform.subgraphRequests.length = 0;
  });

  async function expectLimit(payload: unknown, limit: string, found?: number, gateway?: TestGateway) {
    platform.subgraphRequests.length = 0;
    const result = gateway
      ? await gateway.query(payload, { token })
      : await platform.query(payload, { token });
    expect(result.status).toBe(400);
    expect(result.body.errors).toHaveLength(1);
    const [error] = result.body.errors;
    expect(error.extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(error.extensions.limit).toBe(limit);
    if (found !== undefined) expect(error.extensions.found).toBe(found);
    expect(error.message).toContain(`limits.${limit}`);
    expect(platform.subgraphRequests).toEqual([]);
  }

  async function expectServed(payload: unknown) {
    const result = await platform.query(payload, { token });
    expect(result.status, JSON.stringify(result.body.errors)).toBe(200);
    expect(result.body.data).toBeTruthy();
    return result;
  }

  it('every real operation of the BFFs passes every limit', async () => {
    const operations = realOperations();
    expect(operations.length).toBeGreaterThanOrEqual(6);
    for (const operation of operations) {
      const variables = { id: 'aurora-3-large', first: 30, window: 'LAST_30D', ids: ['aurora-3-large'] };
      const result = await platform.query({ ...operation, variables }, { token });
      expect(result.status, operation.operationName).toBe(200);
      const codes = (result.body.errors ?? []).map(
        (e: { extensions: { code: string } }) => e.extensions.code,
      );
      expect(codes, operation.operationName).not.toContain('QUERY_TOO_COMPLEX');
    }
  });

  it('depth: maxDepth is served, one more level is refused', async () => {
    await expectServed({ query: nestedModels(limits.maxDepth) });
    await expectLimit({ query: nestedModels(limits.maxDepth + 1) }, 'maxDepth', limits.maxDepth + 1);
  });

  it('depth: fragments add no level, and cannot be used to hide one', async () => {
    const inner = 'replacement { '.repeat(limits.maxDepth - 3);
    const close = ' }'.repeat(limits.maxDepth - 3);
    await expectServed({
      query: `{ models(first: 1) { nodes { ...M } } } fragment M on Model { ${inner}id${close} }`,
    });
    await expectLimit(
      {
        query: `{ models(first: 1) { nodes { ...M } } } fragment M on Model { replacement { ${inner}id${close} } }`,
      },
      'maxDepth',
      limits.maxDepth + 1,
    );
  });

  it('aliases: maxAliases is served, one more is refused, also through fragments', async () => {
    await expectServed({ query: `{ tenant { ${repeat(limits.maxAliases, (i) => `a${i}: name`)} } }` });
    await expectLimit(
      {
        query: `{ tenant { ...T } } fragment T on Tenant { ${repeat(limits.maxAliases + 1, (i) => `a${i}: name`)} }`,
      },
      'maxAliases',
      limits.maxAliases + 1,
    );
  });

  it('root fields: maxRootFields is served, one more is refused', async () => {
    await expectServed({ query: `{ ${repeat(limits.maxRootFields, (i) => `h${i}: health { status }`)} }` });
    await expectLimit(
      { query: `{ ${repeat(limits.maxRootFields + 1, (i) => `h${i}: health { status }`)} }` },
      'maxRootFields',
      limits.maxRootFields + 1,
    );
  });

  it('tokens: maxTokens is served, one more is refused before parsing', async () => {
    // Exactly `tokens` tokens, spread over fragments: a thousand copies of one field would trip
    // graphql-js's own budget for comparing overlapping fields before our limit is reached.
    const query = (tokens: number) => {
      const fragments = Math.floor((tokens - 6) / 9); // `...Fi` is 2 tokens, `fragment Fi on Query { __typename }` 7
      const padding = tokens - 6 - fragments * 9; // `{ health { status` and `} }` are the 6
      const spreads = repeat(fragments, (i) => `...F${i}`);
      const definitions = repeat(fragments, (i) => `fragment F${i} on Query { __typename }`);
      return `{ health { status ${'__typename '.repeat(padding)}} ${spreads} } ${definitions}`;
    };
    await expectServed({ query: query(limits.maxTokens) });
    await expectLimit({ query: query(limits.maxTokens + 1) }, 'maxTokens');
  });

  it('directives: maxDirectives is served, one more is refused', async () => {
    const query = (n: number) => `{ health { status ${repeat(n, () => '__typename @include(if: true)')} } }`;
    await expectServed({ query: query(limits.maxDirectives) });
    await expectLimit({ query: query(limits.maxDirectives + 1) }, 'maxDirectives', limits.maxDirectives + 1);
  });

  it('batches: up to maxBatchOperations run, more are refused with 413', async () => {
    const one = { query: '{ health { status } }' };
    const served = await platform.query([one, { query: '{ tenant { name } }' }], { token });
    expect(served.status).toBe(200);
    expect(served.body.map((r: { data: unknown }) => Object.keys(r.data as object))).toEqual([
      ['health'],
      ['tenant'],
    ]);
    platform.subgraphRequests.length = 0;

    const refused = await platform.query(Array(limits.maxBatchOperations + 1).fill(one), { token });
    expect(refused.status).toBe(413);
    expect(refused.body.errors[0]).toMatchObject({
      extensions: {
        code: 'PAYLOAD_TOO_LARGE',
        limit: 'maxBatchOperations',
        found: limits.maxBatchOperations + 1,
      },
    });
    expect(platform.subgraphRequests).toEqual([]);
  });

  it('each operation of a batch is held to the limits', async () => {
    const result = await platform.query(
      [{ query: '{ health { status } }' }, { query: nestedModels(limits.maxDepth + 1) }],
      {
        token,
      },
    );
    expect(result.status).toBe(400);
    expect(result.body[1].errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('limits come from portico.yaml (limits section), and batching can be switched off', async () => {
    const strict = await platform.addGateway({ limits: { maxDepth: 3, maxBatchOperations: 1 } });
    expect((await strict.query({ query: '{ tenant { plan { name } } }' }, { token })).status).toBe(200);
    const deep = await strict.query(
      { query: '{ tenant { quota { tokenLimit } usage { series { at } } } }' },
      { token },
    );
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      limit: 'maxDepth',
      max: 3,
      found: 4,
    });
    const batch = await strict.query([{ query: '{ health { status } }' }], { token });
    expect(batch.status).toBe(400);
    expect(batch.body.errors[0].message).toContain('limits.maxBatchOperations');
  });
});

describe('schema exposure and CSRF', () => {
  let platform: TestPlatform;
  let production: TestGateway;
  let token: string;

  beforeAll(async () => {
    platform = await startPlatform();
    production = await platform.addGateway({ environment: 'production' });
    token = await platform.token();
  });
  afterAll(() => platform.close());

  it('introspection works in development (the full GraphiQL query passes the limits) and is off in production', async () => {
    const introspection = { query: getIntrospectionQuery() };
    const dev = await platform.query(introspection, { token });
    expect(dev.status).toBe(200);
    expect(dev.body.data.__schema.queryType.name).toBe('Query');
    const prod = await production.query(introspection, { token });
    expect(prod.status).toBe(400);
    expect(prod.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(prod.body)).not.toContain('__Schema"');
  });

  it('field suggestions only in development', async () => {
    const typo = { query: '{ tenat { name } }' };
    const dev = await platform.query(typo, { token });
    expect(dev.body.errors[0].message).toContain('Did you mean');
    const prod = await production.query(typo, { token });
    expect(prod.status).toBe(400);
    expect(prod.body.errors[0].message).not.toContain('Did you mean');
    expect(prod.body.errors[0].message).not.toContain('tenant');
  });

  it('CSRF prevention: a simple request without a preflight header is refused', async () => {
    const text = await request(production.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ health { status } }' }),
    });
    expect(text.statusCode).toBe(400);
    expect(await text.body.text()).toContain('Cross-Site Request Forgery');

    const get = `${production.url}?query=${encodeURIComponent('{ health { status } }')}`;
    const bare = await request(get);
    expect(bare.statusCode).toBe(400);
    await bare.body.dump();
    const preflighted = await request(get, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.statusCode).toBe(200);
    await preflighted.body.dump();
    // JSON POSTs are preflighted by browsers, so they pass.
    expect((await postGraphQL(production.url, { query: '{ health { status } }' })).status).toBe(200);
  });
});
