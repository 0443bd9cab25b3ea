import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isErrorCode } from '../../platform/errors.ts';
import { OPERATION_FIXTURES } from '../helpers/operations.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

const RUNS = 3_000;

/** Real operations to mutate, and small ones; none is expensive enough to slow the run down. */
function seeds(): string[] {
  const files = readdirSync(OPERATION_FIXTURES).flatMap((bff) =>
    readdirSync(join(OPERATION_FIXTURES, bff)).map((file) =>
      readFileSync(join(OPERATION_FIXTURES, bff, file), 'utf8'),
    ),
  );
  return [
    ...files,
    '{ health { status } }',
    '{ tenant { name invoices { totalCount } } }',
    'query Q($first: Int) { models(first: $first) { nodes { id name } } }',
    'mutation { setSpendAlert(threshold: 10) { id } }',
    '{ __schema { types { name } } }',
  ];
}

const PIECES = [
  '{',
  '}',
  '(',
  ')',
  '...',
  ':',
  '$',
  '@include(if: true)',
  '@skip(if: $x)',
  'a:',
  '__typename',
  'fragment F on Query { ...F }',
  '...F',
  'query',
  'mutation',
  'subscription',
  '"str"',
  '"""block"""',
  '#',
  '\u0000',
  '\uD800',
  '1e999',
  '[',
  ']',
  '=',
  '!',
  'on',
  'tenant',
  'models',
  'usage',
  '{ a { a { a { a { a { a { a { a {',
];

function tokensOf(query: string): string[] {
  return query.split(/(\s+|[{}():!$@[\]=,])/).filter((t) => t.length > 0);
}

/** A seed query with a few token-level edits: dropped, repeated, swapped, replaced or inserted. */
const mutatedQuery = fc
  .tuple(
    fc.constantFrom(...seeds()),
    fc.array(
      fc.tuple(
        fc.constantFrom('drop', 'repeat', 'insert', 'swap', 'nest'),
        fc.nat(),
        fc.constantFrom(...PIECES),
        fc.nat(60),
      ),
      { minLength: 0, maxLength: 4 },
    ),
  )
  .map(([seed, edits]) => {
    const tokens = tokensOf(seed);
    for (const [kind, at, piece, times] of edits) {
      const i = tokens.length === 0 ? 0 : at % tokens.length;
      if (kind === 'drop') tokens.splice(i, 1);
      if (kind === 'repeat') tokens.splice(i, 0, ...Array(times).fill(tokens[i] ?? piece));
      if (kind === 'insert') tokens.splice(i, 0, ` ${piece} `);
      if (kind === 'swap' && tokens.length > 1) [tokens[i], tokens[0]] = [tokens[0]!, tokens[i]!];
      if (kind === 'nest') tokens.splice(i, 0, `${'{ a '.repeat(times * 50)}`);
    }
    return tokens.join('');
  });

const jsonish = fc.jsonValue({ maxDepth: 4 });

const operation = fc.record(
  {
    query: fc.oneof(
      { weight: 8, arbitrary: mutatedQuery },
      { weight: 1, arbitrary: jsonish },
      fc.string({ unit: 'binary' }),
    ),
    variables: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      {
        weight: 3,
        arbitrary: fc.dictionary(fc.constantFrom('first', 'id', 'window', 'x', 'show'), jsonish, {
          maxKeys: 3,
        }),
      },
      jsonish,
    ),
    operationName: fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: fc.constantFrom('WebDashboard', 'CliStatus', 'Q', 'Nope') },
      jsonish,
    ),
    extensions: fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      fc.record({
        persistedQuery: fc.record({
          version: fc.constantFrom(1, 2),
          sha256Hash: fc.stringMatching(/^[0-9a-f]{64}$/),
        }),
      }),
      jsonish,
    ),
  },
  { requiredKeys: ['query'] },
);

type Fuzzed = {
  method: 'GET' | 'POST';
  contentType: string | undefined;
  auth: string;
  body: string | Buffer;
  search: string;
};

