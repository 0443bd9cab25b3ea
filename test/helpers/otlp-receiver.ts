import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as an OTLP/HTTP JSON export carried it, flattened with its service's name. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean>;
  status: number;
}

export interface OtlpReceiver {
  /** The traces URL (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`). */
  url: string;
  spans: ReceivedSpan[];
  /** How many export requests arrived. */
  readonly exports: number;
  close(): Promise<void>;
}

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
type KeyValues = { key: string; value: AnyValue }[] | undefined;

function value(v: AnyValue): string | number | boolean {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  return v.doubleValue ?? '';
}

function attributes(list: KeyValues): Record<string, string | number | boolean> {
  return Object.fromEntries((list ?? []).map(({ key, value: v }) => [key, value(v)]));
}

/** Ids are hex in OTLP JSON; some exporters send base64: both end up hex. */
function hex(id: string | undefined): string {
  if (!id) return '';
  return /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

/**
 * A collector's OTLP/HTTP endpoint in the test process: decodes JSON exports
 * (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) and keeps every span, so a test can check what the
 * services really exported over the wire.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  let exports = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      exports += 1;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        resourceSpans?: {
          resource?: { attributes?: KeyValues };
          scopeSpans?: {
            spans?: {
              traceId?: string;
              spanId?: string;
              parentSpanId?: string;
              name: string;
              kind: number;
              attributes?: KeyValues;
              status?: { code?: number };
            }[];
          }[];
        }[];
      };
      for (const resource of body.resourceSpans ?? []) {
        const service = String(attributes(resource.resource?.attributes)['service.name'] ?? '');
        for (const scope of resource.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({
              service,
              traceId: hex(span.traceId),
              spanId: hex(span.spanId),
              parentSpanId: hex(span.parentSpanId),
              name: span.name,
              kind: span.kind,
              attributes: attributes(span.attributes),
              status: span.status?.code ?? 0,
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    spans,
    get exports() {
      return exports;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
