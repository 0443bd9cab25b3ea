import { EXIT } from './client/call.ts';
import { configDir, credentialsFile, peekClaims, removeLogin, saveLogin } from './client/credentials.ts';
import { tokenExpiry } from './client/settings.ts';
import { duration, localTime } from './client/time.ts';
import { useCommands } from './commands-use.ts';
import type { CommandIO } from './io.ts';
import { parseCommandArgs, UsageError, usageFailure } from './spec.ts';
import { claimsFrom, mintDevToken } from './token.ts';

const specOf = (name: string) => useCommands.find((command) => command.name === name)!;

/** The same identity `npm start` prints a token for. */
const developer = { sub: 'acme-user-1', tenant: 'acme', scopes: 'billing:read', ttl: '12h' };

async function tokenFromStdin(io: CommandIO): Promise<string> {
  const token = ((await io.readStdin?.()) ?? '').trim();
  if (!token) throw new UsageError('--with-token reads the token from standard input, which was empty');
  if (/\s/.test(token) || !peekClaims(token))
    throw new UsageError('standard input does not hold a token (a JWT: three dot-separated parts)');
  return token;
}

/**
 * `portico login`: keeps a token for the terminal client in a file only its user can read. In
 * development it mints one with the dev issuer key; `--with-token` keeps one obtained elsewhere.
 */
export async function loginCommand(argv: string[], io: CommandIO): Promise<number> {
  const env = io.env ?? {};
  let token: string;
  try {
    const { values } = parseCommandArgs(specOf('login'), argv);
    if (values['with-token'] === true) {
      const given = ['sub', 'tenant', 'scopes', 'client', 'ttl'].filter((name) => values[name] !== undefined);
      if (given.length > 0)
        throw new UsageError(`--with-token takes the token as it is; --${given[0]} cannot change it`);
      token = await tokenFromStdin(io);
    } else {
      token = await mintDevToken(claimsFrom(values, developer), io.env);
    }
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(io, 'login', error);
    throw error;
  }
  const expiry = tokenExpiry(token);
  if (expiry !== null && expiry <= Date.now()) {
    io.err(`portico: that token expired at ${localTime(new Date(expiry).toISOString())}; nothing was saved`);
    return EXIT.unauthenticated;
  }
  const claims = peekClaims(token) ?? {};
  const subject = typeof claims.sub === 'string' ? claims.sub : null;
  const file = credentialsFile(configDir(env));
  saveLogin(file, {
    token,
    savedAt: new Date().toISOString(),
    subject,
    expiresAt: expiry === null ? null : new Date(expiry).toISOString(),
  });
  const until =
    expiry === null
      ? ''
      : ` until ${localTime(new Date(expiry).toISOString())} (${duration(expiry - Date.now())})`;
  io.err(`Logged in as ${subject ?? 'the token subject'}${until}; the token is in ${file}`);
  if (env.PORTICO_TOKEN) io.err('Note: PORTICO_TOKEN is set, and is used instead of the saved token.');
  return EXIT.ok;
}

/** `portico logout`: forgets the saved token. Not being logged in is not an error. */
export async function logoutCommand(argv: string[], io: CommandIO): Promise<number> {
  const env = io.env ?? {};
  try {
    parseCommandArgs(specOf('logout'), argv);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(io, 'logout', error);
    throw error;
  }
  const file = credentialsFile(configDir(env));
  io.err(removeLogin(file) ? `Logged out: removed ${file}` : `Not logged in: there is no ${file}`);
  if (env.PORTICO_TOKEN) io.err('Note: PORTICO_TOKEN is still set, and is still sent.');
  return EXIT.ok;
}
