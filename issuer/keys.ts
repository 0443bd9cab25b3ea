import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export const DEV_ALGORITHM = 'ES256';

export interface DevKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

interface StoredKey {
  kid: string;
  alg: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

async function fromStored(stored: StoredKey): Promise<DevKey> {
  const privateKey = (await importJWK(stored.privateJwk, stored.alg)) as CryptoKey;
  return {
    kid: stored.kid,
    privateKey,
    publicJwk: { ...stored.publicJwk, kid: stored.kid, alg: stored.alg, use: 'sig' },
  };
}

/**
 * The dev issuer's signing key, kept in a file so that `npm run token` (another process) signs
 * with the key the issuer publishes, and tokens survive a restart. Created on first use; the
 * exclusive create means two processes starting together agree on one key.
 */
export async function loadOrCreateDevKey(file: string): Promise<DevKey> {
  try {
    return await fromStored(JSON.parse(readFileSync(file, 'utf8')) as StoredKey);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
  const stored: StoredKey = {
    kid: `dev-${randomUUID().slice(0, 8)}`,
    alg: DEV_ALGORITHM,
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
  };
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fromStored(JSON.parse(readFileSync(file, 'utf8')) as StoredKey);
  }
  return fromStored(stored);
}
