import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { type ErrorCode, errorBody } from './errors.ts';
import type { CutOffReason } from './metrics.ts';

interface Answer {
  status: number;
  code: ErrorCode;
  message: string;
  reason: CutOffReason;
}

const answers: Record<string, Answer> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'BAD_REQUEST',
    message: 'request headers (or the URL) are larger than allowed',
    reason: 'headers_too_large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    message: 'the request was not received in time',
    reason: 'request_timeout',
  },
};

const malformed: Answer = {
  status: 400,
  code: 'BAD_REQUEST',
  message: 'malformed HTTP request',
  reason: 'malformed',
};

/**
 * Requests Node's HTTP parser refuses before fastify sees them (headers or URL too large, broken
 * HTTP, too slow: server.headersTimeoutMs / requestTimeoutMs) are answered in the same GraphQL
 * error shape, with a code, as everything else, and counted.
 */
export function clientErrorHandler(log: FastifyBaseLogger, onCutOff: (reason: CutOffReason) => void) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, code, message, reason } = answers[error.code ?? ''] ?? malformed;
    onCutOff(reason);
    log.debug({ err: error, status }, 'client error');
    if (socket.writable) {
      const body = JSON.stringify(errorBody(code, message));
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
          `Content-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}
