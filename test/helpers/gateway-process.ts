import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { waitUntilReady } from '../../cli/wait-ready.ts';
import { subgraphNames } from '../../platform/config/runtime.ts';
import type { TestPlatform } from './platform.ts';
import { freePorts, type Spawned, spawnPortico } from './process.ts';

export interface GatewayProcess {
  url: string;
  base: string;
  proc: Spawned;
  /** SIGTERM, then the exit code (or signal name). */
  stop(): Promise<number | string>;
}

/**
 * `portico serve gateway` in its own process, as a replica runs in production: its settings from
 * a YAML file (`PORTICO_CONFIG`), its addresses from the environment, over the subgraphs and
 * issuer of an in-process test platform.
 */
export async function spawnGateway(
  platform: TestPlatform,
  config: Record<string, unknown>,
  env: Record<string, string> = {},
): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-gateway-'));
  const file = join(dir, 'portico.yaml');
  writeFileSync(file, stringify({ gateway: { watchSupergraph: false }, ...config }));
  const [port] = await freePorts(1);
  const base = `http://127.0.0.1:${port}`;
  const proc = spawnPortico(['serve', 'gateway'], {
    PORTICO_CONFIG: file,
    PORTICO_GATEWAY_PORT: String(port),
    PORTICO_JWKS_URL: platform.config.auth.jwksUrl!,
    PORTICO_LOG_LEVEL: 'info',
    ...Object.fromEntries(
      subgraphNames.map((name) => [
        `PORTICO_SUBGRAPH_${name.toUpperCase()}_URL`,
        platform.subgraphUrls[name]!,
      ]),
    ),
    ...env,
  });
  const stop = async () => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGTERM');
    const code = await proc.exited;
    rmSync(dir, { recursive: true, force: true });
    return code;
  };
  const failed = await waitUntilReady([{ name: 'gateway', url: base }], 45_000, () =>
    proc.child.exitCode !== null ? ['gateway'] : [],
  );
  if (failed.length > 0) {
    await stop();
    throw new Error(`gateway did not become ready:\n${proc.output()}`);
  }
  return { url: `${base}/graphql`, base, proc, stop };
}
