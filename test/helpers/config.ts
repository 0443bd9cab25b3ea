import { loadConfig } from '../../platform/config/load.ts';
import type { PorticoConfig } from '../../platform/config/schema.ts';

/**
 * portico.yaml with test overrides and no environment: tests never pick up a developer's shell
 * settings. Logs are silent unless PORTICO_TEST_LOG names a level. portico.yaml's declared rate
 * limits are left out (a test that wants limits declares its own), so suites that send many
 * requests are not refused by limits they do not test.
 */
export function testConfig(overrides: Record<string, unknown> = {}): Readonly<PorticoConfig> {
  const rateLimits = { limits: [], ...((overrides.rateLimits as object | undefined) ?? {}) };
  return loadConfig({
    env: {},
    overrides: {
      logLevel: process.env.PORTICO_TEST_LOG ?? 'silent',
      logPretty: false,
      ...overrides,
      rateLimits,
    },
  });
}
