import fc from 'fast-check';
import { request } from 'undici';
import { expect } from 'vitest';
import { isErrorCode } from '../../platform/errors.ts';

/** Requests per service of a fuzz run (the issue asks for at least 5,000). */
export const FUZZ_RUNS = 5_000;
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_240_601);

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
const mutatedQuery = (seeds: string[]) =>
  fc
    .tuple(
      fc.constantFrom(...seeds),
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

const operationOf = (seeds: string[]) =>
  fc.record(
    {
      query: fc.oneof(
        { weight: 8, arbitrary: mutatedQuery(seeds) },
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

export type Fuzzed = {
  method: 'GET' | 'POST';
  contentType: string | undefined;
  auth: string;
  body: string | Buffer;
  search: string;
};

/** A hostile HTTP request built from mutations of `seeds`. */
export const fuzzedRequest = (seeds: string[]) => {
  const operation = operationOf(seeds);
  return fc.record({
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
};

export interface FuzzTarget {
  url: string;
  /** Bearer tokens by the names fuzzed requests use: valid, expired, garbage. */
  tokens: Record<string, string>;
}

export interface FuzzOutcome {
  sent: number;
  statuses: Map<number, number>;
  codes: Map<string, number>;
  /** Request ids of requests refused as a whole (4xx with no data at all), with their status and code. */
  refused: Map<string, string>;
}

/** Text in a body that would mean an internal detail reached a client. */
const LEAKS =
  /Maximum call stack|RangeError|TypeError|ReferenceError|\bat [\w.<>]+ \(|node:internal|\.ts:\d+:\d+/;

/**
 * Sends `runs` fuzzed requests (fixed seed) and checks each answer: never a 5xx, JSON with a
 * catalogue code on every error, never INTERNAL, and nothing in any body that looks like a stack,
 * an engine error or a source location.
 */
export async function fuzzService(
  target: FuzzTarget,
  seeds: string[],
  options: { runs?: number; requestIdPrefix: string },
): Promise<FuzzOutcome> {
  const outcome: FuzzOutcome = { sent: 0, statuses: new Map(), codes: new Map(), refused: new Map() };
  await fc.assert(
    fc.asyncProperty(fuzzedRequest(seeds), async (fuzzed) => {
      outcome.sent += 1;
      const requestId = `${options.requestIdPrefix}${outcome.sent}`;
      const headers: Record<string, string> = {
        'x-request-id': requestId,
        'apollo-require-preflight': 'true',
      };
      if (fuzzed.contentType && fuzzed.method === 'POST') headers['content-type'] = fuzzed.contentType;
      if (fuzzed.auth !== 'none') headers.authorization = `Bearer ${target.tokens[fuzzed.auth]}`;
      const response = await request(
        fuzzed.method === 'GET' ? `${target.url}?${fuzzed.search}` : target.url,
        {
          method: fuzzed.method,
          headers,
          body: fuzzed.method === 'POST' ? fuzzed.body : undefined,
        },
      );
      const text = await response.body.text();
      const status = response.statusCode;
      outcome.statuses.set(status, (outcome.statuses.get(status) ?? 0) + 1);
      expect(status, text.slice(0, 300)).toBeLessThan(500);
      expect(text, 'an internal detail in the body').not.toMatch(LEAKS);
      const parsed = JSON.parse(text);
      const results = Array.isArray(parsed) ? parsed : [parsed];
      for (const result of results) {
        for (const error of result.errors ?? []) {
          const code = error.extensions?.code;
          outcome.codes.set(code, (outcome.codes.get(code) ?? 0) + 1);
          expect(isErrorCode(code), `${code}: ${error.message}`).toBe(true);
          expect(code).not.toBe('INTERNAL');
        }
      }
      // A batch answers per operation; it is refused as a whole only when no operation has data.
      if (status >= 400) {
        expect(
          results.some((result) => (result.errors ?? []).length > 0),
          text.slice(0, 300),
        ).toBe(true);
        if (results.every((result) => result.data === undefined || result.data === null)) {
          outcome.refused.set(requestId, `${status} ${results[0]?.errors?.[0]?.extensions?.code}`);
        }
      }
    }),
    { numRuns: options.runs ?? FUZZ_RUNS, seed: FUZZ_SEED, endOnFailure: true },
  );
  return outcome;
}

/** One line for the run's log: the status histogram and the codes seen, most frequent first. */
export function describeFuzz(service: string, outcome: FuzzOutcome): string {
  const statuses = JSON.stringify(Object.fromEntries([...outcome.statuses].sort()));
  const codes = JSON.stringify(Object.fromEntries([...outcome.codes].sort((a, b) => b[1] - a[1])));
  return `fuzz ${service}: ${outcome.sent} requests; statuses ${statuses}; ${outcome.refused.size} refused; codes ${codes}\n`;
}
