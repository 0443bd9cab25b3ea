import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

export interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/** How the endpoint behaves: serve the set, answer 500, or accept the connection and never answer. */
export type JwksMode = 'ok' | 'error' | 'hang';

export interface JwksServer {
  url: string;
  /** GETs of the key set so far (whatever the mode). */
  readonly fetches: number;
  mode: JwksMode;
  /** Generates a key pair and publishes its public half. */
  addKey(alg?: string): Promise<TestKey>;
  /** Generates a key pair without publishing it. */
  unpublishedKey(alg?: string): Promise<TestKey>;
  removeKey(kid: string): void;
  /** A token signed with `key`; claims default to a valid Portico token for tenant acme. */
  sign(
    key: TestKey,
    claims?: JWTPayload,
    options?: { header?: Record<string, unknown>; ttlSec?: number },
  ): Promise<string>;
  close(): Promise<void>;
}

/**
 * A JWKS endpoint the test controls: keys come and go (rotation), and it can fail or hang
 * (outage), while it counts how often the gateway fetches.
 */
export async function startJwksServer(
  identity = { issuer: 'portico-dev', audience: 'portico' },
): Promise<JwksServer> {
  const published = new Map<string, JWK>();
  const hanging = new Set<() => void>();
  let fetches = 0;
  let mode: JwksMode = 'ok';
  const server = createServer((_req, res) => {
    fetches += 1;
    if (mode === 'hang') {
      hanging.add(() => res.destroy());
      return;
    }
    if (mode === 'error') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('down');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: [...published.values()] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const makeKey = async (alg = 'ES256'): Promise<TestKey> => {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const kid = `k-${randomUUID().slice(0, 8)}`;
    return {
      kid,
      alg,
      privateKey,
      publicKey,
      publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    };
  };

  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get fetches() {
      return fetches;
    },
    get mode() {
      return mode;
    },
    set mode(next) {
      mode = next;
    },
    async addKey(alg) {
      const key = await makeKey(alg);
      published.set(key.kid, key.publicJwk);
      return key;
    },
    unpublishedKey: makeKey,
    removeKey(kid) {
      published.delete(kid);
    },
    async sign(key, claims = {}, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        iss: identity.issuer,
        aud: identity.audience,
        sub: 'acme-user-1',
        tenant: 'acme',
        scope: 'billing:read',
        iat: now,
        exp: now + (options.ttlSec ?? 600),
        ...claims,
      })
        .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...options.header })
        .sign(key.privateKey);
    },
    async close() {
      for (const destroy of hanging) destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
