import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';

/**
 * graphql-http's server audit (the GraphQL-over-HTTP spec) against the gateway. Two MUST items
 * query `__type`, so the audit runs against the development config, where introspection is on;
 * it sends no token, so it also shows that `__typename` and (in development) introspection are
 * open to anonymous callers. Every MUST item has to pass; SHOULD and MAY items are reported.
 */
describe('GraphQL over HTTP conformance (graphql-http audit)', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(() => platform.close());

  it('passes every MUST item', async () => {
    expect(platform.config.environment).toBe('development');
    const results = [];
    for (const audit of serverAudits({ url: platform.gatewayUrl, fetchFn: fetch })) {
      results.push(await audit.fn());
    }
    const must = results.filter((result) => result.name.startsWith('MUST'));
    const failed = must.filter((result) => result.status !== 'ok');
    const others = results.filter((result) => !result.name.startsWith('MUST') && result.status !== 'ok');
    process.stdout.write(
      `graphql-http audit: ${must.length - failed.length}/${must.length} MUST ok; ` +
        `${results.length - must.length - others.length}/${results.length - must.length} SHOULD/MAY ok` +
        `${others.map((r) => `\n  not met: ${r.name}`).join('')}\n`,
    );
    expect(failed.map((result) => `${result.name}: ${'reason' in result ? result.reason : ''}`)).toEqual([]);
    expect(must.length).toBeGreaterThan(10);
  });
});
