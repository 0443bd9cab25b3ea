import { SpanStatusCode } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { codedError } from '../errors.ts';
import { startPhase } from '../telemetry/server-spans.ts';
import { bearerToken } from './bearer.ts';
import { challenge } from './challenge.ts';
import { KeySetUnavailableError } from './keys.ts';
import { TokenRejectedError, type TokenVerifier, type VerifiedIdentity } from './verify.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook before GraphQL runs; null for a request without a token. */
    identity: VerifiedIdentity | null;
  }
}

/**
 * Verifies the bearer token before GraphQL parses anything, so a bad token costs no parsing,
 * planning or subgraph call. A request without a token passes with no identity; the auth plugin
 * then admits it only for the operations declared anonymous.
 */
export function installAuthHook(app: FastifyInstance, verify: TokenVerifier, path: string): void {
  app.decorateRequest('identity', null);
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.url !== path || request.method === 'OPTIONS') return;
    const header = request.headers.authorization;
    const token = bearerToken(header);
    if (token === undefined) return;
    if (token === null) {
      throw codedError('UNAUTHENTICATED', 'Authorization header is not a Bearer token', {
        headers: challenge('malformed Authorization header'),
      });
    }
    const span = startPhase(request.raw, 'auth');
    try {
      request.identity = await verify(token);
      span?.end();
    } catch (error) {
      span?.setStatus({ code: SpanStatusCode.ERROR, message: 'token not accepted' });
      span?.end();
      if (error instanceof TokenRejectedError) {
        request.log.info({ reason: error.reason }, 'token rejected');
        throw codedError('UNAUTHENTICATED', `invalid token: ${error.reason}`, {
          headers: challenge(error.reason),
        });
      }
      if (error instanceof KeySetUnavailableError) {
        request.log.error({ err: error }, 'cannot verify tokens: no signing keys');
        throw codedError('GATEWAY_UNAVAILABLE', 'token verification is unavailable; retry shortly', {
          headers: { 'retry-after': '5' },
        });
      }
      throw error;
    }
  });
}
