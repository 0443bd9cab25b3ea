import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingSettings } from '../config/telemetry.ts';

const SERVICE_NAMESPACE = 'service.namespace';

/** The sampler `OTEL_TRACES_SAMPLER` / `_ARG` name, as the specification defines each one. */
export function samplerFor(settings: Pick<TracingSettings, 'sampler' | 'samplerArg'>): Sampler {
  const ratio = new TraceIdRatioBasedSampler(settings.samplerArg ?? 1);
  switch (settings.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * A tracer provider exporting over OTLP/HTTP in batches. `service.name` is the service's own
 * name, or `OTEL_SERVICE_NAME` when this process runs only that service; in a shared process
 * `OTEL_SERVICE_NAME` names the deployment (`service.namespace`) instead, since nine services
 * under one name could not be told apart. `OTEL_EXPORTER_OTLP_HEADERS` and `_TIMEOUT` are read
 * by the exporter itself.
 */
export async function createTracerProvider(
  service: string,
  settings: TracingSettings,
  url: string,
  sharedProcess: boolean,
): Promise<BasicTracerProvider> {
  const { OTLPTraceExporter } =
    settings.protocol === 'http/json'
      ? await import('@opentelemetry/exporter-trace-otlp-http')
      : await import('@opentelemetry/exporter-trace-otlp-proto');
  const name = sharedProcess ? service : (settings.serviceName ?? service);
  const namespace = sharedProcess ? (settings.serviceName ?? 'portico') : 'portico';
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: name, [SERVICE_NAMESPACE]: namespace }),
    sampler: samplerFor(settings),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
}
