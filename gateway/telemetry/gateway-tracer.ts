import { createRequire } from 'node:module';
import type { Span, Tracer } from '@opentelemetry/api';

interface GatewayTelemetryModule {
  tracer: Tracer;
}

let installed = false;

/**
 * @apollo/gateway wraps each request, plan, execution and fetch in its own OpenTelemetry spans
 * through the global tracer provider. Portico registers none (its spans go through its own
 * provider: platform/telemetry/), so they are no-op spans, yet each costs the API's proxy lookup,
 * a non-recording span and a context switch: ~1.2 % of a small query's CPU in the gateway. The
 * tracer here runs the callback with one shared no-op span instead, for as long as no global
 * provider is registered; once one is (an operator's own SDK, preloaded), every call goes to the
 * gateway's own tracer again, so its spans are exported as before.
 */
export function installGatewayTracer(): void {
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  const fromGateway = createRequire(require.resolve('@apollo/gateway'));
  const api = fromGateway('@opentelemetry/api') as typeof import('@opentelemetry/api');
  let telemetry: GatewayTelemetryModule;
  try {
    telemetry = fromGateway('./utilities/opentelemetry.js') as GatewayTelemetryModule;
  } catch {
    // Another gateway layout: its tracer stays as it is.
    return;
  }
  const own = telemetry.tracer;
  if (!own) return;
  // The provider the API answers with while nothing is registered (a shared singleton).
  const noProvider = new api.ProxyTracerProvider().getDelegate();
  const registered = api.trace.getTracerProvider() as InstanceType<typeof api.ProxyTracerProvider>;
  const quiet = () =>
    registered instanceof api.ProxyTracerProvider && registered.getDelegate() === noProvider;
  const noSpan: Span = api.trace.wrapSpanContext(api.INVALID_SPAN_CONTEXT);
  telemetry.tracer = {
    startSpan: (...args: Parameters<Tracer['startSpan']>) => own.startSpan(...args),
    startActiveSpan: ((...args: unknown[]) => {
      if (!quiet()) return (own.startActiveSpan as (...a: unknown[]) => unknown)(...args);
      const fn = args[args.length - 1] as (span: Span) => unknown;
      return fn(noSpan);
    }) as Tracer['startActiveSpan'],
  };
}
