import { readFileSync } from 'node:fs';
import {
  type CryptoKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  type ExportedJWKSCache,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWKSCacheInput,
  type JWSHeaderParameters,
  jwksCache,
} from 'jose';
import { resolveFromRoot } from '../config/load.ts';
import type { PorticoConfig } from '../config/schema.ts';
import type { Logger } from '../logger.ts';

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

function hasFetched(cache: JWKSCacheInput): cache is ExportedJWKSCache {
  return typeof cache.uat === 'number';
}

/**
 * Where verification keys come from. A JWKS file is read once. A JWKS URL goes through jose's
 * remote key set (cached for `cacheMaxAgeSec`, refetched at once for an unknown `kid` but at most
 * once per `cooldownSec`), wrapped with one policy of ours for when the endpoint fails:
 *
 *   fetch ok ........... jose reports the set and its fetch time; it becomes the last good set
 *   fetch fails ........ do not try the endpoint again for `retryAfterFailureSec` (an outage costs
 *                        at most one request a timeout), and meanwhile verify with the last good set
 *                        until `cacheMaxAgeSec + staleMaxAgeSec` after it was fetched
 *   nothing usable ..... KeySetUnavailableError (503 + Retry-After): no good set, a set too old,
 *                        or a kid the last good set lacks (the issuer may have rotated while we
 *                        could not look; "try again" is the honest answer, not "bad token")
 */
export function createKeyResolver(auth: PorticoConfig['auth'], log: Logger): KeyResolver {
  if (auth.jwksFile) {
    const file = resolveFromRoot(auth.jwksFile);
    const local = createLocalJWKSet(JSON.parse(readFileSync(file, 'utf8')) as JSONWebKeySet);
    return (header, token) => local(header, token);
  }
  if (!auth.jwksUrl) throw new Error('auth needs jwksUrl or jwksFile');
  const { jwks } = auth;
  const fetched: JWKSCacheInput = {};
  const remote = createRemoteJWKSet(new URL(auth.jwksUrl), {
    cacheMaxAge: jwks.cacheMaxAgeSec * 1000,
    cooldownDuration: jwks.cooldownSec * 1000,
    timeoutDuration: jwks.timeoutMs,
    [jwksCache]: fetched,
  });
  const usableFor = (jwks.cacheMaxAgeSec + jwks.staleMaxAgeSec) * 1000;
  let lastGood: { at: number; resolve: KeyResolver } | null = null;
  let downUntil = 0;

  const remember = () => {
    if (hasFetched(fetched) && fetched.uat !== lastGood?.at) {
      lastGood = { at: fetched.uat, resolve: createLocalJWKSet(fetched.jwks) };
    }
  };

  const fromLastGood = async (header: JWSHeaderParameters, token: FlattenedJWSInput, cause: string) => {
    if (!lastGood || Date.now() - lastGood.at > usableFor) {
      throw new KeySetUnavailableError(`signing keys unavailable: ${cause}`);
    }
    try {
      return await lastGood.resolve(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) {
        throw new KeySetUnavailableError(`kid not in the last good key set while ${cause}`);
      }
      throw error;
    }
  };

  return async (header, token) => {
    if (Date.now() < downUntil) return fromLastGood(header, token, 'the JWKS endpoint recently failed');
    try {
      const key = await remote(header, token);
      remember();
      return key;
    } catch (error) {
      remember();
      if (!isFetchFailure(error)) throw error;
      downUntil = Date.now() + jwks.retryAfterFailureSec * 1000;
      log.warn(
        { err: error, jwksUrl: auth.jwksUrl, lastGoodAgeMs: lastGood ? Date.now() - lastGood.at : null },
        'JWKS fetch failed; verifying with the last good key set',
      );
      return fromLastGood(header, token, `the JWKS fetch failed (${(error as Error).message})`);
    }
  };
}
