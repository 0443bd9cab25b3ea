import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What `portico login` keeps: the token, and what it says about itself for messages. */
export interface SavedLogin {
  token: string;
  savedAt: string;
  subject: string | null;
  expiresAt: string | null;
}

/**
 * The per-user directory of the terminal client: PORTICO_CONFIG_DIR, else the XDG config
 * directory (XDG_CONFIG_HOME, default ~/.config), else %APPDATA% on Windows.
 */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.PORTICO_CONFIG_DIR) return env.PORTICO_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'portico');
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'portico');
  return join(homedir(), '.config', 'portico');
}

export function credentialsFile(dir: string): string {
  return join(dir, 'credentials.json');
}

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

export function readLogin(file: string): SavedLogin | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CredentialsError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const saved = JSON.parse(text) as Partial<SavedLogin>;
    if (typeof saved.token !== 'string' || saved.token.length === 0) throw new Error('no token in it');
    return {
      token: saved.token,
      savedAt: saved.savedAt ?? '',
      subject: saved.subject ?? null,
      expiresAt: saved.expiresAt ?? null,
    };
  } catch (error) {
    throw new CredentialsError(`${file} is damaged (${(error as Error).message}); run portico login again`);
  }
}

/**
 * Writes the file readable by its owner only (0600, in a 0700 directory), through a temporary file
 * renamed into place, so a reader never sees half a token and no other user ever sees any.
 */
export function saveLogin(file: string, login: SavedLogin): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  // The mode given to open() is reduced by the umask; set it exactly.
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/** Removes the saved login; false if there was none. */
export function removeLogin(file: string): boolean {
  try {
    rmSync(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The claims a token carries, read without verifying it (the gateway verifies); null if not a JWT. */
export function peekClaims(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
