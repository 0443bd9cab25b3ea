import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readSupergraphConfig } from '../../gateway/compose.ts';
import { envOverrides } from '../../platform/config/env.ts';
import { loadConfig } from '../../platform/config/load.ts';
import { projectRoot } from '../../platform/paths.ts';
import { bffNames, services as registry, serviceNames, subgraphNames } from '../../platform/services.ts';

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  networks?: string[] | Record<string, { ipv4_address?: string }>;
  network_mode?: string;
  volumes?: string[];
}

const read = (file: string) => readFileSync(join(projectRoot, file), 'utf8');
// Merge keys (`<<: *anchor`) are YAML 1.1, which docker compose reads.
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>;
  networks: Record<string, { internal?: boolean; ipam?: { config: { subnet: string }[] } }>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const config = loadConfig({ env: {} });
const routingUrls = new Map(
  readSupergraphConfig(join(projectRoot, 'supergraph.yaml')).subgraphs.map((s) => [s.name, new URL(s.url)]),
);
const nginx = read('deploy/nginx.conf');
const collector = parse(read('deploy/otel-collector.yaml')) as {
  receivers: { otlp: { protocols: { http: { endpoint: string } } } };
  exporters: Record<string, { endpoint: string }>;
  service: { pipelines: { traces: { receivers: string[]; exporters: string[] } } };
};
/** Containers that receive from the services on both networks (spans; later, scrapes). */
const TELEMETRY_RECEIVERS = ['otel-collector', 'prometheus'];
const prometheus = parse(read('deploy/prometheus.yml')) as {
  scrape_configs: { job_name: string; metrics_path: string; static_configs: { targets: string[] }[] }[];
};
const dashboard = JSON.parse(read('deploy/grafana/dashboards/portico.json')) as {
  uid: string;
  panels: { title: string; targets: { expr: string }[] }[];
};
/** Every metric name the code registers (`name: 'x_total'` in a prom-client constructor). */
const registered = (() => {
  const out = execFileSync(
    'git',
    ['grep', '--untracked', '-h', '-o', "name: '[a-z_]*_[a-z]*'", '--', '*.ts'],
    {
      cwd: projectRoot,
      encoding: 'utf8',
    },
  );
  return new Set(
    out
      .split('\n')
      .map((line) => line.replace(/^name: '|'$/g, ''))
      .filter(Boolean),
  );
})();

const serving = (name: string) =>
  Object.entries(services).filter(([, s]) => s.command?.[0] === 'serve' && s.command[1] === name);
