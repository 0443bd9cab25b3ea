import type { BffName } from '../../bffs/kit/create-bff.ts';
import { buildService } from '../../platform/services.ts';
import { testConfig } from './config.ts';
import { type GraphQLResult, postGraphQL } from './http.ts';

export interface TestBff {
  url: string;
  query(
    payload: unknown,
    options?: { token?: string; headers?: Record<string, string> },
  ): Promise<GraphQLResult>;
  close(): Promise<void>;
}

/** What a BFF needs of a test platform: the gateway to call and the issuer whose tokens to accept. */
export interface BffTarget {
  gatewayUrl: string;
  config: { auth: { jwksUrl?: string } };
}

/**
 * A BFF in this process on an ephemeral port, calling the platform's gateway over real HTTP (or
 * `bffs.gatewayUrl`, a proxy in front of it) and verifying tokens of the platform's issuer.
 */
export async function startBff(
  name: BffName,
  target: BffTarget,
  bffs: Record<string, unknown> = {},
  /** Settings outside `bffs` (a shared Redis, say). */
  overrides: Record<string, unknown> = {},
): Promise<TestBff> {
  const service = await buildService(
    name,
    testConfig({
      ...overrides,
      auth: { jwksUrl: target.config.auth.jwksUrl, ...((overrides.auth as object | undefined) ?? {}) },
      bffs: { gatewayUrl: target.gatewayUrl, ...bffs },
    }),
  );
  const url = `${await service.listen(0, '127.0.0.1')}/graphql`;
  return {
    url,
    query: (payload, options) => postGraphQL(url, payload, options),
    close: () => service.close(),
  };
}
