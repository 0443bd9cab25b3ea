import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../platform/config/load.ts';
import type { PorticoConfig } from '../../platform/config/schema.ts';

let keyDir: string | undefined;

/**
 * Where the services of this test process keep the gateway's assertion keys: one throwaway pair
 * per process (the first gateway built creates it, as in development), so every gateway and
 * subgraph a test starts agree on it and the developer's own keys are never touched.
 */
export function testKeyFiles(): { signingKeysFile: string; jwksFile: string } {
  if (!keyDir) {
    const dir = mkdtempSync(join(tmpdir(), 'portico-test-keys-'));
    keyDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return { signingKeysFile: join(keyDir, 'signing-keys.json'), jwksFile: join(keyDir, 'jwks.json') };
}

/**
 * portico.yaml with test overrides and no environment: tests never pick up a developer's shell
 * settings. Logs are silent unless PORTICO_TEST_LOG names a level. portico.yaml's declared rate
 * limits are left out (a test that wants limits declares its own), so suites that send many
 * requests are not refused by limits they do not test. The response cache is off unless a test
 * turns it on: suites that count subgraph calls or break subgraphs between requests must see
 * every request reach them.
 */
export function testConfig(overrides: Record<string, unknown> = {}): Readonly<PorticoConfig> {
  const rateLimits = { limits: [], ...((overrides.rateLimits as object | undefined) ?? {}) };
  const cache = { enabled: false, ...((overrides.cache as object | undefined) ?? {}) };
  const subgraphAuth = { ...testKeyFiles(), ...((overrides.subgraphAuth as object | undefined) ?? {}) };
  return loadConfig({
    env: {},
    overrides: {
      logLevel: process.env.PORTICO_TEST_LOG ?? 'silent',
      logPretty: false,
      ...overrides,
      rateLimits,
      cache,
      subgraphAuth,
    },
  });
}
