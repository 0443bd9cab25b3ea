import type { IncomingMessage } from 'node:http';
import {
  defaultTextMapGetter,
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import type { FastifyChildLoggerFactory } from 'fastify/types/logger.js';
import { inboundTrace } from '../trace.ts';
import { propagator, type RequestTrace, startChild } from './request-trace.ts';
import type { Tracing } from './tracing.ts';

interface Active extends RequestTrace {
  readonly span: Span;
}

/**
 * The server span of every request a service answers (probes aside), continuing the caller's
 * W3C trace, and the trace id on every log line of the request.
 *
 *   request arrives -> fastify makes its child logger -> here: extract traceparent, start the
 *     SERVER span, bind traceId/spanId into that logger  (so every line, the access line too, carries it)
 *   route code -> requestTrace(request.raw) -> children of the server span
 *   response sent (or client gone) -> status, route name, end
 *
 * Keyed on the raw request in a WeakMap: nothing is added to fastify's request objects, and every
 * service of a process can share the map (each raw request belongs to one of them).
 */
const active = new WeakMap<IncomingMessage, Active>();

/** The request's trace, for spans of its own work; none when tracing is off (or for probes). */
export function requestTrace(raw: IncomingMessage): RequestTrace | undefined {
  return active.get(raw);
}

/** A span for a step of the request (token check, ...), or nothing when it is not traced. */
export function startPhase(raw: IncomingMessage, name: string): Span | undefined {
  const parent = active.get(raw);
  return parent ? startChild(parent, name) : undefined;
}

export function createServerSpans(tracing: () => Tracing, probes: ReadonlySet<string>) {
  function begin(raw: IncomingMessage): string | undefined {
    const current = tracing();
    if (!current.enabled) {
      // Off: no spans, but a caller's trace id still ties our lines to its trace.
      return raw.headers.traceparent === undefined
        ? undefined
        : inboundTrace(raw.headers).traceparent?.slice(3, 35);
    }
    const path = (raw.url ?? '').split('?')[0] ?? '';
    if (probes.has(path)) return undefined;
    const parent = propagator.extract(ROOT_CONTEXT, raw.headers, defaultTextMapGetter);
    const span = current.tracer.startSpan(
      `${raw.method ?? 'GET'} ${path}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': raw.method ?? 'GET', 'url.path': path },
      },
      parent,
    );
    active.set(raw, { span, tracer: current.tracer, context: trace.setSpan(parent, span) });
    const spanContext = span.spanContext();
    return isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
  }

  return {
    /** fastify's `childLoggerFactory`: the request's logger, with the trace id bound when there is one. */
    childLoggerFactory: ((logger, bindings, options, raw) => {
      const traceId = begin(raw);
      return logger.child(traceId ? { ...bindings, traceId } : bindings, options);
    }) satisfies FastifyChildLoggerFactory,
    /**
     * Ends each request's span when its answer is sent or its client goes away. Without an
     * endpoint tracing stays off for good: no span is ever started, so no hook runs per request.
     */
    install(app: FastifyInstance, mayTrace: boolean): void {
      if (!mayTrace) return;
      app.addHook('onResponse', async (request, reply) => {
        const entry = active.get(request.raw);
        if (!entry) return;
        active.delete(request.raw);
        const route = request.routeOptions.url;
        if (route) {
          entry.span.updateName(`${request.method} ${route}`);
          entry.span.setAttribute('http.route', route);
        }
        entry.span.setAttribute('http.response.status_code', reply.statusCode);
        if (reply.statusCode >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
        entry.span.end();
      });
      app.addHook('onRequestAbort', async (request) => {
        const entry = active.get(request.raw);
        if (!entry) return;
        active.delete(request.raw);
        entry.span.setStatus({ code: SpanStatusCode.ERROR, message: 'client closed the request' });
        entry.span.end();
      });
    },
  };
}
export type ServerSpans = ReturnType<typeof createServerSpans>;
