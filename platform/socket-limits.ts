import type { ServerOptions } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { PorticoConfig } from './config/schema.ts';
import { errorBody } from './errors.ts';
import type { CutOffReason } from './metrics.ts';

type ServerLimits = PorticoConfig['server'];

/**
 * Node's own limits for a request that is slow to arrive: the headers within `headersTimeoutMs`,
 * the whole request within `requestTimeoutMs` (both answered 408 by Node, through the client
 * error handler), checked every `timeoutCheckIntervalMs` (Node's default of 30 s would let a
 * socket live half a minute past its limit).
 */
export function serverTimeoutOptions(limits: ServerLimits): {
  http: ServerOptions;
  requestTimeout: number;
  keepAliveTimeout: number;
} {
  return {
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
    },
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  };
}

const TIMED_OUT = JSON.stringify(errorBody('REQUEST_TIMEOUT', 'the request body stopped arriving'));

/**
 * Cuts off a request whose body stops arriving for `idleMs`: 408 and the connection closed. Node
 * has no such limit (its socket timeout would also fire while a slow backend is being waited on,
 * after the body arrived), so the idle timer runs only while fastify is reading the body.
 */
export function installBodyIdleTimeout(
  app: FastifyInstance,
  idleMs: number,
  onCutOff: (reason: CutOffReason) => void,
): void {
  const armed = new WeakSet<object>();
  app.addHook('onRequest', async (request, reply) => {
    const headers = request.headers;
    if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) return;
    if (headers['content-length'] === '0') return;
    armed.add(request);
    // On the request, not the socket: Node's own socket-timeout handler asks the unfinished
    // request first, and destroys the socket unanswered only when nobody listens there.
    request.raw.setTimeout(idleMs, () => {
      const socket = request.raw.socket;
      if (!armed.delete(request) || socket.destroyed) return;
      onCutOff('body_idle');
      request.log.info({ idleMs }, 'request body stopped arriving; connection closed');
      if (!reply.raw.headersSent && socket.writable) {
        socket.write(
          `HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${Buffer.byteLength(TIMED_OUT)}\r\nConnection: close\r\n\r\n${TIMED_OUT}`,
        );
      }
      socket.destroy();
    });
  });
  // The body has been read (or there was none to read): from here the socket may rest while the
  // answer is worked out, for as long as the request's own deadline allows.
  const disarm = async (request: { raw: { socket: { setTimeout(ms: number): unknown } } }) => {
    if (armed.delete(request)) request.raw.socket.setTimeout(0);
  };
  app.addHook('preValidation', disarm);
  app.addHook('onResponse', disarm);
}
