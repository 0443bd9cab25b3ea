import { resolveFromRoot } from '../platform/config/load.ts';
import type { PorticoConfig } from '../platform/config/schema.ts';
import { createService, type Service } from '../platform/service.ts';
import { loadOrCreateDevKey } from './keys.ts';

/**
 * The local token issuer for `npm start`: publishes its public key as a JWKS for the gateway.
 * Tokens are minted offline by `npm run token`, with the same key file. Never for production.
 */
export async function buildIssuer(config: Readonly<PorticoConfig>): Promise<Service> {
  const service = createService({ name: 'issuer', config });
  const key = await loadOrCreateDevKey(resolveFromRoot(config.devIssuer.keyFile));
  const jwks = { keys: [key.publicJwk] };
  service.app.get('/.well-known/jwks.json', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return jwks;
  });
  service.app.get('/.well-known/openid-configuration', async () => ({
    issuer: config.auth.issuer,
    jwks_uri: `http://127.0.0.1:${config.ports.issuer}/.well-known/jwks.json`,
    id_token_signing_alg_values_supported: ['ES256'],
  }));
  return service;
}
