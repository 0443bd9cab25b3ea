import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JwksServer, startJwksServer } from '../helpers/jwks-server.ts';
import { closedPortUrl, startPlatform, type TestGateway, type TestPlatform } from '../helpers/platform.ts';

const PRIVATE = { query: '{ tenant { id } }' };
const PUBLIC = { query: '{ health { status } }' };

/**
 * Key rotation and JWKS outages, against a JWKS endpoint the test controls. Durations are the
 * smallest the config allows (whole seconds), so the timings below are the documented ones at
 * small scale: a new key works at once (unless a fetch happened within `cooldownSec`), a removed
 * key stops working after `cacheMaxAgeSec`, and an outage is bridged for `staleMaxAgeSec` more.
 */
describe('JWKS key rotation and outages', () => {
  let platform: TestPlatform;
  const servers: JwksServer[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(async () => {
    await platform.close();
    for (const server of servers) await server.close();
  });

  async function gatewayWith(
    jwks: Record<string, number>,
    url?: string,
  ): Promise<{ gateway: TestGateway; server: JwksServer }> {
    const server = await startJwksServer();
    servers.push(server);
    const gateway = await platform.addGateway({ auth: { jwksUrl: url ?? server.url, jwks } });
    return { gateway, server };
  }

  it('picks up a newly published key at once and drops a removed key after cacheMaxAgeSec', async () => {
    const { gateway, server } = await gatewayWith({ cacheMaxAgeSec: 1, cooldownSec: 0 });
    const a = await server.addKey();
    const tokenA = await server.sign(a);
    expect((await gateway.query(PRIVATE, { token: tokenA })).status).toBe(200);

    const b = await server.addKey();
    const tokenB = await server.sign(b);
    expect((await gateway.query(PRIVATE, { token: tokenB })).status).toBe(200);

    server.removeKey(a.kid);
    // Still in the cached set ...
    expect((await gateway.query(PRIVATE, { token: tokenA })).status).toBe(200);
    await sleep(1_200);
    // ... until the set is refetched.
    const removed = await gateway.query(PRIVATE, { token: tokenA });
    expect(removed.status).toBe(401);
    expect(removed.body.errors[0].message).toContain('unknown signing key');
    expect((await gateway.query(PRIVATE, { token: tokenB })).status).toBe(200);
  });

  it('refetches for unknown kids at most once per cooldownSec', async () => {
    const { gateway, server } = await gatewayWith({ cacheMaxAgeSec: 600, cooldownSec: 30 });
    const a = await server.addKey();
    expect((await gateway.query(PRIVATE, { token: await server.sign(a) })).status).toBe(200);
    const fetches = server.fetches;

    for (let i = 0; i < 20; i += 1) {
      const stranger = await server.unpublishedKey();
      const result = await gateway.query(PRIVATE, { token: await server.sign(stranger) });
      expect(result.status).toBe(401);
    }
    // A key published now waits out the cooldown too: the price of not letting kids drive fetches.
    const c = await server.addKey();
    expect((await gateway.query(PRIVATE, { token: await server.sign(c) })).status).toBe(401);
    expect(server.fetches).toBe(fetches);
  });

  it('bridges an outage with the last good set, without hammering or waiting on the endpoint, then answers 503', async () => {
    const { gateway, server } = await gatewayWith({
      cacheMaxAgeSec: 1,
      // Room for the steps below (about 3.5 s of waits, more on a loaded machine) before the
      // stale window ends.
      staleMaxAgeSec: 8,
      retryAfterFailureSec: 1,
      timeoutMs: 1_000,
    });
    const a = await server.addKey();
    const token = await server.sign(a);
    expect((await gateway.query(PRIVATE, { token })).status).toBe(200);
    const fetchedAt = Date.now();

    server.mode = 'error';
    await sleep(1_100);
    expect((await gateway.query(PRIVATE, { token })).status).toBe(200);
    const afterFailure = server.fetches;
    for (let i = 0; i < 10; i += 1) expect((await gateway.query(PRIVATE, { token })).status).toBe(200);
    expect(server.fetches).toBe(afterFailure);

    // A kid the last good set lacks cannot be judged while the endpoint is down: retry, not "bad token".
    const unknown = await gateway.query(PRIVATE, { token: await server.sign(await server.unpublishedKey()) });
    expect(unknown.status).toBe(503);
    expect(unknown.body.errors[0].extensions.code).toBe('GATEWAY_UNAVAILABLE');

    server.mode = 'hang';
    await sleep(1_100);
    const slow = await gateway.query(PRIVATE, { token });
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(950);
    // The next one does not wait on the hung endpoint again (a second of slack for a loaded machine).
    const fast = await gateway.query(PRIVATE, { token });
    expect(fast.status).toBe(200);
    expect(fast.ms).toBeLessThan(1_000);

    // cacheMaxAgeSec + staleMaxAgeSec after the last good fetch, tokens cannot be verified.
    await sleep(Math.max(0, fetchedAt + 9_100 - Date.now()));
    const stale = await gateway.query(PRIVATE, { token });
    expect(stale.status).toBe(503);
    expect(stale.headers['retry-after']).toBe('5');
    expect(stale.body.errors[0]).toMatchObject({
      message: 'token verification is unavailable; retry shortly',
      extensions: { code: 'GATEWAY_UNAVAILABLE' },
    });
    // Anonymous operations need no keys.
    expect((await gateway.query(PUBLIC)).status).toBe(200);

    server.mode = 'ok';
    await sleep(1_100);
    expect((await gateway.query(PRIVATE, { token })).status).toBe(200);
  });

  it('with the endpoint down from the start: 503 for tokens, anonymous operations still served', async () => {
    const { gateway, server } = await gatewayWith({ timeoutMs: 300 }, await closedPortUrl());
    const token = await server.sign(await server.addKey());
    const result = await gateway.query(PRIVATE, { token });
    expect(result.status).toBe(503);
    expect(result.body.errors[0].extensions.code).toBe('GATEWAY_UNAVAILABLE');
    expect(JSON.stringify(result.body)).not.toContain('127.0.0.1');
    expect((await gateway.query(PUBLIC)).status).toBe(200);
  });
});
