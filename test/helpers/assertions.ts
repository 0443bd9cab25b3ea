import { createSecretKey } from 'node:crypto';
import { generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { ensureDevKeyFiles, readKeySet } from '../../platform/assertion/keys.ts';
import { testKeyFiles } from './config.ts';

export interface AssertionSpec {
  audience: string;
  sub?: string;
  tenant?: string;
  scopes?: string[];
  /** Seconds from now; negative for one already expired. */
  expiresIn?: number;
  /** Seconds from now that `iat` claims (default now). */
  issuedIn?: number;
  issuer?: string;
  typ?: string;
  /** The private JWK to sign with; the test process's gateway key by default. */
  key?: JWK;
}

/**
 * The gateway's signing key of this test process (what a gateway started by a test signs with),
 * created as a gateway in development would if no gateway has started yet.
 */
export async function gatewaySigningKey(): Promise<JWK> {
  await ensureDevKeyFiles(testKeyFiles());
  return readKeySet(testKeyFiles().signingKeysFile).keys[0]!;
}

/** Headers that vouch for a caller, as the gateway's would, for tests that call a subgraph directly. */
export async function asGateway(spec: AssertionSpec): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await signAssertion(spec)}` };
}

function claimsOf(spec: AssertionSpec) {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: spec.issuer ?? 'portico-gateway',
    aud: spec.audience,
    iat: now + (spec.issuedIn ?? 0),
    exp: now + (spec.expiresIn ?? 10),
  };
  if (spec.sub) claims.sub = spec.sub;
  if (spec.tenant) claims.tenant = spec.tenant;
  if (spec.scopes) claims.scope = spec.scopes.join(' ');
  return claims;
}

/** An assertion as a gateway would sign it, or with one part changed to forge it. */
export async function signAssertion(spec: AssertionSpec): Promise<string> {
  const jwk = spec.key ?? (await gatewaySigningKey());
  return new SignJWT(claimsOf(spec))
    .setProtectedHeader({ alg: 'EdDSA', kid: jwk.kid, typ: spec.typ ?? 'portico-assertion+jwt' })
    .sign(await importJWK(jwk, 'EdDSA'));
}

/** Another Ed25519 key claiming the gateway key's id: a forger's. */
export async function forgedKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const { exportJWK } = await import('jose');
  return { ...(await exportJWK(privateKey)), kid: (await gatewaySigningKey()).kid, alg: 'EdDSA' };
}

/** `alg: none`: no signature at all. */
export function unsignedAssertion(spec: AssertionSpec): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'portico-assertion+jwt' })}.${encode(claimsOf(spec))}.`;
}

/** HS256 keyed with the gateway's public key: the classic algorithm-confusion forgery. */
export async function hmacWithPublicKey(spec: AssertionSpec): Promise<string> {
  const { d: _private, ...publicJwk } = await gatewaySigningKey();
  return new SignJWT(claimsOf(spec))
    .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid, typ: 'portico-assertion+jwt' })
    .sign(createSecretKey(Buffer.from(JSON.stringify(publicJwk))));
}
