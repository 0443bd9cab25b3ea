import type { FastifyInstance } from 'fastify';
import { HttpCodedError } from '../http-errors.ts';
import { bearerToken } from './bearer.ts';
import { challenge } from './challenge.ts';
import { KeySetUnavailableError } from './keys.ts';
import { TokenRejectedError, type TokenVerifier } from './verify.ts';

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
      throw new HttpCodedError(
        'UNAUTHENTICATED',
        'Authorization header is not a Bearer token',
        401,
        challenge('malformed Authorization header'),
      );
    }
    try {
      request.identity = await verify(token);
    } catch (error) {
      if (error instanceof TokenRejectedError) {
        request.log.info({ reason: error.reason }, 'token rejected');
        throw new HttpCodedError(
          'UNAUTHENTICATED',
          `invalid token: ${error.reason}`,
          401,
          challenge(error.reason),
        );
      }
      if (error instanceof KeySetUnavailableError) {
        request.log.error({ err: error }, 'cannot verify tokens: no signing keys');
        throw new HttpCodedError(
          'GATEWAY_UNAVAILABLE',
          'token verification is unavailable; retry shortly',
          503,
          { 'retry-after': '5' },
        );
      }
      throw error;
    }
  });
}
