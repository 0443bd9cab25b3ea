import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../platform/config/load.ts';
import { createService, type Service } from '../../../platform/service.ts';
import { testConfig } from '../../helpers/config.ts';
import { captureLogs } from '../../helpers/log-capture.ts';
import { type OtlpReceiver, startOtlpReceiver } from '../../helpers/otlp-receiver.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const PARENT = `00-${TRACE}-b7ad6b7169203331-01`;

describe('the trace id on every log line of a request', () => {
  let service: Service | undefined;
  let receiver: OtlpReceiver | undefined;
  afterEach(async () => {
    await service?.close();
    await receiver?.close();
    service = undefined;
    receiver = undefined;
  });

  async function serve(telemetry: Record<string, unknown>) {
    const { lines, logger } = captureLogs();
    service = createService({ name: 'probe', config: testConfig({ telemetry }), logger });
    service.app.get('/work', async (request) => {
      request.log.info('doing the work');
      return { ok: true };
    });
    const url = await service.listen(0, '127.0.0.1');
    return { lines, url };
  }

  it('binds the exported trace id into the request logger, from the first line to the last', async () => {
    receiver = await startOtlpReceiver();
    const { lines, url } = await serve({ tracing: { tracesEndpoint: receiver.url, protocol: 'http/json' } });
    expect(service?.tracing.enabled).toBe(true);
    const response = await fetch(`${url}/work`, { headers: { traceparent: PARENT } });
    expect(response.status).toBe(200);
    const ofRequest = lines.filter((line) => line.requestId !== undefined);
    expect(ofRequest.map((line) => line.msg)).toEqual(['doing the work', 'request completed']);
    for (const line of ofRequest) expect(line.traceId).toBe(TRACE);
    // One access line per request: method, url, status, duration and request id together.
    const access = ofRequest[1]!;
    expect(access).toMatchObject({ req: { method: 'GET', url: '/work' }, res: { statusCode: 200 } });
    expect(access.responseTime).toBeTypeOf('number');
    expect(access.requestId).toBe(response.headers.get('x-request-id'));
    await service?.close();
    service = undefined;
    // Closing flushes: the server span is at the receiver, in the client's trace.
    await waitFor(() => (receiver?.spans.length ?? 0) > 0, { timeoutMs: 10_000 });
    expect(receiver.spans[0]).toMatchObject({ traceId: TRACE, service: 'probe', name: 'GET /work' });
  });

  it('still logs the caller trace id when tracing is off', async () => {
    const { lines, url } = await serve({});
    expect(service?.tracing.enabled).toBe(false);
    await fetch(`${url}/work`, { headers: { traceparent: PARENT } });
    await fetch(`${url}/work`);
    const work = lines.filter((line) => line.msg === 'doing the work');
    expect(work.map((line) => line.traceId)).toEqual([TRACE, undefined]);
  });
});

describe('tracing configuration from the OpenTelemetry variables', () => {
  it('is off, exporting nothing, unless an endpoint is set', async () => {
    const config = loadConfig({ env: { OTEL_SERVICE_NAME: 'edge', OTEL_TRACES_SAMPLER: 'always_on' } });
    expect(config.telemetry.tracing).toMatchObject({ serviceName: 'edge', sampler: 'always_on' });
    const service = createService({ name: 'probe', config });
    await service.listen(0, '127.0.0.1');
    expect(service.tracing.enabled).toBe(false);
    await service.close();
  });

  it('reads endpoint, protocol, sampler and ratio, and names a bad one', () => {
    const config = loadConfig({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.1',
      },
    });
    expect(config.telemetry.tracing).toMatchObject({
      endpoint: 'http://collector:4318',
      protocol: 'http/json',
      sampler: 'parentbased_traceidratio',
      samplerArg: 0.1,
    });
    expect(() => loadConfig({ env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } })).toThrow(
      /telemetry\.tracing\.protocol \(from OTEL_EXPORTER_OTLP_PROTOCOL\)/,
    );
    expect(() => loadConfig({ env: { OTEL_TRACES_SAMPLER_ARG: 'half' } })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
  });
});
