import { readFileSync } from 'node:fs';
import {
  type CryptoKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from 'jose';
import { resolveFromRoot } from '../../platform/config/load.ts';
import type { PorticoConfig } from '../../platform/config/schema.ts';
import type { Logger } from '../../platform/logger.ts';

export type KeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/** Raised when no key set can be had at all: a capacity problem of ours, answered 503, not 401. */
export class KeySetUnavailableError extends Error {
  override name = 'KeySetUnavailableError';
}

function isFetchFailure(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  // fetch itself failing (refused, reset) is no JOSE error; a non-200 answer is jose's generic one.
  // A fetched set that lacks the kid is a token problem, not an outage, and stays a 401.
  return !(error instanceof errors.JOSEError) || error.code === 'ERR_JOSE_GENERIC';
}

/**
 * Where verification keys come from. A JWKS file is read once. A JWKS URL goes through jose's
 * remote key set (cached for `cacheMaxAgeSec`, refetched at once for an unknown `kid` but at most
 * once per `cooldownSec`), wrapped with one policy of ours:
 *
 *   fetch ok ............ remember the set as last good
 *   fetch fails ......... serve the last good set for up to `staleMaxAgeSec` after it was fetched,
 *                         and do not try the endpoint again for `retryAfterFailureSec` (so an
 *                         outage costs no request a timeout)
 *   nothing good ........ KeySetUnavailableError (503)
 */
export function createKeyResolver(auth: PorticoConfig['auth'], log: Logger): KeyResolver {
  if (auth.jwksFile) {
    const file = resolveFromRoot(auth.jwksFile);
    const local = createLocalJWKSet(JSON.parse(readFileSync(file, 'utf8')) as JSONWebKeySet);
    return (header, token) => local(header, token);
  }
  if (!auth.jwksUrl) throw new Error('auth needs jwksUrl or jwksFile');
  const { jwks } = auth;
  const remote = createRemoteJWKSet(new URL(auth.jwksUrl), {
    cacheMaxAge: jwks.cacheMaxAgeSec * 1000,
    cooldownDuration: jwks.cooldownSec * 1000,
    timeoutDuration: jwks.timeoutMs,
  });
  let lastGood: { set: JSONWebKeySet; at: number; resolve: KeyResolver } | null = null;
  let downUntil = 0;

  const fromLastGood = (header: JWSHeaderParameters, token: FlattenedJWSInput, cause: unknown) => {
    if (lastGood && Date.now() - lastGood.at <= jwks.staleMaxAgeSec * 1000)
      return lastGood.resolve(header, token);
    throw new KeySetUnavailableError(`signing keys unavailable: ${(cause as Error)?.message ?? cause}`);
  };

  return async (header, token) => {
    if (Date.now() < downUntil)
      return fromLastGood(header, token, new Error('JWKS endpoint recently failed'));
    try {
      const key = await remote(header, token);
      const set = remote.jwks();
      if (set && (!lastGood || lastGood.set !== set)) {
        lastGood = { set, at: Date.now(), resolve: createLocalJWKSet(set) };
      } else if (lastGood && remote.fresh) {
        lastGood.at = Date.now();
      }
      return key;
    } catch (error) {
      if (!isFetchFailure(error)) throw error;
      downUntil = Date.now() + jwks.retryAfterFailureSec * 1000;
      log.warn(
        { err: error, jwksUrl: auth.jwksUrl, staleFor: lastGood ? Date.now() - lastGood.at : null },
        'JWKS fetch failed; using the last good key set',
      );
      return fromLastGood(header, token, error);
    }
  };
}
