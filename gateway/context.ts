import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { VerifiedIdentity } from '../platform/auth/verify.ts';
import { type DeadlineLimits, requestDeadline } from '../platform/deadline.ts';
import type { Replay } from '../platform/telemetry/replay.ts';
import type { RequestTrace } from '../platform/telemetry/request-trace.ts';
import { requestTrace } from '../platform/telemetry/server-spans.ts';
import { inboundTrace } from '../platform/trace.ts';
import type { Judgement, OperationLimitFacts } from './rate-limit/judge.ts';

/**
 * Per-request state of the gateway, made once by the context function and read by the plugins and
 * by every subgraph call of the request. Identity is only ever what a verified token said.
 */
export interface GatewayContext {
  requestId: string;
  log: FastifyBaseLogger;
  identity: VerifiedIdentity | null;
  /**
   * The client's address: the connection's peer, or behind trusted proxies (`gateway.trustProxy`)
   * the address they forwarded. Rate limits `per: ip` key on it.
   */
  clientIp: string;
  /** The client's headers, for header rules; identity headers in here are never forwarded. */
  clientHeaders: IncomingHttpHeaders;
  traceparent: string | undefined;
  tracestate: string | undefined;
  /**
   * Where this request's spans go when tracing is on: the server span, then (once planned) the
   * execute span, so subgraph fetches are its children (telemetry/phases.ts). None when off.
   */
  trace: RequestTrace | undefined;
  receivedAt: number;
  /**
   * Epoch ms by which the answer is due: the client's deadline capped by the gateway's maximum.
   * Every subgraph call of the request gets what is left of it (see transport/deadline.ts).
   */
  deadline: number;
  /** What the rate limits judged this operation on (set by the rate-limit plugin). */
  limitFacts?: OperationLimitFacts;
  /** The limits' verdict, when the cache's fast path judged the request before handing it on. */
  limitJudgement?: Judgement;
  /** Set on a response-cache hit: what the plugins would do again for a fast hit (cache/fast-path.ts). */
  replays?: Replay[];
}

/** The context function for Apollo Server; throws BAD_REQUEST (400) on an unreadable deadline header. */
export function gatewayContext(limits: DeadlineLimits) {
  return async (request: FastifyRequest, reply?: FastifyReply): Promise<GatewayContext> => {
    const trace = inboundTrace(request.headers);
    // Counted from arrival, not from here: body parsing and token checks spend the client's budget too.
    const receivedAt = Date.now() - (reply?.elapsedTime ?? 0);
    return {
      requestId: request.id,
      log: request.log,
      identity: request.identity ?? null,
      clientIp: request.ip,
      clientHeaders: request.headers,
      ...trace,
      trace: requestTrace(request.raw),
      receivedAt,
      deadline: requestDeadline(request.headers, receivedAt, limits),
      limitJudgement: request.limitJudgement ?? undefined,
    };
  };
}
