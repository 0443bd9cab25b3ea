import { errors, jwtVerify } from 'jose';
import type { PorticoConfig } from '../config/schema.ts';
import type { KeyResolver } from './keys.ts';

/** The caller as established by a verified token; the only source of identity headers. */
export interface VerifiedIdentity {
  subject: string;
  tenant: string | null;
  scopes: readonly string[];
  /** The API client the token was issued to (claim `auth.claims.client`), for per-client limits. */
  client: string | null;
  expiresAt: number;
}

/** A token that fails a check. `reason` is safe to show the client: it never echoes the token. */
export class TokenRejectedError extends Error {
  override name = 'TokenRejectedError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `token lacks the required ${error.claim} claim`;
    switch (error.claim) {
      case 'aud':
        return 'wrong audience';
      case 'iss':
        return 'wrong issuer';
      case 'nbf':
        return 'token not yet valid';
      case 'iat':
        return 'token issued in the future';
      default:
        return `claim ${error.claim} is invalid`;
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'signing algorithm not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown signing key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature does not verify';
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return 'malformed token';
  if (error instanceof errors.JOSENotSupported) return 'unsupported token type or algorithm';
  return 'token could not be verified';
}

function scopesFrom(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((scope): scope is string => typeof scope === 'string');
  return [];
}

export type TokenVerifier = (token: string) => Promise<VerifiedIdentity>;

/**
 * Verifies a compact JWT: asymmetric algorithms from the allowlist only, issuer, audience, exp and
 * nbf with a small tolerance, and `exp` and `sub` required (jose accepts a token without `exp`
 * unless told otherwise). Key-set outages propagate as they are, to be answered 503.
 */
export function createTokenVerifier(auth: PorticoConfig['auth'], keys: KeyResolver): TokenVerifier {
  const options = {
    issuer: auth.issuer,
    audience: auth.audience,
    algorithms: [...auth.algorithms],
    clockTolerance: auth.clockToleranceSec,
    requiredClaims: ['exp', 'sub'],
  };
  return async (token) => {
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, keys, options));
    } catch (error) {
      if (error instanceof errors.JOSEError) throw new TokenRejectedError(describe(error));
      throw error;
    }
    // jose checks `iat` only with maxTokenAge; a token "issued" in the future is forged or from a
    // broken clock, and either way not to be trusted for longer than it says.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + auth.clockToleranceSec) {
      throw new TokenRejectedError('token issued in the future');
    }
    // requiredClaims only asks for presence: an empty subject would be an identity of no one.
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
      throw new TokenRejectedError('token has an empty sub claim');
    }
    const tenant = payload[auth.claims.tenant];
    const client = payload[auth.claims.client];
    return {
      subject: payload.sub,
      tenant: typeof tenant === 'string' && tenant.length > 0 ? tenant : null,
      scopes: scopesFrom(payload[auth.claims.scopes]),
      client: typeof client === 'string' && client.length > 0 ? client : null,
      expiresAt: payload.exp! * 1000,
    };
  };
}
