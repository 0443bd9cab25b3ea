import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { VerifiedIdentity } from './auth/verify.ts';

/**
 * Per-request state of the gateway, made once by the context function and read by the plugins and
 * by every subgraph call of the request. Identity is only ever what a verified token said.
 */
export interface GatewayContext {
  requestId: string;
  log: FastifyBaseLogger;
  identity: VerifiedIdentity | null;
  /** The client's headers, for header rules; identity headers in here are never forwarded. */
  clientHeaders: IncomingHttpHeaders;
  traceparent: string | undefined;
  tracestate: string | undefined;
  receivedAt: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook before GraphQL runs; null for a request without a token. */
    identity: VerifiedIdentity | null;
  }
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export async function gatewayContext(request: FastifyRequest): Promise<GatewayContext> {
  const traceparent = single(request.headers.traceparent);
  const valid = traceparent !== undefined && TRACEPARENT.test(traceparent);
  return {
    requestId: request.id,
    log: request.log,
    identity: request.identity ?? null,
    clientHeaders: request.headers,
    traceparent: valid ? traceparent : undefined,
    tracestate: valid ? single(request.headers.tracestate) : undefined,
    receivedAt: Date.now(),
  };
}
