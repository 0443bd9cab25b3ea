import { parseArgs } from 'node:util';
import { loadOrCreateDevKey } from '../issuer/keys.ts';
import { issuerIdentity, signDevToken } from '../issuer/sign.ts';
import { loadConfig, resolveFromRoot } from '../platform/config/load.ts';
import type { CommandIO } from './io.ts';

const usage =
  'usage: portico token --sub <user> --tenant <tenant> [--scopes a,b] [--client <api client>] [--ttl 1h]';

/** `npm run --silent token -- ...`: prints a dev token on stdout and nothing else. */
export async function tokenCommand(argv: string[], io: CommandIO): Promise<number> {
  let values: { sub?: string; tenant?: string; scopes?: string; client?: string; ttl?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        sub: { type: 'string' },
        tenant: { type: 'string' },
        scopes: { type: 'string' },
        client: { type: 'string' },
        ttl: { type: 'string' },
      },
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const config = loadConfig();
  const ttl = values.ttl ?? config.devIssuer.defaultTtl;
  if (!values.sub || !/^\d+[smhd]$/.test(ttl)) {
    io.err(values.sub ? `--ttl must look like 30m, 1h or 7d\n${usage}` : `--sub is required\n${usage}`);
    return 2;
  }
  const key = await loadOrCreateDevKey(resolveFromRoot(config.devIssuer.keyFile));
  const token = await signDevToken(
    key,
    {
      sub: values.sub,
      tenant: values.tenant,
      scopes: values.scopes
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      client: values.client,
      ttl,
    },
    issuerIdentity(config.auth),
  );
  io.out(token);
  return 0;
}
