import { SignJWT } from 'jose';
import type { PorticoConfig } from '../platform/config/schema.ts';
import { DEV_ALGORITHM, type DevKey } from './keys.ts';

export interface DevTokenClaims {
  sub: string;
  tenant?: string;
  scopes?: readonly string[];
  /** The API client the token is for (machine callers); absent for a person. */
  client?: string;
  /** Lifetime such as `30m`, `1h`, `7d`. */
  ttl: string;
}

export interface IssuerIdentity {
  issuer: string;
  audience: string;
  tenantClaim: string;
  scopesClaim: string;
  clientClaim?: string;
}

/** The claims and names a token must carry for this configuration's gateway to accept it. */
export function issuerIdentity(
  auth: Pick<PorticoConfig['auth'], 'issuer' | 'audience' | 'claims'>,
): IssuerIdentity {
  return {
    issuer: auth.issuer,
    audience: auth.audience,
    tenantClaim: auth.claims.tenant,
    scopesClaim: auth.claims.scopes,
    clientClaim: auth.claims.client,
  };
}

export async function signDevToken(
  key: DevKey,
  claims: DevTokenClaims,
  who: IssuerIdentity,
): Promise<string> {
  const payload: Record<string, unknown> = {};
  if (claims.tenant) payload[who.tenantClaim] = claims.tenant;
  if (claims.scopes && claims.scopes.length > 0) payload[who.scopesClaim] = claims.scopes.join(' ');
  if (claims.client) payload[who.clientClaim ?? 'client_id'] = claims.client;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: DEV_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(who.issuer)
    .setAudience(who.audience)
    .setSubject(claims.sub)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(claims.ttl)
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
}