const fuzzedRequest = fc.record({
  method: fc.constantFrom<Fuzzed['method']>('POST', 'POST', 'POST', 'GET'),
  contentType: fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'application/graphql-response+json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        undefined,
      ),
    },
  ),
  auth: fc.oneof(
    { weight: 6, arbitrary: fc.constant('valid') },
    { weight: 3, arbitrary: fc.constantFrom('none', 'garbage', 'expired') },
  ),
  body: fc.oneof(
    { weight: 6, arbitrary: operation.map((o) => JSON.stringify(o)) },
    { weight: 2, arbitrary: fc.array(operation, { maxLength: 14 }).map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: jsonish.map((value) => JSON.stringify(value)) },
  ),
  search: operation.map((o) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(o)) {
      if (value !== undefined) params.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
    return params.toString();
  }),
});

/**
 * Thousands of random and mutated requests: the gateway never answers 5xx, never crashes, every
 * refusal carries a catalogue code, and no refused request reaches a subgraph (each request has
 * its own request id, which the gateway passes on to every subgraph call it makes).
 */
describe('fuzzing the gateway', () => {
  let platform: TestPlatform;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    platform = await startPlatform();
    tokens.valid = await platform.token({ scopes: ['billing:read'] });
    tokens.expired = (await platform.token()).replace(/\.[^.]+$/, '.AAAA');
    tokens.garbage = 'x.y.z';
  });
  afterAll(() => platform.close());

  it(`survives ${RUNS} hostile requests`, { timeout: 120_000 }, async () => {
    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    const refused = new Set<string>();
    let sent = 0;

    await fc.assert(
      fc.asyncProperty(fuzzedRequest, async (fuzzed) => {
        sent += 1;
        const requestId = `fuzz-${sent}`;
        const headers: Record<string, string> = {
          'x-request-id': requestId,
          'apollo-require-preflight': 'true',
        };
        if (fuzzed.contentType && fuzzed.method === 'POST') headers['content-type'] = fuzzed.contentType;
        if (fuzzed.auth !== 'none') headers.authorization = `Bearer ${tokens[fuzzed.auth]}`;
        const response = await request(
          fuzzed.method === 'GET' ? `${platform.gatewayUrl}?${fuzzed.search}` : platform.gatewayUrl,
          { method: fuzzed.method, headers, body: fuzzed.method === 'POST' ? fuzzed.body : undefined },
        );
        const text = await response.body.text();
        const status = response.statusCode;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(status, text.slice(0, 300)).toBeLessThan(500);
        const parsed = JSON.parse(text);
        for (const result of Array.isArray(parsed) ? parsed : [parsed]) {
          for (const error of result.errors ?? []) {
            const code = error.extensions?.code;
            codes.set(code, (codes.get(code) ?? 0) + 1);
            expect(isErrorCode(code), `${code}: ${error.message}`).toBe(true);
            expect(code).not.toBe('INTERNAL');
          }
        }
        // A batch answers per operation; it is refused as a whole only when no operation has data.
        const results = Array.isArray(parsed) ? parsed : [parsed];
        if (status >= 400) {
          expect(
            results.some((result) => (result.errors ?? []).length > 0),
            text.slice(0, 300),
          ).toBe(true);
          if (results.every((result) => result.data === undefined || result.data === null))
            refused.add(requestId);
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20_240_601), endOnFailure: true },
    );

    const fromRefused = platform.subgraphRequests.filter((r) => r.requestId && refused.has(r.requestId));
    const fromOurs = platform.subgraphRequests.filter((r) => r.requestId?.startsWith('fuzz-'));
    process.stdout.write(
      `fuzz: ${sent} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; ` +
        `${refused.size} refused, whose subgraph calls: ${fromRefused.length}; ` +
        `subgraph calls of served requests: ${fromOurs.length}\n` +
        `fuzz codes: ${JSON.stringify(Object.fromEntries([...codes].sort((a, b) => b[1] - a[1])))}\n`,
    );
    expect(sent).toBe(RUNS);
    // Both sides must be there for the checks below to mean anything.
    expect(refused.size).toBeGreaterThan(RUNS / 2);
    expect(fromOurs.length).toBeGreaterThan(0);
    expect(fromRefused).toEqual([]);
    expect(platform.subgraphRequests.every((r) => r.requestId?.startsWith('fuzz-'))).toBe(true);
    // Still alive and serving.
    const after = await platform.query({ query: '{ tenant { name } }' }, { token: tokens.valid });
    expect(after.body.data.tenant.name).toBe('Acme Corp');
  });
});
