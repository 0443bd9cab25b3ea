import { loadConfig } from '../../platform/config/load.ts';
import type { PorticoConfig } from '../../platform/config/schema.ts';

/**
 * portico.yaml with test overrides and no environment: tests never pick up a developer's shell
 * settings. Logs are silent unless PORTICO_TEST_LOG names a level.
 */
export function testConfig(overrides: Record<string, unknown> = {}): Readonly<PorticoConfig> {
  return loadConfig({
    env: {},
    overrides: { logLevel: process.env.PORTICO_TEST_LOG ?? 'silent', logPretty: false, ...overrides },
  });
}
