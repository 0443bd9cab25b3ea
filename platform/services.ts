import type { SubgraphDefinition } from '../subgraphs/shared/build.ts';
import type { PorticoConfig } from './config/schema.ts';
import type { Service } from './service.ts';

export type ServiceKind = 'issuer' | 'subgraph' | 'gateway' | 'bff' | 'app';

/** Builds a service without listening. */
export type Build = (config: Readonly<PorticoConfig>) => Promise<Service>;

export interface ServiceSpec {
  kind: ServiceKind;
  /** The port in `ports.<name>` when neither portico.yaml nor `PORTICO_<NAME>_PORT` sets one. */
  port: number;
  /** Its admin listener's port (`admin.ports.<name>`, `PORTICO_<NAME>_ADMIN_PORT`): metrics, internal keys. */
  adminPort: number;
  /**
   * Loads the service's builder on demand, so a process loads only its own code. (A loader rather
   * than the builder itself: the config's types derive from this table, and a loader's type does
   * not need them.)
   */
  builder: () => Promise<Build>;
}

/** A subgraph is its definition (schema, resolvers) on the shared subgraph skeleton. */
function subgraph(load: () => Promise<{ definition: () => SubgraphDefinition }>): () => Promise<Build> {
  return async () => {
    const [{ definition }, { buildSubgraph }] = await Promise.all([
      load(),
      import('../subgraphs/shared/build.ts'),
    ]);
    return (config) => buildSubgraph(definition(), config);
  };
}

/**
 * Every Portico service, in the order `npm start` starts them (what a service depends on comes
 * first). The ports schema, the `PORTICO_<NAME>_PORT` variables, `portico serve`, the dev
 * launcher, the compose agreement test and the subgraph and BFF name types all derive from this
 * table, so adding a service is one row here plus its own folder.
 */
export const services = {
  issuer: {
    kind: 'issuer',
    port: 4005,
    adminPort: 9405,
    builder: () => import('../issuer/server.ts').then((m) => m.buildIssuer),
  },
  models: {
    kind: 'subgraph',
    port: 4001,
    adminPort: 9401,
    builder: subgraph(() => import('../subgraphs/models/index.ts')),
  },
  billing: {
    kind: 'subgraph',
    port: 4002,
    adminPort: 9402,
    builder: subgraph(() => import('../subgraphs/billing/index.ts')),
  },
  metering: {
    kind: 'subgraph',
    port: 4003,
    adminPort: 9403,
    builder: subgraph(() => import('../subgraphs/metering/index.ts')),
  },
  health: {
    kind: 'subgraph',
    port: 4004,
    adminPort: 9404,
    builder: subgraph(() => import('../subgraphs/health/index.ts')),
  },
  gateway: {
    kind: 'gateway',
    port: 4000,
    adminPort: 9400,
    builder: () => import('../gateway/server.ts').then((m) => m.buildGateway),
  },
  web: {
    kind: 'bff',
    port: 4010,
    adminPort: 9410,
    builder: () => import('../bffs/web/server.ts').then((m) => m.buildWebBff),
  },
  mobile: {
    kind: 'bff',
    port: 4011,
    adminPort: 9411,
    builder: () => import('../bffs/mobile/server.ts').then((m) => m.buildMobileBff),
  },
  cli: {
    kind: 'bff',
    port: 4012,
    adminPort: 9412,
    builder: () => import('../bffs/cli/server.ts').then((m) => m.buildCliBff),
  },
  webapp: {
    kind: 'app',
    port: 4009,
    adminPort: 9409,
    builder: () => import('../apps/web/server.ts').then((m) => m.buildWebApp),
  },
} as const;
// The table is checked against ServiceSpec here rather than inline (`satisfies`): an inline check
// would need the config's types while they are still being derived from the table.
const specs: Readonly<Record<ServiceName, ServiceSpec>> = services;

/** Builds one service of the table without listening (tests and `portico serve`). */
export async function buildService(name: ServiceName, config: Readonly<PorticoConfig>): Promise<Service> {
  return (await specs[name].builder())(config);
}

export type ServiceName = keyof typeof services;
type NamesOfKind<K extends ServiceKind> = {
  [N in ServiceName]: (typeof services)[N]['kind'] extends K ? N : never;
}[ServiceName];
export type SubgraphName = NamesOfKind<'subgraph'>;
export type BffName = NamesOfKind<'bff'>;

export const serviceNames = Object.keys(services) as ServiceName[];
const namesOfKind = <K extends ServiceKind>(kind: K) =>
  serviceNames.filter((name) => services[name].kind === kind) as NamesOfKind<K>[];
export const subgraphNames = namesOfKind('subgraph');
export const bffNames = namesOfKind('bff');

export function isServiceName(name: string): name is ServiceName {
  return Object.hasOwn(services, name);
}

/** The environment variable that moves a service's admin listener (`PORTICO_WEB_ADMIN_PORT`). */
export function adminPortVariable(name: ServiceName): string {
  return `PORTICO_${name.toUpperCase()}_ADMIN_PORT`;
}

/** The environment variable that moves a service's port (`PORTICO_WEB_PORT`). */
export function portVariable(name: ServiceName): string {
  return `PORTICO_${name.toUpperCase()}_PORT`;
}
