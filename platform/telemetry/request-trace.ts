import {
  type Attributes,
  type Context,
  defaultTextMapSetter,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** What a request's own code needs to add spans under the request's span: where, and with what. */
export interface RequestTrace {
  readonly tracer: Tracer;
  /** A context whose span is the request's (server) span. */
  readonly context: Context;
}

const propagator = new W3CTraceContextPropagator();

/** Writes `traceparent` (and `tracestate`) for a call made under `context`'s span. */
export function injectTrace(context: Context, headers: Record<string, string>): void {
  propagator.inject(context, headers, defaultTextMapSetter);
}

export { propagator };

/** A span for work done within a request, child of `parent`'s span. */
export function startChild(
  parent: RequestTrace,
  name: string,
  attributes?: Attributes,
  kind: SpanKind = SpanKind.INTERNAL,
): Span {
  return parent.tracer.startSpan(name, { kind, attributes }, parent.context);
}

/** The request trace for work under `span` (a client call, a phase), to hand further down. */
export function under(parent: RequestTrace, span: Span): RequestTrace {
  return { tracer: parent.tracer, context: trace.setSpan(parent.context, span) };
}

/** Ends a span as failed, with the error's code and message (never a stack: spans leave the process). */
export function endFailed(span: Span, code: string, message?: string): void {
  span.setAttribute('error.type', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? code });
  span.end();
}

/** A traced outgoing HTTP call: its CLIENT span, already written into the call's headers. */
export interface ClientCallSpan {
  /** Ends with the answer's status, or as failed with a catalogue code. */
  end(status: number | undefined, errorCode?: string): void;
}

/**
 * Starts the CLIENT span of an outgoing call and puts its `traceparent` in `headers`, so the
 * service called continues this trace under this span. Returns nothing when the request is not
 * traced, leaving `headers` as they were.
 */
export function startClientCall(
  parent: RequestTrace | undefined,
  name: string,
  attributes: Attributes,
  headers: Record<string, string>,
): ClientCallSpan | undefined {
  if (!parent) return undefined;
  const span = startChild(parent, name, attributes, SpanKind.CLIENT);
  injectTrace(trace.setSpan(parent.context, span), headers);
  return {
    end(status, errorCode) {
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      if (errorCode) endFailed(span, errorCode);
      else span.end();
    },
  };
}
