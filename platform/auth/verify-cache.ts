import { decodeProtectedHeader, type FlattenedJWSInput, type JWSHeaderParameters } from 'jose';
import type { PorticoConfig } from '../config/schema.ts';
import type { KeyResolver } from './keys.ts';
import { createTokenVerifier, type TokenVerifier, type VerifiedIdentity } from './verify.ts';

const MAX_ENTRIES = 10_000;

interface Entry {
  identity: VerifiedIdentity;
  /** The key the signature was checked with. */
  key: unknown;
  until: number;
  /** The token as the key resolver reads it, decoded once (a hit asks the resolver again). */
  parts: TokenParts;
}

type TokenParts = { header: JWSHeaderParameters; input: FlattenedJWSInput };

function tokenParts(token: string): TokenParts {
  const [protectedHeader, payload, signature] = token.split('.');
  return {
    header: decodeProtectedHeader(token),
    input: { protected: protectedHeader, payload: payload!, signature: signature! },
  };
}

/** The key the resolver currently gives for a token's header, or null when it gives none. */
async function currentKey(keys: KeyResolver, parts: TokenParts): Promise<unknown> {
  try {
    return await keys(parts.header, parts.input);
  } catch {
    return null;
  }
}

/**
 * Remembers verified tokens for a short while, so a client sending the same token on every
 * request pays the signature check (an ECDSA or RSA verification, the costliest step of a small
 * request) once per `maxAgeMs`, not per request. Keyed by the exact token string. A remembered
 * token is served only while the key set still gives the very key its signature was checked
 * with, so key rotation, removal and outages act exactly as without the cache (a changed or
 * unavailable key set means a full check); an entry never outlives the token's `exp`.
 * Rejections are not remembered. `maxAgeMs` 0 turns it off.
 */
export function cachedTokenVerifier(
  verify: TokenVerifier,
  keys: KeyResolver,
  maxAgeMs: number,
  now: () => number = Date.now,
): TokenVerifier {
  if (maxAgeMs <= 0) return verify;
  const entries = new Map<string, Entry>();
  // Checks under way: when an entry lapses under load, every request carrying the token would
  // otherwise start its own signature check at once (a burst that showed in profiles each
  // `maxAgeMs`); they wait for the one check instead, and share its rejection too.
  const checking = new Map<string, Promise<VerifiedIdentity>>();
  const check = async (token: string): Promise<VerifiedIdentity> => {
    const identity = Object.freeze(await verify(token));
    const parts = tokenParts(token);
    const key = await currentKey(keys, parts);
    if (key === null) return identity;
    if (entries.size >= MAX_ENTRIES) {
      // Map iteration is insertion order: the first key is the oldest entry.
      entries.delete(entries.keys().next().value!);
    }
    entries.set(token, { identity, key, until: Math.min(identity.expiresAt, now() + maxAgeMs), parts });
    return identity;
  };
  return async (token) => {
    const hit = entries.get(token);
    if (hit) {
      if (hit.until > now() && (await currentKey(keys, hit.parts)) === hit.key) return hit.identity;
      if (entries.get(token) === hit) entries.delete(token);
    }
    let pending = checking.get(token);
    if (!pending) {
      pending = check(token).finally(() => checking.delete(token));
      checking.set(token, pending);
    }
    return pending;
  };
}

/** The verifier a service installs: the full check of `verify.ts`, behind the cache. */
export function cachedVerifier(auth: PorticoConfig['auth'], keys: KeyResolver): TokenVerifier {
  return cachedTokenVerifier(createTokenVerifier(auth, keys), keys, auth.verifiedTokenCacheSec * 1000);
}
