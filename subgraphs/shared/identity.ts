import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { GraphQLError } from 'graphql';
import { IDENTITY_HEADERS } from '../../platform/headers.ts';

/**
 * The caller as the gateway vouches for it. Subgraphs never look at tokens or client input for
 * identity: the gateway strips these headers from clients and sets them from the verified token.
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

function header(request: FastifyRequest, name: string): string | null {
  const value = request.headers[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single && single.length > 0 ? single : null;
}

export async function subgraphContext(request: FastifyRequest): Promise<SubgraphContext> {
  return {
    identity: {
      userId: header(request, IDENTITY_HEADERS.user),
      tenantId: header(request, IDENTITY_HEADERS.tenant),
      scopes: (header(request, IDENTITY_HEADERS.scopes) ?? '').split(/[\s,]+/).filter(Boolean),
    },
    requestId: request.id,
    log: request.log,
  };
}

/** The caller's tenant, or an UNAUTHENTICATED error on the field that needed it. */
export function requireTenant(identity: Identity): string {
  if (!identity.tenantId) {
    throw new GraphQLError('this field needs a caller with a tenant', {
      extensions: { code: 'UNAUTHENTICATED' },
    });
  }
  return identity.tenantId;
}
