import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The W3C trace context a client sent, if it is well formed (else none: we start a new trace). */
export function inboundTrace(headers: IncomingHttpHeaders): {
  traceparent: string | undefined;
  tracestate: string | undefined;
} {
  const traceparent = single(headers.traceparent);
  const valid = traceparent !== undefined && TRACEPARENT.test(traceparent);
  return {
    traceparent: valid ? traceparent : undefined,
    tracestate: valid ? single(headers.tracestate) : undefined,
  };
}

/** A traceparent for a call downward: the caller's trace continues, with a span id of ours. */
export function childTraceparent(parent: string | undefined): string {
  const span = randomBytes(8).toString('hex');
  if (parent) {
    const [version, traceId, , flags] = parent.split('-');
    return `${version}-${traceId}-${span}-${flags}`;
  }
  return `00-${randomBytes(16).toString('hex')}-${span}-01`;
}
