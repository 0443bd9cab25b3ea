import { parse, print } from 'graphql';
import { resolveFromRoot } from '../platform/config/load.ts';
import type { PorticoConfig } from '../platform/config/schema.ts';
import type { IdeOptions } from '../platform/landing-page.ts';
import { loadOrCreateDevKey } from './keys.ts';
import { issuerIdentity, signDevToken } from './sign.ts';

const USER = { sub: 'acme-user-1', tenant: 'acme', scopes: ['billing:read'] } as const;
const TOKEN_COMMAND = `npm run --silent token -- --sub ${USER.sub} --tenant ${USER.tenant} --scopes ${USER.scopes.join(',')}`;

/** Whether this service trusts the local dev issuer's tokens (development, no JWKS configured). */
function trustsDevIssuer(config: Readonly<PorticoConfig>): boolean {
  return config.environment === 'development' && !config.auth.jwksUrl && !config.auth.jwksFile;
}

/**
 * What the development IDE of a public service opens with: `query` under a comment saying whose
 * token the Headers tab holds and how to get another, and in the Headers tab a dev token signed
 * with the local dev issuer's key (12 h), when this service trusts that issuer; otherwise the
 * command that makes one.
 */
export function devIde(config: Readonly<PorticoConfig>, service: string, query: string): IdeOptions {
  const dev = trustsDevIssuer(config);
  const comment = [
    `# Portico ${service}. Press the run button (or Ctrl-Enter) to send the query below.`,
    dev
      ? `# The Headers tab holds a dev token: user ${USER.sub}, tenant ${USER.tenant}, scope ${USER.scopes.join(' ')}, 12 h.`
      : '# Put a token in the Headers tab: authorization: Bearer <token>.',
    `# Another user: ${TOKEN_COMMAND.replace(USER.sub, '<user>').replace(USER.tenant, '<tenant>')}`,
    '# GET requests need the header apollo-require-preflight: true (CSRF prevention); POST does not.',
  ].join('\n');
  return {
    defaultQuery: `${comment}\n${print(parse(query))}\n`,
    async headers() {
      if (!dev) return { authorization: `Bearer <run: ${TOKEN_COMMAND}>` };
      const key = await loadOrCreateDevKey(resolveFromRoot(config.devIssuer.keyFile));
      const token = await signDevToken(key, { ...USER, ttl: '12h' }, issuerIdentity(config.auth));
      return { authorization: `Bearer ${token}` };
    },
  };
}
