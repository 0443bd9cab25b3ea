import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditServer } from '../helpers/audit.ts';
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
    const audit = await auditServer(platform.gatewayUrl);
    process.stdout.write(
      `graphql-http audit: ${audit.must - audit.failedMust.length}/${audit.must} MUST ok; ` +
        `${audit.others - audit.otherNotMet.length}/${audit.others} SHOULD/MAY ok` +
        `${audit.otherNotMet.map((name) => `\n  not met: ${name}`).join('')}\n`,
    );
    expect(audit.failedMust).toEqual([]);
    expect(audit.must).toBeGreaterThan(10);
  });
});
