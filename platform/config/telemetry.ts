import { z } from 'zod';

/** The samplers of the OpenTelemetry specification's `OTEL_TRACES_SAMPLER` (jaeger_remote aside). */
export const samplerNames = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/**
 * Traces, set the OpenTelemetry way: the standard `OTEL_*` variables fill these keys (env.ts), and
 * nothing is exported unless an endpoint is set. Only OTLP over HTTP is offered (protobuf or
 * JSON): gRPC would pull in a second HTTP/2 stack for the same collector port's neighbour.
 */
export const tracingSection = z
  .strictObject({
    /** `OTEL_EXPORTER_OTLP_ENDPOINT`: the collector's base URL; traces go to `<endpoint>/v1/traces`. */
    endpoint: z.url().optional(),
    /** `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`: the full traces URL, used as it is; wins over `endpoint`. */
    tracesEndpoint: z.url().optional(),
    /** `OTEL_EXPORTER_OTLP_PROTOCOL` (or `_TRACES_PROTOCOL`). */
    protocol: z.enum(['http/protobuf', 'http/json']).default('http/protobuf'),
    /**
     * `OTEL_SERVICE_NAME`. A process that runs one service names it so; a process hosting several
     * (`npm start`) names each after itself, and this becomes their `service.namespace`.
     */
    serviceName: z.string().min(1).optional(),
    /** `OTEL_TRACES_SAMPLER`: parent-based by default, so a sampled caller's trace stays whole. */
    sampler: z.enum(samplerNames).default('parentbased_always_on'),
    /** `OTEL_TRACES_SAMPLER_ARG`: the ratio of the `traceidratio` samplers. */
    samplerArg: z.number().min(0).max(1).optional(),
  })
  .prefault({});

/**
 * Per-operation metrics (RED: rate, errors, duration) by operation name and client. Label values
 * come from clients, so they are bounded: the first `maxOperations` operation names and
 * `maxClients` client names (or only `clients`, when listed) get their own series, anything else
 * is `other`, a request without a name is `unknown`.
 */
export const operationMetricsSection = z
  .strictObject({
    clientNameHeader: z.string().min(1).toLowerCase().default('apollographql-client-name'),
    clientVersionHeader: z.string().min(1).toLowerCase().default('apollographql-client-version'),
    maxOperations: z.number().int().positive().max(10_000).default(200),
    maxClients: z.number().int().positive().max(1_000).default(50),
    /** When set, only these client names are labelled; every other is `other`. */
    clients: z.array(z.string().min(1)).default([]),
  })
  .prefault({});

export type OperationMetricsSettings = z.infer<typeof operationMetricsSection>;

/**
 * Field usage (gateway): per operation signature and client, which schema coordinates were used
 * and how often, in hourly buckets; in Redis when `redisUrl` is set (every replica's traffic in
 * one place), else in the gateway's memory. Read by `portico schema usage` and
 * `portico schema check --usage`.
 */
export const usageSection = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** The share of requests recorded (counts are scaled back up); 1 records every request. */
    sampleRate: z.number().gt(0).max(1).default(1),
    /** Distinct operation signatures x clients kept per process; later new ones are not recorded. */
    maxOperations: z.number().int().positive().max(100_000).default(5_000),
    /** How long hourly buckets are kept. */
    retentionDays: z.number().int().positive().max(400).default(35),
    /** How often counts gathered in memory are written to Redis. */
    flushIntervalMs: z.number().int().positive().default(5_000),
    redisKeyPrefix: z.string().default('portico:usage:'),
  })
  .prefault({});

export type UsageSettings = z.infer<typeof usageSection>;

export const telemetrySection = z
  .strictObject({
    tracing: tracingSection,
    metrics: operationMetricsSection,
    usage: usageSection,
  })
  .prefault({});

export type TracingSettings = z.infer<typeof tracingSection>;
