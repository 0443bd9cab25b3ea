import { adminPortVariable, portVariable, serviceNames, subgraphNames } from '../services.ts';

type Parse = (raw: string) => unknown;

const asInt: Parse = (raw) => (/^-?\d+$/.test(raw.trim()) ? Number(raw) : raw);
const asBool: Parse = (raw) =>
  /^(1|true|yes)$/i.test(raw) ? true : /^(0|false|no)$/i.test(raw) ? false : raw;
const asString: Parse = (raw) => raw;
const asNumber: Parse = (raw) => (raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw);
/** `true`/`false`, or proxy addresses and ranges, comma-separated. */
const asTrustProxy: Parse = (raw) => {
  const parsed = asBool(raw);
  return typeof parsed === 'boolean' ? parsed : raw.split(',').map((part) => part.trim());
};

interface Override {
  env: string;
  path: string[];
  parse: Parse;
}

/**
 * Environment variables that override `portico.yaml`: secrets, addresses and ports, the things a
 * deployment sets per host. Values that do not parse are passed through as strings so the schema
 * rejects them and names the variable.
 */
export const envOverrides: readonly Override[] = [
  { env: 'PORTICO_ENV', path: ['environment'], parse: asString },
  { env: 'PORTICO_HOST', path: ['host'], parse: asString },
  { env: 'PORTICO_LOG_LEVEL', path: ['logLevel'], parse: asString },
  { env: 'PORTICO_LOG_PRETTY', path: ['logPretty'], parse: asBool },
  { env: 'PORTICO_SHUTDOWN_GRACE_MS', path: ['shutdownGraceMs'], parse: asInt },
  { env: 'PORTICO_HEAP_GROWTH_PERCENT', path: ['heapGrowthPercent'], parse: asInt },
  { env: 'PORTICO_FAULT_DELAY_MS', path: ['faults', 'delayMs'], parse: asInt },
  { env: 'REDIS_URL', path: ['redisUrl'], parse: asString },
  { env: 'PORTICO_JWKS_URL', path: ['auth', 'jwksUrl'], parse: asString },
  { env: 'PORTICO_JWKS_FILE', path: ['auth', 'jwksFile'], parse: asString },
  { env: 'PORTICO_SUPERGRAPH', path: ['gateway', 'supergraphPath'], parse: asString },
  { env: 'PORTICO_GATEWAY_URL', path: ['bffs', 'gatewayUrl'], parse: asString },
  { env: 'PORTICO_TRUST_PROXY', path: ['gateway', 'trustProxy'], parse: asTrustProxy },
  { env: 'PORTICO_WORKERS', path: ['gateway', 'workers'], parse: asInt },
  { env: 'PORTICO_RATE_LIMITS', path: ['rateLimits', 'enabled'], parse: asBool },
  { env: 'PORTICO_CACHE', path: ['cache', 'enabled'], parse: asBool },
  { env: 'PORTICO_SUBGRAPH_AUTH_KEYS_FILE', path: ['subgraphAuth', 'signingKeysFile'], parse: asString },
  { env: 'PORTICO_SUBGRAPH_AUTH_JWKS_FILE', path: ['subgraphAuth', 'jwksFile'], parse: asString },
  { env: 'PORTICO_SUBGRAPH_AUTH_JWKS_URL', path: ['subgraphAuth', 'jwksUrl'], parse: asString },
  { env: 'PORTICO_ADMIN_HOST', path: ['admin', 'host'], parse: asString },
  // OpenTelemetry's own variables, so a collector is set the way every other service sets it.
  { env: 'OTEL_EXPORTER_OTLP_ENDPOINT', path: ['telemetry', 'tracing', 'endpoint'], parse: asString },
  {
    env: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    path: ['telemetry', 'tracing', 'tracesEndpoint'],
    parse: asString,
  },
  { env: 'OTEL_EXPORTER_OTLP_PROTOCOL', path: ['telemetry', 'tracing', 'protocol'], parse: asString },
  { env: 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', path: ['telemetry', 'tracing', 'protocol'], parse: asString },
  { env: 'OTEL_SERVICE_NAME', path: ['telemetry', 'tracing', 'serviceName'], parse: asString },
  { env: 'OTEL_TRACES_SAMPLER', path: ['telemetry', 'tracing', 'sampler'], parse: asString },
  { env: 'OTEL_TRACES_SAMPLER_ARG', path: ['telemetry', 'tracing', 'samplerArg'], parse: asNumber },
  ...serviceNames.map((name) => ({
    env: portVariable(name),
    path: ['ports', name],
    parse: asInt,
  })),
  ...serviceNames.map((name) => ({
    env: adminPortVariable(name),
    path: ['admin', 'ports', name],
    parse: asInt,
  })),
  ...subgraphNames.map((name) => ({
    env: `PORTICO_SUBGRAPH_${name.toUpperCase()}_URL`,
    path: ['gateway', 'subgraphs', name, 'url'],
    parse: asString,
  })),
];

/** Writes the overrides present in `env` into the raw YAML object; returns which keys came from where. */
export function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Map<string, string> {
  const origins = new Map<string, string>();
  for (const { env: name, path, parse } of envOverrides) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    let node = raw;
    for (const key of path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path.at(-1)!] = parse(value);
    origins.set(path.join('.'), name);
  }
  return origins;
}
