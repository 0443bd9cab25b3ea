import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGateway } from '../../gateway/server.ts';
import { loadOrCreateDevKey } from '../../issuer/keys.ts';
import { buildIssuer } from '../../issuer/server.ts';
import { issuerIdentity, signDevToken } from '../../issuer/sign.ts';
import { type SubgraphName, subgraphNames } from '../../platform/config/runtime.ts';
import type { PorticoConfig } from '../../platform/config/schema.ts';
import type { Service } from '../../platform/service.ts';
import { buildSubgraphService } from '../../subgraphs/registry.ts';
import { testConfig } from './config.ts';
import { type GraphQLResult, postGraphQL } from './http.ts';

export interface TokenClaims {
  sub?: string;
  tenant?: string;
  scopes?: string[];
  client?: string;
  ttl?: string;
}

export type QueryOptions = { token?: string; headers?: Record<string, string> };

/** A request a started subgraph received, recorded before it is handled. */
export interface SubgraphRequest {
  subgraph: SubgraphName;
  requestId: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** The query the gateway sent (its plan's fetch for this subgraph). */
  query: string | undefined;
}

export interface TestGateway {
  url: string;
  /** The gateway's admin listener (metrics, signing keys). */
  adminUrl: string;
  config: Readonly<PorticoConfig>;
  query(payload: unknown, options?: QueryOptions): Promise<GraphQLResult>;
}

export interface TestPlatform {
  gatewayUrl: string;
  /** The dev token issuer (JWKS, `POST /token`). */
  issuerUrl: string;
  /** The main gateway's admin listener (metrics, signing keys). */
  gatewayAdminUrl: string;
  /** The issuer's signing key (a throwaway): `portico login` and `portico token` sign with it too. */
  keyFile: string;
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  config: Readonly<PorticoConfig>;
  /** Every request the started subgraphs received, in order; tests may empty it. */
  subgraphRequests: SubgraphRequest[];
  token(claims?: TokenClaims): Promise<string>;
  query(payload: unknown, options?: QueryOptions): Promise<GraphQLResult>;
  /**
   * Another gateway over the same subgraphs and issuer, with its own overrides (production
   * settings, safelist mode, a shared Redis ...); closed with the platform.
   */
  addGateway(overrides?: Record<string, unknown>): Promise<TestGateway>;
  close(): Promise<void>;
}

export interface PlatformOptions {
  /** Subgraphs not started (their URL points at a closed port). */
  without?: SubgraphName[];
  /** Per-subgraph config overrides (e.g. `{ health: { faults: { delayMs: 500 } } }`). */
  subgraphOverrides?: Partial<Record<SubgraphName, Record<string, unknown>>>;
  /** Gateway config overrides, merged over the test config. */
  gateway?: Record<string, unknown>;
  /** URLs to use instead of starting a subgraph (misbehaving test servers). */
  subgraphUrls?: Partial<Record<SubgraphName, string>>;
}

/** A port that was free a moment ago and is closed now: calls to it are refused. */
export async function closedPortUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/graphql`;
}

/**
 * The platform in this process on ephemeral ports: the dev issuer (with a throwaway key), the
 * subgraphs and the gateway, all over real HTTP. Nothing is mocked; only addresses differ from
 * `npm start`.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<TestPlatform> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-test-'));
  const services: Service[] = [];
  const keyFile = join(dir, 'key.json');
  const base = testConfig({ devIssuer: { keyFile } });
  const issuer = await buildIssuer(base);
  services.push(issuer);
  const issuerUrl = await issuer.listen(0, '127.0.0.1');

  const subgraphUrls: Partial<Record<SubgraphName, string>> = { ...options.subgraphUrls };
  const subgraphRequests: SubgraphRequest[] = [];
  for (const name of subgraphNames) {
    if (subgraphUrls[name]) continue;
    if (options.without?.includes(name)) {
      subgraphUrls[name] = await closedPortUrl();
      continue;
    }
    const service = await buildSubgraphService(name, testConfig(options.subgraphOverrides?.[name] ?? {}));
    // Recorded on arrival, so even a request the subgraph cannot parse is counted; the query is
    // added once the body is read.
    const recorded = new WeakMap<object, SubgraphRequest>();
    service.app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/graphql')) return;
      const requestId = request.headers['x-request-id'];
      const entry: SubgraphRequest = {
        subgraph: name,
        requestId: typeof requestId === 'string' ? requestId : undefined,
        headers: { ...request.headers },
        query: undefined,
      };
      recorded.set(request, entry);
      subgraphRequests.push(entry);
    });
    service.app.addHook('preHandler', async (request) => {
      const entry = recorded.get(request);
      const query = (request.body as { query?: unknown } | undefined)?.query;
      if (entry && typeof query === 'string') entry.query = query;
    });
    services.push(service);
    subgraphUrls[name] = `${await service.listen(0, '127.0.0.1')}/graphql`;
  }
  const issuerJwks = `${issuerUrl}/.well-known/jwks.json`;
  const addGateway = async (overrides: Record<string, unknown> = {}): Promise<TestGateway> => {
    const gatewayOverrides = (overrides.gateway ?? {}) as Record<string, unknown>;
    const perSubgraph = (gatewayOverrides.subgraphs ?? {}) as Record<string, Record<string, unknown>>;
    const config = testConfig({
      ...overrides,
      devIssuer: { keyFile },
      auth: { jwksUrl: issuerJwks, ...((overrides.auth as object) ?? {}) },
      gateway: {
        watchSupergraph: false,
        ...gatewayOverrides,
        subgraphs: Object.fromEntries(
          subgraphNames.map((name) => [
            name,
            { ...perSubgraph[name], url: perSubgraph[name]?.url ?? subgraphUrls[name] },
          ]),
        ),
      },
    });
    const gateway = await buildGateway(config);
    services.push(gateway);
    const url = `${await gateway.listen(0, '127.0.0.1')}/graphql`;
    return {
      url,
      adminUrl: gateway.adminAddress!,
      config,
      query: (payload, queryOptions) => postGraphQL(url, payload, queryOptions),
    };
  };
  const main = await addGateway(options.gateway);
  const { config, url: gatewayUrl, adminUrl: gatewayAdminUrl } = main;
  const key = await loadOrCreateDevKey(keyFile);

  const token = (claims: TokenClaims = {}) =>
    signDevToken(
      key,
      {
        sub: claims.sub ?? 'acme-user-1',
        tenant: claims.tenant ?? 'acme',
        scopes: claims.scopes ?? ['billing:read'],
        client: claims.client,
        ttl: claims.ttl ?? '10m',
      },
      issuerIdentity(config.auth),
    );

  return {
    gatewayUrl,
    issuerUrl,
    gatewayAdminUrl,
    keyFile,
    subgraphUrls,
    config,
    subgraphRequests,
    token,
    query: main.query,
    addGateway,
    async close() {
      for (const service of services.reverse()) await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
