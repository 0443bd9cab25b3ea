import type { PorticoConfig } from '../config/schema.ts';

/**
 * The JWKS to trust for client tokens: configured, or in development the local dev issuer. The
 * gateway and the BFFs verify the same tokens against the same keys.
 */
export function resolveAuth(config: Readonly<PorticoConfig>): PorticoConfig['auth'] {
  const { auth } = config;
  if (auth.jwksUrl || auth.jwksFile) return auth;
  if (config.environment !== 'development') {
    throw new Error('auth.jwksUrl (PORTICO_JWKS_URL) or auth.jwksFile is required outside development');
  }
  return { ...auth, jwksUrl: `http://127.0.0.1:${config.ports.issuer}/.well-known/jwks.json` };
}
