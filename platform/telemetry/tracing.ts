import { type Context, ROOT_CONTEXT, type Tracer, trace } from '@opentelemetry/api';
import type { TracingSettings } from '../config/telemetry.ts';

/**
 * The tracer of one service. Off (no endpoint set) it is nothing at all: no SDK loaded, no
 * exporter, no span objects, and callers skip their tracing on `enabled` alone, so the request
 * path pays one property read.
 */
export interface Tracing {
  readonly enabled: boolean;
  readonly tracer: Tracer;
  /** Sends what is buffered; called when the service closes. */
  shutdown(): Promise<void>;
}

export const TRACING_OFF: Tracing = {
  enabled: false,
  tracer: trace.getTracer('portico'),
  shutdown: async () => undefined,
};

/** The traces URL the settings name, if any: the signal URL as it is, or the base + `/v1/traces`. */
export function tracesUrl(settings: TracingSettings): string | undefined {
  if (settings.tracesEndpoint) return settings.tracesEndpoint;
  if (!settings.endpoint) return undefined;
  return `${settings.endpoint.replace(/\/+$/, '')}/v1/traces`;
}

/**
 * One tracer provider per service, never registered as the global one: `npm start` hosts every
 * service in one process, and each must export under its own `service.name`. Spans are parented
 * through contexts handed along explicitly (the request's span travels in the request's context
 * object), so no global context manager is needed either.
 */
let sharedProcess = false;

/** Called by a launcher that hosts several services in this process (see provider.ts for naming). */
export function hostSeveralServices(): void {
  sharedProcess = true;
}

export async function createTracing(service: string, settings: TracingSettings): Promise<Tracing> {
  const url = tracesUrl(settings);
  if (!url) return TRACING_OFF;
  // Loaded only when tracing is on, so a process without a collector never loads the SDK.
  const { createTracerProvider } = await import('./provider.ts');
  const provider = await createTracerProvider(service, settings, url, sharedProcess);
  return {
    enabled: true,
    tracer: provider.getTracer('portico'),
    shutdown: () => provider.shutdown(),
  };
}

/** A context holding `parent` as its span, for starting children with an explicit parent. */
export function withSpan(span: Parameters<typeof trace.setSpan>[1], parent: Context = ROOT_CONTEXT): Context {
  return trace.setSpan(parent, span);
}
