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

/** A BFF in this process on an ephemeral port, calling the given gateway over real HTTP. */
export async function startBff(
  name: BffName,
  gatewayUrl: string,
  bffs: Record<string, unknown> = {},
  /** Settings outside `bffs` (a shared Redis, say). */
  overrides: Record<string, unknown> = {},
): Promise<TestBff> {
  const service = await buildService(name, testConfig({ ...overrides, bffs: { gatewayUrl, ...bffs } }));
  const url = `${await service.listen(0, '127.0.0.1')}/graphql`;
  return {
    url,
    query: (payload, options) => postGraphQL(url, payload, options),
    close: () => service.close(),
  };
}
