import type { FastifyError, FastifyInstance } from 'fastify';
import { GraphQLError } from 'graphql';
import { type ErrorCode, errorBody, httpOf } from './errors.ts';
import { INTERNAL_MESSAGE } from './graphql-errors.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function codeFor(error: FastifyError): ErrorCode {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'PAYLOAD_TOO_LARGE';
  return 'BAD_REQUEST';
}

/**
 * Errors that happen before GraphQL runs (a refused token, a query limit, bad JSON, wrong content
 * type, oversized body, unknown route) still answer in the GraphQL error shape with a catalogue
 * code, so clients parse one format. Hooks raise the same coded errors as GraphQL code does
 * (`codedError`: code, status and headers in one carrier). Anything that is not a client error is
 * logged in full and answered as a bare INTERNAL.
 */
export function installHttpErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((raised: FastifyError | GraphQLError, request, reply) => {
    const coded = raised instanceof GraphQLError ? httpOf(raised) : null;
    if (coded) {
      for (const [name, value] of coded.headers) reply.header(name, value);
      return reply.code(coded.status).send(errorBody(coded.code, raised.message, coded.extensions));
    }
    const error = raised as FastifyError;
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      request.log.info({ code: error.code, status }, error.message);
      // fastify's own message does not say what the limit is; the client needs it to split the request.
      const message =
        error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? `request body is larger than the limit of ${request.routeOptions.bodyLimit} bytes`
          : error.message;
      return reply.code(status).send(errorBody(codeFor(error), message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(errorBody('INTERNAL', INTERNAL_MESSAGE));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = METHODS.filter((method) => app.hasRoute({ url: path, method }));
    if (allowed.length > 0) {
      // The resource exists; only the method is wrong (RFC 9110: 405 names the ones that work).
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send(
          errorBody('BAD_REQUEST', `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}`),
        );
    }
    return reply.code(404).send(errorBody('BAD_REQUEST', `no route ${request.method} ${path}`));
  });
}
