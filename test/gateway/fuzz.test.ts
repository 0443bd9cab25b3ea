import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFuzz, FUZZ_RUNS, fuzzService } from '../helpers/fuzz.ts';
import { OPERATION_FIXTURES } from '../helpers/operations.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

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

  it(`survives ${FUZZ_RUNS} hostile requests`, { timeout: 240_000 }, async () => {
    const outcome = await fuzzService({ url: platform.gatewayUrl, tokens }, seeds(), {
      requestIdPrefix: 'fuzz-',
    });
    const { refused } = outcome;
    const fromRefused = platform.subgraphRequests.filter((r) => r.requestId && refused.has(r.requestId));
    const fromOurs = platform.subgraphRequests.filter((r) => r.requestId?.startsWith('fuzz-'));
    process.stdout.write(
      `${describeFuzz('gateway', outcome)}fuzz gateway: refused requests' subgraph calls: ${fromRefused.length}; ` +
        `subgraph calls of served requests: ${fromOurs.length}\n`,
    );
    expect(outcome.sent).toBe(FUZZ_RUNS);
    // Both sides must be there for the checks below to mean anything.
    expect(refused.size).toBeGreaterThan(FUZZ_RUNS / 2);
    expect(fromOurs.length).toBeGreaterThan(0);
    expect(fromRefused).toEqual([]);
    expect(platform.subgraphRequests.every((r) => r.requestId?.startsWith('fuzz-'))).toBe(true);
    // Still alive and serving.
    const after = await platform.query({ query: '{ tenant { name } }' }, { token: tokens.valid });
    expect(after.body.data.tenant.name).toBe('Acme Corp');
  });
});
