import { existsSync } from 'node:fs';
import { importJWK, type JWK, SignJWT } from 'jose';
import { resolveFromRoot } from '../config/load.ts';
import type { PorticoConfig } from '../config/schema.ts';
import type { Logger } from '../logger.ts';
import { type CallerIdentity, identityKey } from './identity.ts';
import {
  ASSERTION_ALGORITHM,
  ASSERTION_TYPE,
  ensureDevKeyFiles,
  type KeySet,
  publicKeySet,
  readKeySet,
} from './keys.ts';
import { watchedFile } from './watched-file.ts';

type Settings = PorticoConfig['subgraphAuth'];

export interface AssertionSigner {
  /**
   * The bearer assertion for one subgraph call: `aud` the subgraph, identity as verified, `exp`
   * the request's deadline (rounded up to JWT's whole seconds). Cached per key, audience,
   * identity and second, so under load one signature serves many calls.
   */
  assertion(audience: string, identity: CallerIdentity | null, deadline: number): string | Promise<string>;
  /** The public keys of every key in the file, for the admin listener's JWKS. */
  publicKeys(): KeySet;
}

/** Enough for every caller and subgraph of a busy second or two; older entries go first. */
const MAX_CACHED = 20_000;
/** An assertion for a call with no request behind it (none today) lives this long. */
const UNBOUNDED_CALL_SEC = 10;

interface SigningKey {
  kid: string;
  key: Awaited<ReturnType<typeof importJWK>>;
}

function signingJwk(set: KeySet, wanted: string | undefined, file: string): JWK & { kid: string } {
  const key = wanted ? set.keys.find((candidate) => candidate.kid === wanted) : set.keys[0];
  if (!key?.kid || !key.d) {
    throw new Error(
      wanted
        ? `subgraphAuth.signingKeyId: no private key "${wanted}" in ${file}`
        : `subgraphAuth.signingKeysFile: ${file} holds no private key with a kid`,
    );
  }
  return key as JWK & { kid: string };
}

/**
 * The gateway's side of "subgraphs trust only the gateway". Outside development the key file
 * must exist (`portico keys init`); in development it is created on first start.
 */
export async function createAssertionSigner(
  settings: Settings,
  options: { development: boolean; log?: Logger },
): Promise<AssertionSigner> {
  const files = {
    signingKeysFile: resolveFromRoot(settings.signingKeysFile),
    jwksFile: resolveFromRoot(settings.jwksFile),
  };
  if (options.development) await ensureDevKeyFiles(files);
  else if (!existsSync(files.signingKeysFile)) {
    throw new Error(
      `subgraphAuth.signingKeysFile: ${files.signingKeysFile} does not exist; create it with \`portico keys init\``,
    );
  }
  const file = watchedFile(files.signingKeysFile, readKeySet, {
    intervalMs: settings.reloadIntervalSec * 1000,
    onError: (error) =>
      options.log?.error({ err: error }, 'gateway signing keys unreadable; keeping the last good ones'),
  });
  const cache = new Map<string, string | Promise<string>>();
  let loadedFrom: KeySet | null = null;
  let signing: SigningKey | null = null;
  const currentKey = async (): Promise<SigningKey> => {
    const set = file.current();
    if (set !== loadedFrom || !signing) {
      const jwk = signingJwk(set, settings.signingKeyId, files.signingKeysFile);
      signing = { kid: jwk.kid, key: await importJWK(jwk, ASSERTION_ALGORITHM) };
      if (loadedFrom) options.log?.info({ kid: jwk.kid }, 'gateway signing keys reloaded');
      loadedFrom = set;
      // Assertions signed with the previous key stay valid until they expire; new calls get the new key.
      cache.clear();
    }
    return signing;
  };
  await currentKey();

  const remember = (key: string, value: string | Promise<string>) => {
    if (cache.size >= MAX_CACHED) {
      let drop = MAX_CACHED / 10;
      for (const old of cache.keys()) {
        cache.delete(old);
        drop -= 1;
        if (drop === 0) break;
      }
    }
    cache.set(key, value);
  };

  const sign = async (audience: string, identity: CallerIdentity | null, exp: number, key: SigningKey) => {
    const claims: Record<string, unknown> = {};
    if (identity?.tenant) claims.tenant = identity.tenant;
    if (identity && identity.scopes.length > 0) claims.scope = identity.scopes.join(' ');
    if (identity?.client) claims.client_id = identity.client;
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: ASSERTION_ALGORITHM, kid: key.kid, typ: ASSERTION_TYPE })
      .setIssuer(settings.issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(exp);
    if (identity?.subject) jwt.setSubject(identity.subject);
    return jwt.sign(key.key);
  };

  return {
    assertion(audience, identity, deadline) {
      const exp = Number.isFinite(deadline)
        ? Math.ceil(deadline / 1000)
        : Math.ceil(Date.now() / 1000) + UNBOUNDED_CALL_SEC;
      const cacheKey = `${audience}\n${exp}\n${identityKey(identity)}`;
      const cached = cache.get(cacheKey);
      if (cached !== undefined) return cached;
      const pending = currentKey().then((current) =>
        sign(audience, identity, exp, current).then((token) => {
          cache.set(cacheKey, token);
          return token;
        }),
      );
      pending.catch(() => cache.delete(cacheKey));
      remember(cacheKey, pending);
      return pending;
    },
    publicKeys: () => publicKeySet(file.current()),
  };
}
