import { createRequire } from 'node:module';
import type { Span, Tracer, TracerProvider } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { installGatewayTracer } from '../../gateway/telemetry/gateway-tracer.ts';

const fromGateway = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
const api = fromGateway('@opentelemetry/api') as typeof import('@opentelemetry/api');
const gatewayTracer = () => (fromGateway('./utilities/opentelemetry.js') as { tracer: Tracer }).tracer;

describe("@apollo/gateway's own spans", () => {
  it('run their callback with a no-op span while no global provider is registered, then reach it', () => {
    installGatewayTracer();
    const run = () =>
      gatewayTracer().startActiveSpan('gateway.request', { attributes: {} }, (span: Span) => span);
    const quiet = run();
    expect(quiet.isRecording()).toBe(false);
    expect(run() === quiet).toBe(true);

    const started: string[] = [];
    const noop = new api.ProxyTracerProvider().getDelegate().getTracer('noop');
    const provider: TracerProvider = {
      getTracer: () => ({
        startSpan: (name, options, context) => {
          started.push(name);
          return noop.startSpan(name, options, context);
        },
        startActiveSpan: ((name: string, ...rest: unknown[]) => {
          started.push(name);
          return (rest[rest.length - 1] as (span: Span) => unknown)(noop.startSpan(name));
        }) as Tracer['startActiveSpan'],
      }),
    };
    expect(api.trace.setGlobalTracerProvider(provider)).toBe(true);
    run();
    expect(started).toEqual(['gateway.request']);
    api.trace.disable();
  });
});
