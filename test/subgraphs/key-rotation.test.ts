import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKeySet } from '../../platform/assertion/keys.ts';
import { addKey, initKeys, promoteKey, retireKey } from '../../platform/assertion/rotation.ts';
import { subgraphNames } from '../../platform/config/runtime.ts';
import { signAssertion } from '../helpers/assertions.ts';
import { postGraphQL } from '../helpers/http.ts';
import { startPlatform, type TestPlatform } from '../helpers/platform.ts';
import { waitFor } from '../helpers/wait-for.ts';

const QUERY = {
  query: '{ tenant { name usage { requests } } models(first: 1) { nodes { availability { status } } } }',
};

/**
 * A rotation of the gateway's assertion key, step by step, while traffic flows: no request may
 * fail, the gateway ends up signing with the new key, and the retired key stops working.
 */
describe('rotating the gateway assertion key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-rotation-'));
  const files = { signingKeysFile: join(dir, 'signing.json'), jwksFile: join(dir, 'jwks.json') };
  const subgraphAuth = { ...files, reloadIntervalSec: 1 };
  let platform: TestPlatform;

  beforeAll(async () => {
    await initKeys(files);
    platform = await startPlatform({
      gateway: { subgraphAuth },
      subgraphOverrides: Object.fromEntries(subgraphNames.map((name) => [name, { subgraphAuth }])),
    });
  });
  afterAll(async () => {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const kidsSeen = () =>
    new Set(
      platform.subgraphRequests.map(
        (r) => decodeProtectedHeader(String(r.headers.authorization).slice('Bearer '.length)).kid,
      ),
    );

  it('add, promote, retire: every request is served throughout', { timeout: 60_000 }, async () => {
    const token = await platform.token();
    const failures: unknown[] = [];
    let served = 0;
    let running = true;
    const traffic = (async () => {
      while (running) {
        const { status, body } = await platform.query(QUERY, { token });
        if (status !== 200 || body.errors) failures.push({ status, errors: body.errors });
        else served += 1;
      }
    })();
    try {
      const [first] = readKeySet(files.signingKeysFile).keys;
      const old = first!.kid!;
      const next = (await addKey(files)).keys[1]!.kid!;
      // Every subgraph re-reads its file within reloadIntervalSec: then the new key may sign.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      platform.subgraphRequests.length = 0;
      promoteKey(files, next);
      expect(await waitFor(() => kidsSeen().has(next), { timeoutMs: 15_000 })).toBe(true);
      // The gateway has switched: once the last assertions signed with the old key are past, retire it.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      retireKey(files, old);
      const oldKey = first!;
      const refusedOld = await waitFor(
        async () => {
          const authorization = `Bearer ${await signAssertion({ audience: 'billing', sub: 'a', tenant: 'acme', key: oldKey })}`;
          const response = await postGraphQL(
            platform.subgraphUrls.billing!,
            { query: '{ tenant { id } }' },
            { headers: { authorization } },
          );
          return response.status === 401;
        },
        { timeoutMs: 15_000, intervalMs: 200 },
      );
      expect(refusedOld).toBe(true);
      platform.subgraphRequests.length = 0;
      await waitFor(() => platform.subgraphRequests.length > 0, { timeoutMs: 10_000 });
      expect(kidsSeen()).toEqual(new Set([next]));
    } finally {
      running = false;
      await traffic;
    }
    expect(failures).toEqual([]);
    expect(served).toBeGreaterThan(10);
  });
});
