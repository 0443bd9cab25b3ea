import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { CallerIdentity } from '../../platform/assertion/identity.ts';
import { fieldError } from '../../platform/errors.ts';

/**
 * The caller as the gateway vouches for it, in the gateway's signed assertion. Subgraphs never
 * look at client tokens or headers for identity: a call without a valid assertion never gets
 * this far (see gateway-only.ts).
 */
export interface Identity {
  userId: string | null;
  tenantId: string | null;
  scopes: readonly string[];
}

export interface SubgraphContext {
  identity: Identity;
  requestId: string;
  log: FastifyBaseLogger;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the gateway-only hook from the verified assertion; null only before it runs. */
    caller: CallerIdentity | null;
  }
}

export async function subgraphContext(request: FastifyRequest): Promise<SubgraphContext> {
  const caller = request.caller;
  return {
    identity: {
      userId: caller?.subject ?? null,
      tenantId: caller?.tenant ?? null,
      scopes: caller?.scopes ?? [],
    },
    requestId: request.id,
    log: request.log,
  };
}

/** The caller's tenant, or an UNAUTHENTICATED error on the field that needed it. */
export function requireTenant(identity: Identity): string {
  if (!identity.tenantId) throw fieldError('UNAUTHENTICATED', 'this field needs a caller with a tenant');
  return identity.tenantId;
}