const replicas = serving('gateway');
const portico = Object.entries(services).filter(([, s]) => s.command?.[0] === 'serve');
const healthPort = (service: ComposeService) =>
  Number(/127\.0\.0\.1:(\d+)\//.exec(service.healthcheck?.test.join(' ') ?? '')?.[1]);
const loadBalancer = services.gateway!;
const networksOf = (service: ComposeService | undefined) =>
  new Set(Array.isArray(service?.networks) ? service.networks : Object.keys(service?.networks ?? {}));
const mounts = (service: ComposeService | undefined) =>
  (service?.volumes ?? []).map((volume) => volume.split(':')[0]);

/**
 * Docker does not run here, so the compose file is checked against what it must agree with:
 * supergraph.yaml (subgraph names, ports, paths), portico.yaml (ports), the environment variables
 * the config reads, and the nginx upstreams.
 */
describe('docker-compose.yml', () => {
  it('runs every service of the registry (platform/services.ts), and nothing else of ours', () => {
    const served = new Set(portico.map(([, s]) => s.command![1]));
    // The reference web app is for development (npm start), not part of the deployed stack.
    const deployed = serviceNames.filter((name) => registry[name].kind !== 'app');
    expect([...served].sort()).toEqual([...deployed].sort());
    for (const name of deployed) {
      if (registry[name].kind === 'gateway') continue; // replicas behind the load balancer, below
      expect(
        serving(name).map(([n]) => n),
        name,
      ).toEqual([name]);
    }
  });

  it('runs every subgraph of supergraph.yaml as a service of that name, on its portico.yaml port', () => {
    expect([...routingUrls.keys()].sort()).toEqual([...subgraphNames].sort());
    for (const name of subgraphNames) {
      const service = services[name];
      expect(service?.command, name).toEqual(['serve', name]);
      expect(healthPort(service!), name).toBe(config.ports[name]);
      expect(Number(routingUrls.get(name)!.port), `${name}: supergraph.yaml routing_url port`).toBe(
        config.ports[name],
      );
    }
  });

  it('runs two gateway replicas wired to every subgraph, the issuer and Redis', () => {
    expect(replicas.length).toBeGreaterThanOrEqual(2);
    for (const [name, replica] of replicas) {
      const env = replica.environment!;
      for (const subgraph of subgraphNames) {
        const path = routingUrls.get(subgraph)!.pathname;
        expect(env[`PORTICO_SUBGRAPH_${subgraph.toUpperCase()}_URL`], `${name} -> ${subgraph}`).toBe(
          `http://${subgraph}:${config.ports[subgraph]}${path}`,
        );
        expect(replica.depends_on?.[subgraph]?.condition).toBe('service_healthy');
      }
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(loadConfig({ env }).subgraphAuth.signingKeysFile).toMatch(/^\/app\/keys\/private\//);
      expect(replica.depends_on?.keys?.condition).toBe('service_completed_successfully');
      expect(env.PORTICO_JWKS_URL).toBe(`http://issuer:${config.ports.issuer}/.well-known/jwks.json`);
      expect(env.PORTICO_ENV).toBe('production');
      expect(healthPort(replica)).toBe(config.ports.gateway);
      expect(replica.ports, `${name} is reached through the load balancer only`).toBeUndefined();
      expect(replica.depends_on?.redis?.condition).toBe('service_healthy');
      expect(replica.depends_on?.issuer?.condition).toBe('service_healthy');
    }
    expect(serving('issuer').map(([n]) => n)).toEqual(['issuer']);
    expect(healthPort(services.issuer!)).toBe(config.ports.issuer);
  });

  it('puts nginx in front of the replicas, and the replicas trust its forwarded address only', () => {
    const upstreams = [...nginx.matchAll(/^\s*server\s+([\w-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`);
    expect(upstreams.sort()).toEqual(replicas.map(([name]) => `${name}:${config.ports.gateway}`).sort());
    expect(nginx).toMatch(new RegExp(`listen ${config.ports.gateway};`));
    expect(nginx).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    expect(loadBalancer.image).toMatch(/^nginx:/);
    expect(loadBalancer.volumes).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
    expect(loadBalancer.ports).toEqual([`${config.ports.gateway}:${config.ports.gateway}`]);
    const address = (loadBalancer.networks as Record<string, { ipv4_address?: string }>).edge?.ipv4_address;
    const subnet = compose.networks.edge?.ipam?.config[0]?.subnet ?? '';
    expect(address).toBeDefined();
    expect(subnet).toMatch(/^\d+\.\d+\.\d+\.0\/24$/);
    expect(address!.startsWith(subnet.replace(/\.0\/24$/, '.'))).toBe(true);
    for (const [, replica] of replicas) {
      expect(replica.environment?.PORTICO_TRUST_PROXY).toBe(address);
      expect(loadConfig({ env: replica.environment }).gateway.trustProxy).toEqual([address]);
    }
  });

  it('runs the BFFs on their portico.yaml ports against the load balancer', () => {
    for (const name of bffNames) {
      const service = services[name];
      expect(service?.command, name).toEqual(['serve', name]);
      expect(healthPort(service!), name).toBe(config.ports[name]);
      expect(service?.ports).toEqual([`${config.ports[name]}:${config.ports[name]}`]);
      expect(service?.environment?.PORTICO_GATEWAY_URL).toBe(
        `http://gateway:${config.ports.gateway}/graphql`,
      );
      expect(service?.depends_on?.gateway?.condition).toBe('service_healthy');
      expect(service?.environment?.PORTICO_JWKS_URL).toBe(
        `http://issuer:${config.ports.issuer}/.well-known/jwks.json`,
      );
    }
  });

  it('keeps the subgraphs on an internal network only the gateway replicas share', () => {
    expect(compose.networks.internal?.internal).toBe(true);
    const onInternal = Object.entries(services)
      .filter(([, service]) => networksOf(service).has('internal'))
      .map(([name]) => name)
      .sort();
    expect(onInternal).toEqual(
      [...subgraphNames, ...replicas.map(([name]) => name), 'redis', ...TELEMETRY_RECEIVERS].sort(),
    );
    for (const name of subgraphNames) {
      expect([...networksOf(services[name])], name).toEqual(['internal']);
      expect(services[name]?.ports, `${name} publishes no port`).toBeUndefined();
    }
    // The load balancer, the BFFs and the issuer share no network with any subgraph.
    for (const name of ['gateway', 'issuer', 'redis-edge', ...bffNames]) {
      expect(networksOf(services[name]).has('internal'), name).toBe(false);
      expect(networksOf(services[name]).has('edge'), name).toBe(true);
    }
    for (const [name] of replicas)
      expect([...networksOf(services[name])].sort(), name).toEqual(['edge', 'internal']);
  });

  it("mounts the gateway's private assertion keys in the gateways only; subgraphs get the public keys", () => {
    expect(services.keys?.command).toEqual(['keys', 'ensure']);
    expect(services.keys?.network_mode).toBe('none');
    const keysEnv = loadConfig({ env: services.keys?.environment }).subgraphAuth;
    expect(Object.keys(compose.volumes).sort()).toEqual(['gateway-public-keys', 'gateway-signing-keys']);
    const holders = Object.entries(services)
      .filter(([, service]) => mounts(service).includes('gateway-signing-keys'))
      .map(([name]) => name)
      .sort();
    expect(holders).toEqual(['keys', ...replicas.map(([name]) => name)].sort());
    for (const name of subgraphNames) {
      const service = services[name]!;
      expect(mounts(service), name).toEqual(['gateway-public-keys']);
      expect(service.volumes?.[0], name).toMatch(/:ro$/);
      expect(loadConfig({ env: service.environment }).subgraphAuth.jwksFile, name).toBe(keysEnv.jwksFile);
      expect(service.depends_on?.keys?.condition, name).toBe('service_completed_successfully');
    }
    for (const [name, replica] of replicas) {
      expect(loadConfig({ env: replica.environment }).subgraphAuth.signingKeysFile, name).toBe(
        keysEnv.signingKeysFile,
      );
    }
  });

  it('gives every Portico service the container settings, and only variables the config reads', () => {
    const known = new Set([
      ...envOverrides.map((o) => o.env),
      'APOLLO_TELEMETRY_DISABLED',
      'PORTICO_GATEWAY_URL',
    ]);
    for (const [name, service] of portico) {
      const env = service.environment ?? {};
      expect(env.PORTICO_HOST, name).toBe('0.0.0.0');
      expect(env.PORTICO_ADMIN_HOST, name).toBe('0.0.0.0');
      expect(env.APOLLO_TELEMETRY_DISABLED, name).toBe('true');
      // Each side of the network split has its own Redis.
      const redis =
        name === 'issuer'
          ? undefined
          : (bffNames as readonly string[]).includes(name)
            ? 'redis://redis-edge:6379'
            : 'redis://redis:6379';
      expect(env.REDIS_URL, name).toBe(redis);
      expect(
        Object.keys(env).filter((key) => !known.has(key)),
        name,
      ).toEqual([]);
      // The values parse: a service would start with them.
      expect(() => loadConfig({ env }), name).not.toThrow();
      expect(service.image, name).toBe('portico:local');
      expect(service.healthcheck?.test, name).toBeDefined();
    }
    expect(services.redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(services['redis-edge']?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it("sends every service's spans to the collector, and the collector's to Jaeger", () => {
    const otlp = new URL(`http://${collector.receivers.otlp.protocols.http.endpoint}`);
    for (const [name, service] of portico) {
      const tracing = loadConfig({ env: service.environment }).telemetry.tracing;
      const endpoint = new URL(tracing.endpoint ?? '');
      expect(endpoint.hostname, name).toBe('otel-collector');
      expect(endpoint.port, name).toBe(otlp.port);
      expect(tracing.protocol, name).toBe('http/protobuf');
      // The collector shares a network with every service that sends to it.
      const shared = [...networksOf(service)].filter((n) => networksOf(services['otel-collector']).has(n));
      expect(shared.length, name).toBeGreaterThan(0);
    }
    expect(services['otel-collector']?.volumes).toContain(
      './deploy/otel-collector.yaml:/etc/otelcol/config.yaml:ro',
    );
    const pipeline = collector.service.pipelines.traces;
    expect(pipeline.receivers).toEqual(['otlp']);
    const exporter = collector.exporters[pipeline.exporters[0] ?? ''];
    expect(exporter?.endpoint).toBe('jaeger:4317');
    expect(services.jaeger?.environment?.COLLECTOR_OTLP_ENABLED).toBe('true');
    expect(services.jaeger?.ports).toEqual(['16686:16686']);
    const reach = [...networksOf(services.jaeger)].filter((n) =>
      networksOf(services['otel-collector']).has(n),
    );
    expect(reach).toEqual(['observability']);
    expect(networksOf(services.jaeger).has('internal')).toBe(false);
  });

  it('has Prometheus scrape every Portico container on its admin port', () => {
    const job = prometheus.scrape_configs.find((c) => c.job_name === 'portico');
    expect(job?.metrics_path).toBe('/metrics');
    const targets = (job?.static_configs ?? []).flatMap((c) => c.targets).sort();
    const expected = portico.map(
      ([name, service]) =>
        `${name}:${config.admin.ports[service.command![1] as keyof typeof config.admin.ports]}`,
    );
    expect(targets).toEqual(expected.sort());
    expect(services.prometheus?.volumes).toContain(
      './deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
    for (const [name, service] of portico) {
      const shared = [...networksOf(service)].filter((n) => networksOf(services.prometheus).has(n));
      expect(shared.length, name).toBeGreaterThan(0);
      expect(service.environment?.PORTICO_ADMIN_HOST, name).toBe('0.0.0.0');
    }
  });

  it('provisions Grafana with Prometheus and a dashboard whose queries use metrics the code exports', () => {
    const grafana = services.grafana!;
    expect(grafana.volumes).toEqual([
      './deploy/grafana/provisioning:/etc/grafana/provisioning:ro',
      './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro',
    ]);
    expect(grafana.environment?.GF_ANALYTICS_REPORTING_ENABLED).toBe('false');
    const datasource = parse(read('deploy/grafana/provisioning/datasources/prometheus.yaml')) as {
      datasources: { uid: string; url: string }[];
    };
    expect(datasource.datasources[0]?.url).toBe('http://prometheus:9090');
    const provider = parse(read('deploy/grafana/provisioning/dashboards/portico.yaml')) as {
      providers: { options: { path: string } }[];
    };
    expect(provider.providers[0]?.options.path).toBe('/var/lib/grafana/dashboards');
    expect(dashboard.panels.length).toBeGreaterThan(5);
    const used = new Set(
      dashboard.panels.flatMap((panel) =>
        panel.targets.flatMap((t) =>
          [...t.expr.matchAll(/\b([a-z_]+?)(?:_bucket|_count|_sum)?[{[]/g)].map((m) => m[1]!),
        ),
      ),
    );
    used.delete('by');
    for (const metric of used) expect(registered, metric).toContain(metric);
    expect(used).toContain('graphql_operations_total');
    expect(used).toContain('gateway_subgraph_fetch_duration_seconds');
  });

  it('builds one image with npm ci and runs the compiled command, no tsx and no downloads at start', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^RUN npm ci$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev$/m);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "dist\/cli\/main.js"\]$/m);
    // The image runs what `npm run build` emits, the same build `npm start` runs.
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe('node scripts/build.js');
    expect(pkg.scripts.start).toBe('exec node bin/portico.js dev');
  });
});
