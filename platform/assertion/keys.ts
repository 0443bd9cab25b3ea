import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** Ed25519: small keys and signatures, and the fastest signing and verifying jose offers. */
export const ASSERTION_ALGORITHM = 'EdDSA';
/** The `typ` of an assertion (RFC 8725 explicit typing): no other kind of JWT passes for one. */
export const ASSERTION_TYPE = 'portico-assertion+jwt';

export interface KeySet {
  keys: JWK[];
}

export interface KeyFiles {
  /** Private keys: only gateways read this file. */
  signingKeysFile: string;
  /** The same keys without their private parts: what subgraphs verify with. */
  jwksFile: string;
}

/** JWK members that hold private key material, for every key type jose can produce. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

export function publicKeySet(set: KeySet): KeySet {
  return {
    keys: set.keys.map((key) => {
      const copy: JWK = { ...key };
      for (const member of PRIVATE_MEMBERS) delete copy[member];
      return copy;
    }),
  };
}

/** Reads a JWKS file; throws with the file named when it is not one. */
export function readKeySet(file: string): KeySet {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const keys = (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.some((key) => typeof key !== 'object' || key === null)) {
    throw new Error(`${file} is not a JWKS (an object with a "keys" array)`);
  }
  return { keys: keys as JWK[] };
}

/** A new signing key, not yet in any file. Key ids sort by creation date, for people reading the files. */
export async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ASSERTION_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const date = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return {
    ...(await exportJWK(privateKey)),
    kid: `gw-${date}-${randomBytes(4).toString('hex')}`,
    alg: ASSERTION_ALGORITHM,
    use: 'sig',
  };
}

function writeAtomically(file: string, text: string, mode: number): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temporary, text, { mode });
  renameSync(temporary, file);
}

/**
 * Writes both files: the public one first, so a subgraph knows a key before any gateway signs
 * with it. Each file is replaced in one step, so a reader never sees half of one.
 */
export function writeKeyFiles(files: KeyFiles, set: KeySet): void {
  writeAtomically(files.jwksFile, `${JSON.stringify(publicKeySet(set), null, 2)}\n`, 0o644);
  writeAtomically(files.signingKeysFile, `${JSON.stringify(set, null, 2)}\n`, 0o600);
}

/**
 * Development only: a key pair on first start, so `npm start` needs no set-up. Several processes
 * may start at once; the private file is created by a hard link, which fails if it already
 * exists, so they all end up with the same key.
 */
export async function ensureDevKeyFiles(files: KeyFiles): Promise<void> {
  if (!existsSync(files.signingKeysFile)) {
    const set: KeySet = { keys: [await generateSigningKey()] };
    mkdirSync(dirname(files.signingKeysFile), { recursive: true });
    const temporary = `${files.signingKeysFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(set, null, 2)}\n`, { mode: 0o600 });
    try {
      linkSync(temporary, files.signingKeysFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temporary, { force: true });
    }
  }
  if (!existsSync(files.jwksFile)) {
    const text = `${JSON.stringify(publicKeySet(readKeySet(files.signingKeysFile)), null, 2)}\n`;
    writeAtomically(files.jwksFile, text, 0o644);
  }
}
