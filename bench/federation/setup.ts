import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { stringify } from 'yaml';
import { composeSubgraphs } from '../../gateway/compose.ts';
import { type BenchSubgraph, benchSdl, benchSubgraphNames } from './subgraphs.ts';

export interface BenchFiles {
  dir: string;
  supergraph: string;
  /** A client token the Portico gateway accepts (ES256, issuer and audience of the defaults). */
  token: string;
  /** Environment for `portico serve gateway` over the bench supergraph; `dedup` per subgraph call. */
  porticoEnv(options: { dedup: boolean; workers?: number; port: number }): Record<string, string>;
  remove(): void;
}

/**
 * Rate limits as shipped (every caller under a per-tenant request limit and cost quota, anonymous
 * callers per IP), with limits high enough that the load is measured, not refused.
 */
const benchLimits = [
  { name: 'tenant-requests', per: 'tenant', limit: 1_000_000_000, windowSec: 60 },
  { name: 'tenant-cost', per: 'tenant', measure: 'cost', limit: 1_000_000_000_000, windowSec: 86_400 },
  { name: 'anonymous-ip', per: 'ip', callers: 'anonymous', limit: 1_000_000_000, windowSec: 1 },
];

/** The bench supergraph, composed from the four SDLs, a client key pair and Portico's config files. */
export async function prepareBench(urls: Record<BenchSubgraph, string>): Promise<BenchFiles> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-bench-federation-'));
  const outcome = composeSubgraphs(
    benchSubgraphNames.map((name) => ({
      name,
      url: urls[name],
      file: `${name}.graphql`,
      sdl: benchSdl(name),
    })),
  );
  if (!outcome.ok) throw new Error(`bench supergraph does not compose: ${JSON.stringify(outcome.errors)}`);
  const supergraph = join(dir, 'supergraph.graphql');
  writeFileSync(supergraph, outcome.supergraphSdl);

  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = join(dir, 'client-jwks.json');
  writeFileSync(
    jwks,
    JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256' }] }),
  );
  const token = await new SignJWT({ tenant: 'bench', scope: 'read' })
    .setProtectedHeader({ alg: 'ES256', kid: 'bench' })
    .setSubject('bench-user')
    .setIssuer('portico-dev')
    .setAudience('portico')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(privateKey);

  const signingKeys = {
    PORTICO_SUBGRAPH_AUTH_KEYS_FILE: join(dir, 'gateway-signing-keys.json'),
    PORTICO_SUBGRAPH_AUTH_JWKS_FILE: join(dir, 'gateway-jwks.json'),
  };
  const keys = spawnSync(process.execPath, ['bin/portico.js', 'keys', 'init'], {
    cwd: new URL('../../', import.meta.url),
    env: { ...process.env, ...signingKeys },
    encoding: 'utf8',
  });
  if (keys.status !== 0) throw new Error(`portico keys init failed: ${keys.stderr}${keys.stdout}`);

  const porticoEnv = (options: { dedup: boolean; workers?: number; port: number }) => {
    const file = join(dir, `portico-${options.dedup ? 'dedup' : 'nodedup'}-${options.workers ?? 1}.yaml`);
    writeFileSync(
      file,
      stringify({
        environment: 'production',
        gateway: {
          supergraphPath: supergraph,
          watchSupergraph: false,
          workers: options.workers ?? 1,
          subgraphDefaults: { dedup: options.dedup },
        },
        // A foreign supergraph: anonymous callers get what no @authenticated guards.
        auth: { jwksFile: jwks, anonymousAccess: 'unguarded' },
        rateLimits: { limits: benchLimits },
      }),
    );
    return {
      ...signingKeys,
      PORTICO_CONFIG: file,
      PORTICO_GATEWAY_PORT: String(options.port),
      PORTICO_GATEWAY_ADMIN_PORT: '0',
      // In memory, as a single gateway without Redis runs; the machine's Redis is not the bench's.
      REDIS_URL: '',
    };
  };
  return { dir, supergraph, token, porticoEnv, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
