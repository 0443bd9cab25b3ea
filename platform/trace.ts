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

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * Random ids in hex, cut from a pool filled 4 KB at a time: a span id for every subgraph call
 * would otherwise be one synchronous trip to the system's random source each (a few percent of a
 * gateway's CPU on a query with many fetches).
 */
function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  offset += bytes;
  return pool.toString('hex', offset - bytes, offset);
}

/** A traceparent for a call downward: the caller's trace continues, with a span id of ours. */
export function childTraceparent(parent: string | undefined): string {
  const span = randomHex(8);
  if (parent) {
    const [version, traceId, , flags] = parent.split('-');
    return `${version}-${traceId}-${span}-${flags}`;
  }
  return `00-${randomHex(16)}-${span}-01`;
}
