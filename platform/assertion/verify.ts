import { existsSync } from 'node:fs';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { resolveFromRoot } from '../config/load.ts';
import type { PorticoConfig } from '../config/schema.ts';
import type { Logger } from '../logger.ts';
import type { CallerIdentity } from './identity.ts';
import { ASSERTION_ALGORITHM, ASSERTION_TYPE, readKeySet } from './keys.ts';
import { watchedFile } from './watched-file.ts';

type Settings = PorticoConfig['subgraphAuth'];

/** A call that is not the gateway's; `reason` is safe to show (it never echoes the token). */
export class AssertionRejectedError extends Error {
  override name = 'AssertionRejectedError';
}

export type AssertionVerifier = (token: string) => Promise<CallerIdentity>;

const MAX_CACHED = 20_000;

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'assertion expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `assertion lacks the ${error.claim} claim`;
    return error.claim === 'aud' ? 'assertion is for another service' : `assertion ${error.claim} is invalid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'signing algorithm not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown signing key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature does not verify';
  return 'malformed assertion';
}

/** The public keys, from the file (re-read when it changes) or the gateway's JWKS URL. */
function keySource(settings: Settings, development: boolean, log?: Logger): JWTVerifyGetKey {
  if (settings.jwksUrl) {
    return createRemoteJWKSet(new URL(settings.jwksUrl), {
      cacheMaxAge: settings.reloadIntervalSec * 1000,
      cooldownDuration: 1_000,
    });
  }
  const path = resolveFromRoot(settings.jwksFile);
  if (!development && !existsSync(path)) {
    throw new Error(`subgraphAuth.jwksFile: ${path} does not exist (or set subgraphAuth.jwksUrl)`);
  }
  // In development the gateway writes the file when it first starts, which may be after us: it is
  // looked for again on each call until it appears (and only the gateway calls us).
  let file: ReturnType<typeof watchedFile<ReturnType<typeof createLocalJWKSet>>> | null = null;
  const open = () => {
    file ??= existsSync(path)
      ? watchedFile(path, (p) => createLocalJWKSet(readKeySet(p)), {
          intervalMs: settings.reloadIntervalSec * 1000,
          onError: (error) =>
            log?.error({ err: error }, 'gateway public keys unreadable; keeping the last good ones'),
        })
      : null;
    return file;
  };
  return async (header, token) => {
    const keys = open();
    if (!keys) throw new errors.JWKSNoMatchingKey();
    try {
      return await keys.current()(header, token);
    } catch (error) {
      // A key added by a rotation is looked for at once, not at the next interval.
      if (error instanceof errors.JWKSNoMatchingKey && keys.refresh()) return keys.current()(header, token);
      throw error;
    }
  };
}

function identityFrom(payload: JWTPayload): CallerIdentity {
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);
  return {
    subject: text(payload.sub),
    tenant: text(payload.tenant),
    scopes: (text(payload.scope) ?? '').split(' ').filter(Boolean),
    client: text(payload.client_id),
  };
}

/**
 * A subgraph's check that a call comes from the gateway: an EdDSA assertion of our explicit type,
 * from our issuer, for this subgraph, unexpired and not issued in the future. A verified token is
 * remembered until it expires, so a busy second costs one verification per assertion, not per call.
 */
export function createAssertionVerifier(
  settings: Settings,
  options: { audience: string; development: boolean; log?: Logger },
): AssertionVerifier {
  const keys = keySource(settings, options.development, options.log);
  const verifyOptions = {
    issuer: settings.issuer,
    audience: options.audience,
    algorithms: [ASSERTION_ALGORITHM],
    typ: ASSERTION_TYPE,
    clockTolerance: settings.clockToleranceSec,
    requiredClaims: ['exp', 'iat'],
  };
  const verified = new Map<string, { identity: CallerIdentity; exp: number }>();
  return async (token) => {
    const now = Date.now() / 1000;
    const known = verified.get(token);
    if (known && known.exp + settings.clockToleranceSec >= now) return known.identity;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, verifyOptions));
    } catch (error) {
      if (error instanceof errors.JOSEError) throw new AssertionRejectedError(reasonOf(error));
      throw error;
    }
    if (payload.iat! > now + settings.clockToleranceSec) {
      throw new AssertionRejectedError('assertion issued in the future');
    }
    const identity = identityFrom(payload);
    if (verified.size >= MAX_CACHED) verified.clear();
    verified.set(token, { identity, exp: payload.exp! });
    return identity;
  };
}
