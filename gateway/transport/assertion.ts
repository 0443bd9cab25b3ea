import type { AssertionSigner } from '../../platform/assertion/sign.ts';
import { withHeader } from './headers.ts';
import type { Interceptor } from './types.ts';

/**
 * Vouches for every attempt of a subgraph call with the gateway's signed assertion (the only
 * thing subgraphs take identity from). Innermost, so a retried or hedged attempt carries it too;
 * its expiry is the call's deadline, which the deadline interceptor has set by now.
 */
export function assertionInterceptor(signer: AssertionSigner): Interceptor {
  return (next) => async (request) => {
    const deadline = request.deadline ?? request.context?.deadline ?? Number.NaN;
    const pending = signer.assertion(request.subgraph, request.context?.identity ?? null, deadline);
    const token = typeof pending === 'string' ? pending : await pending;
    return next({ ...request, headers: withHeader(request.headers, 'authorization', `Bearer ${token}`) });
  };
}
