import { useCommands } from './commands-use.ts';
import type { CommandIO } from './io.ts';
import { type ParsedArgs, parseCommandArgs, UsageError, usageFailure } from './spec.ts';

export interface DevClaims {
  sub: string;
  tenant?: string;
  scopes?: string[];
  client?: string;
  ttl?: string;
}

/**
 * The claims given on the command line, checked: a subject (or its default), and a lifetime that
 * is a positive duration (a `0s` token would be expired before anyone could use it).
 */
export function claimsFrom(
  values: ParsedArgs['values'],
  defaults: Partial<Record<keyof DevClaims, string>> = {},
): DevClaims {
  const text = (name: keyof DevClaims) =>
    typeof values[name] === 'string' ? (values[name] as string) : defaults[name];
  const sub = text('sub');
  if (!sub) throw new UsageError('--sub is required: the user the token is for');
  const ttl = text('ttl');
  if (ttl !== undefined) {
    const match = /^(\d+)[smhd]$/.exec(ttl);
    if (!match) throw new UsageError(`--ttl takes a lifetime such as 30m, 12h or 7d, not "${ttl}"`);
    if (Number(match[1]) === 0)
      throw new UsageError('--ttl must be longer than 0: the token would be expired already');
  }
  return {
    sub,
    tenant: text('tenant'),
    scopes: text('scopes')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    client: text('client'),
    ttl,
  };
}

/** Signs a token with the local dev issuer's key, for the gateway of `npm start` (or one configured alike). */
export async function mintDevToken(claims: DevClaims, env?: NodeJS.ProcessEnv): Promise<string> {
  const [{ loadOrCreateDevKey }, { issuerIdentity, signDevToken }, { loadConfig, resolveFromRoot }] =
    await Promise.all([
      import('../issuer/keys.ts'),
      import('../issuer/sign.ts'),
      import('../platform/config/load.ts'),
    ]);
  const config = loadConfig(env ? { env } : {});
  const key = await loadOrCreateDevKey(resolveFromRoot(config.devIssuer.keyFile));
  return signDevToken(
    key,
    { ...claims, ttl: claims.ttl ?? config.devIssuer.defaultTtl },
    issuerIdentity(config.auth),
  );
}

/** `portico token` (npm run --silent token): prints a dev token on stdout and nothing else. */
export async function tokenCommand(argv: string[], io: CommandIO): Promise<number> {
  const spec = useCommands.find((command) => command.name === 'token')!;
  let claims: DevClaims;
  try {
    claims = claimsFrom(parseCommandArgs(spec, argv).values);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(io, 'token', error);
    throw error;
  }
  io.out(await mintDevToken(claims, io.env));
  return 0;
}
