import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { allowedOrigins, type CorsService } from './config/cors.ts';
import type { PorticoConfig } from './config/schema.ts';
import { errorBody } from './errors.ts';
import { REQUEST_ID_HEADER } from './request-id.ts';

/** Headers a page may send: GraphQL over HTTP, a token, tracing, a deadline, a conditional GET. */
const ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  REQUEST_ID_HEADER,
  'traceparent',
  'tracestate',
  'baggage',
  'x-request-deadline',
  'request-timeout',
  'if-none-match',
  'accept-language',
];

/** Headers a page may read: what a frontend needs to report, back off and revalidate. */
export const EXPOSED_HEADERS = [
  REQUEST_ID_HEADER,
  'RateLimit',
  'RateLimit-Policy',
  'Retry-After',
  'ETag',
  'WWW-Authenticate',
];

/** `http://127.0.0.1:*` matches any port of that host; anything else matches exactly. */
function matcher(pattern: string): (origin: string) => boolean {
  const lower = pattern.toLowerCase();
  if (!lower.endsWith(':*')) return (origin) => origin.toLowerCase() === lower;
  const prefix = lower.slice(0, -1);
  return (origin) => {
    const o = origin.toLowerCase();
    return o.startsWith(prefix) && /^\d{1,5}$/.test(o.slice(prefix.length));
  };
}

/**
 * Lets browser pages on the configured origins call this service (`cors.origins.<service>`),
 * with @fastify/cors. It sits beside Apollo's CSRF prevention rather than loosening it: a page's
 * JSON POST is preflighted, and the preflight is answered here, before auth and Apollo, so an
 * allowed origin's POST then reaches Apollo as a non-simple request. A preflight from any other
 * origin is refused with 403 (not answered 204 without an allow header, which leaves a developer
 * guessing); a same-origin or non-browser request (no Origin) is untouched.
 *
 *   OPTIONS + Origin allowed  -> 204, Access-Control-Allow-{Origin,Credentials,Methods,Headers}
 *   OPTIONS + Origin refused  -> 403 FORBIDDEN
 *   GET/POST + Origin allowed -> the answer, plus Allow-Origin, Allow-Credentials, Expose-Headers
 */
export async function installCors(
  app: FastifyInstance,
  config: Pick<PorticoConfig, 'environment' | 'cors'>,
  service: CorsService,
): Promise<void> {
  const matchers = allowedOrigins(config, service).map(matcher);
  const allowed = (origin: string | undefined) => origin !== undefined && matchers.some((m) => m(origin));
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (
      request.method === 'OPTIONS' &&
      origin !== undefined &&
      request.headers['access-control-request-method'] !== undefined &&
      !allowed(origin)
    ) {
      return reply
        .code(403)
        .send(
          errorBody(
            'FORBIDDEN',
            `origin ${origin} may not call this service from a browser (cors.origins.${service})`,
          ),
        );
    }
  });
  await app.register(cors, {
    origin: (origin, callback) => callback(null, allowed(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: config.cors.maxAgeSec,
  });
}
