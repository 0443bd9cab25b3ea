import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { PorticoConfig } from '../platform/config/schema.ts';
import { errorBody } from '../platform/errors.ts';
import type { DevKey } from './keys.ts';
import { issuerIdentity, signDevToken } from './sign.ts';

const name = z.string().regex(/^[\w.@:-]{1,64}$/, 'letters, digits and . @ : _ - (at most 64)');

/** What a dev sign-in form sends: who to be. Scopes are the dev issuer's to grant, as `portico token` does. */
const request = z.strictObject({
  sub: name,
  tenant: name.optional(),
  scopes: z.array(name).max(16).default([]),
  ttl: z
    .string()
    .regex(/^[1-9]\d*[smh]$/, 'a lifetime such as 30m or 12h')
    .optional(),
});

/**
 * `POST /token` on the dev issuer: the reference web app's dev sign-in, so a browser page gets a
 * token without a terminal. It signs whatever it is asked, like `portico token`, which is why the
 * issuer exists only in development and listens on loopback there.
 */
export function installTokenRoute(
  app: FastifyInstance,
  key: DevKey,
  config: Pick<PorticoConfig, 'auth' | 'devIssuer'>,
): void {
  const who = issuerIdentity(config.auth);
  app.post('/token', async (req, reply) => {
    const parsed = request.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return reply
        .code(400)
        .send(errorBody('BAD_REQUEST', `${issue.path.join('.') || 'body'}: ${issue.message}`));
    }
    const ttl = parsed.data.ttl ?? config.devIssuer.defaultTtl;
    const token = await signDevToken(key, { ...parsed.data, ttl }, who);
    reply.header('cache-control', 'no-store');
    return { token, tokenType: 'Bearer', ttl };
  });
}
