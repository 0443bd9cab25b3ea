import type { FastifyError, FastifyInstance } from 'fastify';
import { type ErrorCode, errorCatalogue } from './errors.ts';
import { INTERNAL_MESSAGE } from './graphql-errors.ts';

/** An error a hook raises on purpose, answered as a GraphQL-shaped body with its code. */
export class HttpCodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number = errorCatalogue[code].status,
    readonly headers: Record<string, string> = {},
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function codeFor(error: FastifyError): ErrorCode {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'PAYLOAD_TOO_LARGE';
  return 'BAD_REQUEST';
}

/**
 * Errors that happen before GraphQL runs (bad JSON, wrong content type, oversized body, unknown
 * route) still answer in the GraphQL error shape with a catalogue code, so clients parse one format.
 * Anything that is not a client error is logged in full and answered as a bare INTERNAL.
 */
export function installHttpErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | HttpCodedError, request, reply) => {
    if (error instanceof HttpCodedError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return reply.code(error.status).send({
        errors: [{ message: error.message, extensions: { ...error.extensions, code: error.code } }],
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      request.log.info({ code: error.code, status }, error.message);
      // fastify's own message does not say what the limit is; the client needs it to split the request.
      const message =
        error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? `request body is larger than the limit of ${request.routeOptions.bodyLimit} bytes`
          : error.message;
      return reply.code(status).send({ errors: [{ message, extensions: { code: codeFor(error) } }] });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .send({ errors: [{ message: INTERNAL_MESSAGE, extensions: { code: 'INTERNAL' } }] });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = METHODS.filter((method) => app.hasRoute({ url: path, method }));
    if (allowed.length > 0) {
      // The resource exists; only the method is wrong (RFC 9110: 405 names the ones that work).
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send({
          errors: [
            {
              message: `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}`,
              extensions: { code: 'BAD_REQUEST' },
            },
          ],
        });
    }
    return reply.code(404).send({
      errors: [{ message: `no route ${request.method} ${path}`, extensions: { code: 'BAD_REQUEST' } }],
    });
  });
}
