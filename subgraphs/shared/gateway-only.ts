import { AssertionRejectedError, type AssertionVerifier } from '../../platform/assertion/verify.ts';
import { bearerToken } from '../../platform/auth/bearer.ts';
import { challenge } from '../../platform/auth/challenge.ts';
import { codedError } from '../../platform/errors.ts';
import type { Service } from '../../platform/service.ts';

/** What load balancers and orchestrators probe; they carry no assertion and reveal nothing. */
const OPEN = new Set(['/health', '/ready']);

/**
 * A subgraph answers only the gateway. Every request but the probes must carry the gateway's
 * assertion for this subgraph; anything else (no assertion, a forged or expired one, one for
 * another subgraph, the old identity headers alone) is 401 before the body is even read, so it
 * reaches no resolver.
 */
export function installGatewayOnly(service: Service, verify: AssertionVerifier): void {
  service.app.decorateRequest('caller', null);
  service.app.addHook('onRequest', async (request) => {
    if (OPEN.has(request.url.split('?')[0] ?? '')) return;
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      request.log.info('call without a gateway assertion refused');
      throw codedError('UNAUTHENTICATED', 'this service answers only the Portico gateway', {
        headers: challenge('gateway assertion required'),
      });
    }
    try {
      request.caller = await verify(token);
    } catch (error) {
      if (!(error instanceof AssertionRejectedError)) throw error;
      request.log.warn({ reason: error.message }, 'gateway assertion rejected');
      throw codedError('UNAUTHENTICATED', `gateway assertion rejected: ${error.message}`, {
        headers: challenge(error.message),
      });
    }
  });
}
