import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

/**
 * Hostile or broken requests: each gets a 4xx with a catalogue code, and none reaches a subgraph
 * (asserted at the subgraphs themselves). A valid token is sent throughout, so what is refused is
 * the request, not the caller.
 */
describe('hostile input at the gateway', () => {
  let platform: TestPlatform;
  let token: string;

  beforeAll(async () => {
    platform = await startPlatform();
    token = await platform.token();
  });
  afterAll(() => platform.close());
  beforeEach(() => {
    platform.subgraphRequests.length = 0;
  });

  async function raw(body: string | Buffer, headers: Record<string, string>, method = 'POST') {
    const response = await request(platform.gatewayUrl, {
      method: method as 'POST',
      headers: { authorization: `Bearer ${token}`, ...headers },
      body: method === 'GET' ? undefined : body,
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: JSON.parse(text) };
  }

  function expectRefused(
    result: { status: number; body: { errors?: { extensions?: { code?: string } }[] } },
    status: number,
    code: string,
  ) {
    expect(result.status).toBe(status);
    expect(result.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(platform.subgraphRequests).toEqual([]);
  }

  const json = { 'content-type': 'application/json' };

  it('malformed JSON: 400 BAD_REQUEST', async () => {
    expectRefused(await raw('{"query": "{ health { status } }"', json), 400, 'BAD_REQUEST');
  });

  it('prototype poisoning in the JSON: 400 BAD_REQUEST', async () => {
    expectRefused(
      await raw('{"query": "{ health { status } }", "variables": {"__proto__": {"admin": true}}}', json),
      400,
      'BAD_REQUEST',
    );
  });

  it('wrong content type: 415 for an unknown one, 400 (CSRF) for a simple one', async () => {
    expectRefused(await raw('<query/>', { 'content-type': 'application/xml' }), 415, 'BAD_REQUEST');
    expectRefused(await raw('{ health { status } }', { 'content-type': 'text/plain' }), 400, 'BAD_REQUEST');
    expectRefused(
      await raw('query=%7B%20health%20%7B%20status%20%7D%20%7D', {
        'content-type': 'application/x-www-form-urlencoded',
      }),
      415,
      'BAD_REQUEST',
    );
  });

  it('a query that is not a string: 400 BAD_REQUEST', async () => {
    for (const query of [42, ['{ health { status } }'], { kind: 'Document', definitions: [] }, true]) {
      expectRefused(await platform.query({ query }, { token }), 400, 'BAD_REQUEST');
    }
  });

  it('other malformed parameters: 400 BAD_REQUEST', async () => {
    const query = '{ health { status } }';
    for (const payload of [
      {},
      { query: '' },
      { query, variables: '{"a": 1}' },
      { query, variables: [1, 2] },
      { query, operationName: 7 },
      { query, extensions: 'x' },
      [],
      'just a string',
      null,
    ]) {
      expectRefused(await platform.query(payload, { token }), 400, 'BAD_REQUEST');
    }
  });

  it('an oversized body: 413 PAYLOAD_TOO_LARGE naming the limit', async () => {
    const filler = 'x'.repeat(platform.config.gateway.maxBodyBytes);
    const result = await raw(JSON.stringify({ query: '{ health { status } }', variables: { filler } }), json);
    expectRefused(result, 413, 'PAYLOAD_TOO_LARGE');
    expect(result.body.errors[0].message).toContain(String(platform.config.gateway.maxBodyBytes));
  });

  it('huge variables under the body limit: 413 PAYLOAD_TOO_LARGE (limits.maxVariablesBytes)', async () => {
    const after = 'A'.repeat(platform.config.limits.maxVariablesBytes);
    const result = await platform.query(
      { query: 'query ($after: String) { models(after: $after) { totalCount } }', variables: { after } },
      { token },
    );
    expectRefused(result, 413, 'PAYLOAD_TOO_LARGE');
    expect(result.body.errors[0].extensions).toMatchObject({ limit: 'maxVariablesBytes' });
  });

  it('deep nesting: 400 QUERY_TOO_COMPLEX (depth, or tokens when it is very deep)', async () => {
    const depth = platform.config.limits.maxDepth + 1;
    let query = 'id';
    for (let i = 0; i < depth - 3; i += 1) query = `replacement { ${query} }`;
    query = `{ models { nodes { ${query} } } }`;
    const deep = await platform.query({ query }, { token });
    expectRefused(deep, 400, 'QUERY_TOO_COMPLEX');
    expect(deep.body.errors[0].extensions).toMatchObject({ limit: 'maxDepth', found: depth });

    const veryDeep = `${'{ a '.repeat(50_000)}${'}'.repeat(50_000)}`;
    const tokens = await platform.query({ query: veryDeep }, { token });
    expectRefused(tokens, 400, 'QUERY_TOO_COMPLEX');
    expect(tokens.body.errors[0].extensions).toMatchObject({ limit: 'maxTokens' });
  });

  it('alias bombs: 400 QUERY_TOO_COMPLEX (aliases)', async () => {
    const aliases = Array.from({ length: 200 }, (_, i) => `a${i}: name`).join(' ');
    const result = await platform.query({ query: `{ tenant { ${aliases} } }` }, { token });
    expectRefused(result, 400, 'QUERY_TOO_COMPLEX');
    expect(result.body.errors[0].extensions).toMatchObject({ limit: 'maxAliases', found: 200 });
  });

  it('fragment cycles: 400 GRAPHQL_VALIDATION_FAILED, without hanging', async () => {
    const query =
      'query { ...A } fragment A on Query { tenant { name } ...B } fragment B on Query { models { totalCount } ...A }';
    expectRefused(await platform.query({ query }, { token }), 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('an unknown operationName: 400 OPERATION_NOT_FOUND', async () => {
    const result = await platform.query(
      { query: 'query A { health { status } } query B { tenant { name } }', operationName: 'C' },
      { token },
    );
    expectRefused(result, 400, 'OPERATION_NOT_FOUND');
  });

  it('several operations and no operationName: 400 OPERATION_NOT_FOUND', async () => {
    const result = await platform.query(
      { query: 'query A { health { status } } query B { tenant { name } }' },
      { token },
    );
    expectRefused(result, 400, 'OPERATION_NOT_FOUND');
  });

  it('variables of the wrong type: 400 BAD_REQUEST', async () => {
    const query =
      'query ($first: Int, $window: UsageWindow!) { models(first: $first) { nodes { usage(window: $window) { requests } } } }';
    for (const variables of [
      { first: 'ten', window: 'LAST_7D' },
      { first: 1.5, window: 'LAST_7D' },
      { first: 1, window: 'LAST_YEAR' },
      { first: 1 },
      { first: 1, window: { nested: ['deep'] } },
    ]) {
      expectRefused(await platform.query({ query, variables }, { token }), 400, 'BAD_REQUEST');
    }
  });

  it('syntax errors and unknown fields: 400 with the parse or validation code', async () => {
    expectRefused(
      await platform.query({ query: '{ health { status }' }, { token }),
      400,
      'GRAPHQL_PARSE_FAILED',
    );
    expectRefused(
      await platform.query({ query: '{ secrets }' }, { token }),
      400,
      'GRAPHQL_VALIDATION_FAILED',
    );
  });

  it('a batch with one malformed item: 400 naming the item, and none of the others runs', async () => {
    const writer = await platform.token({ scopes: ['billing:write'] });
    const result = await platform.query(
      [{ query: 'mutation { setSpendAlert(threshold: 99) { id } }' }, { query: { kind: 'Document' } }],
      { token: writer },
    );
    expectRefused(result, 400, 'BAD_REQUEST');
    expect(result.body.errors[0].message).toBe('batch item 1: `query` must be a string');
    const after = await platform.query({ query: '{ tenant { spendAlert } }' }, { token });
    expect(after.body.data.tenant.spendAlert).toBeNull();
  });

  it('headers or a URL too large for the HTTP parser: 431 in the same error shape', async () => {
    const response = await request(`${platform.gatewayUrl}?query=${'x'.repeat(20_000)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(431);
    const body = (await response.body.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
    expect(platform.subgraphRequests).toEqual([]);
  });

  it('a mutation over GET: 405', async () => {
    const url = `${platform.gatewayUrl}?query=${encodeURIComponent('mutation { setSpendAlert(threshold: 1) { id } }')}`;
    const response = await request(url, {
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    const body = (await response.body.json()) as { errors: { extensions: { code: string } }[] };
    expect(response.statusCode).toBe(405);
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
    expect(platform.subgraphRequests).toEqual([]);
  });

  it('a subscription: 400 SUBSCRIPTIONS_NOT_SUPPORTED, not a 500', async () => {
    expectRefused(
      await raw(JSON.stringify({ query: 'subscription { health { status } }' }), json),
      400,
      'SUBSCRIPTIONS_NOT_SUPPORTED',
    );
  });

  it('variables nested 5,000 deep inside the size limit: 400 BAD_REQUEST, measured without recursion', async () => {
    const deep = `{"query":"query ($x: [ID!]) { health { status } }","variables":{"x":${'['.repeat(5_000)}${']'.repeat(5_000)}}}`;
    expectRefused(await raw(deep, json), 400, 'BAD_REQUEST');
    const deepObject = `{"query":"{ health { status } }","variables":{"x":${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}}}`;
    expectRefused(await raw(deepObject, json), 400, 'BAD_REQUEST');
  });

  it('PUT, DELETE and PATCH: 405 with Allow', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const response = await request(platform.gatewayUrl, { method: method as 'PUT' });
      expect(response.statusCode, method).toBe(405);
      expect(response.headers.allow, method).toBe('GET, HEAD, POST, OPTIONS');
      const body = (await response.body.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
    }
    expect(platform.subgraphRequests).toEqual([]);
  });
});
