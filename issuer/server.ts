import { resolveFromRoot } from '../platform/config/load.ts';
import type { PorticoConfig } from '../platform/config/schema.ts';
import { installCors } from '../platform/cors.ts';
import { createService, type Service } from '../platform/service.ts';
import { loadOrCreateDevKey } from './keys.ts';
import { installTokenRoute } from './token-route.ts';

/**
 * The local token issuer for `npm start`: publishes its public key as a JWKS for the gateway.
 * Tokens are minted offline by `npm run token`, with the same key file, or by `POST /token` (the
 * reference web app's dev sign-in). Never for production.
 */
export async function buildIssuer(config: Readonly<PorticoConfig>): Promise<Service> {
  const service = createService({ name: 'issuer', config });
  await installCors(service.app, config, 'issuer');
  const key = await loadOrCreateDevKey(resolveFromRoot(config.devIssuer.keyFile));
  const jwks = { keys: [key.publicJwk] };
  service.app.get('/.well-known/jwks.json', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return jwks;
  });
  installTokenRoute(service.app, key, config);
  service.app.get('/.well-known/openid-configuration', async () => ({
    issuer: config.auth.issuer,
    jwks_uri: `http://127.0.0.1:${config.ports.issuer}/.well-known/jwks.json`,
    id_token_signing_alg_values_supported: ['ES256'],
  }));
  return service;
}
