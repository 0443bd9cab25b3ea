import { type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { HEDGED_REQUEST_HEADER, RETRY_ATTEMPT_HEADER } from '../../platform/headers.ts';
import {
  endFailed,
  injectTrace,
  type RequestTrace,
  startChild,
  under,
} from '../../platform/telemetry/request-trace.ts';
import { type Interceptor, SubgraphFailure } from './types.ts';

/** One traced fetch, shared by its attempts (the request objects are copied, this is not). */
export interface FetchTrace {
  readonly trace: RequestTrace;
  attempts: number;
  hedged: boolean;
  /** The HTTP status of the attempt under way (set by http.ts). */
  status?: number;
}

function codeOf(error: unknown): string {
  return error instanceof SubgraphFailure ? error.code : 'SUBGRAPH_ERROR';
}

/**
 * The span of one subgraph fetch as the plan asked for it, outermost in the chain, so it covers
 * routing, dedup, retries, the breaker and hedging. It ends carrying what they did: how many
 * attempts went out, whether one was a hedge, whether this fetch only joined an identical one in
 * flight (no attempts of its own), the breaker refusing it, and the final status or error code.
 * Off (no trace on the request) it is a pass-through.
 */
export function fetchSpanInterceptor(): Interceptor {
  return (next) => async (request) => {
    const parent = request.context?.trace;
    if (!parent) return next(request);
    const span = startChild(parent, `subgraph ${request.subgraph}`, {
      'portico.subgraph': request.subgraph,
      'graphql.operation.type': request.isMutation ? 'mutation' : 'query',
    });
    const fetch: FetchTrace = { trace: under(parent, span), attempts: 0, hedged: false };
    const finish = () => {
      span.setAttribute('portico.fetch.attempts', fetch.attempts);
      span.setAttribute('portico.fetch.retried', fetch.attempts > 1);
      span.setAttribute('portico.fetch.hedged', fetch.hedged);
      span.setAttribute('portico.fetch.deduplicated', fetch.attempts === 0);
      if (request.canary) span.setAttribute('portico.fetch.canary', true);
    };
    try {
      const response = await next({ ...request, trace: fetch });
      finish();
      if (fetch.status !== undefined) span.setAttribute('http.response.status_code', fetch.status);
      span.end();
      return response;
    } catch (error) {
      finish();
      const code = codeOf(error);
      if (code === 'SUBGRAPH_CIRCUIT_OPEN') span.setAttribute('portico.fetch.breaker', 'open');
      if (error instanceof SubgraphFailure && error.status !== undefined) {
        span.setAttribute('http.response.status_code', error.status);
      }
      endFailed(span, code);
      throw error;
    }
  };
}

/**
 * One span per HTTP attempt (first try, retry or hedge), innermost before the assertion, and the
 * `traceparent` the subgraph continues from: the attempt's own span.
 */
export function attemptSpanInterceptor(): Interceptor {
  return (next) => async (request) => {
    const fetch = request.trace;
    if (!fetch) return next(request);
    fetch.attempts += 1;
    const hedge = request.headers[HEDGED_REQUEST_HEADER] !== undefined;
    if (hedge) fetch.hedged = true;
    const attempt = Number(request.headers[RETRY_ATTEMPT_HEADER] ?? 0) + 1;
    const span: Span = startChild(
      fetch.trace,
      `POST ${request.subgraph}`,
      {
        'portico.subgraph': request.subgraph,
        'portico.fetch.attempt': attempt,
        'portico.fetch.hedge': hedge,
        'server.address': safeHost(request.url),
      },
      SpanKind.CLIENT,
    );
    const headers = { ...request.headers };
    injectTrace(under(fetch.trace, span).context, headers);
    try {
      const response = await next({ ...request, headers });
      if (fetch.status !== undefined) span.setAttribute('http.response.status_code', fetch.status);
      span.setStatus({ code: SpanStatusCode.UNSET });
      span.end();
      return response;
    } catch (error) {
      if (error instanceof SubgraphFailure && error.status !== undefined) {
        span.setAttribute('http.response.status_code', error.status);
      }
      endFailed(span, codeOf(error));
      throw error;
    }
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}
