import { existsSync } from 'node:fs';
import { generateSigningKey, type KeyFiles, type KeySet, readKeySet, writeKeyFiles } from './keys.ts';

/**
 * The steps of a key rotation without downtime. Gateways sign with the first key of their file;
 * subgraphs accept every key of the public file; both re-read their file when it changes.
 *
 *   init           [A]      sign A, accept A
 *   add            [A, B]   sign A, accept A and B   (wait until every subgraph has the new file)
 *   promote B      [B, A]   sign B, accept A and B   (wait out the longest assertion: seconds)
 *   retire A       [B]      sign B, accept B
 */
export async function initKeys(files: KeyFiles): Promise<KeySet> {
  if (existsSync(files.signingKeysFile)) {
    throw new Error(`${files.signingKeysFile} exists; use \`portico keys add\` to rotate`);
  }
  const set = { keys: [await generateSigningKey()] };
  writeKeyFiles(files, set);
  return set;
}

export async function addKey(files: KeyFiles): Promise<KeySet> {
  const set = readKeySet(files.signingKeysFile);
  const next = { keys: [...set.keys, await generateSigningKey()] };
  writeKeyFiles(files, next);
  return next;
}

function indexOf(set: KeySet, kid: string, file: string): number {
  const index = set.keys.findIndex((key) => key.kid === kid);
  if (index < 0) throw new Error(`no key "${kid}" in ${file}`);
  return index;
}

export function promoteKey(files: KeyFiles, kid: string): KeySet {
  const set = readKeySet(files.signingKeysFile);
  const index = indexOf(set, kid, files.signingKeysFile);
  const next = { keys: [set.keys[index]!, ...set.keys.filter((_, i) => i !== index)] };
  writeKeyFiles(files, next);
  return next;
}

export function retireKey(files: KeyFiles, kid: string): KeySet {
  const set = readKeySet(files.signingKeysFile);
  const index = indexOf(set, kid, files.signingKeysFile);
  if (index === 0) throw new Error(`"${kid}" is the signing key; promote another one first`);
  const next = { keys: set.keys.filter((_, i) => i !== index) };
  writeKeyFiles(files, next);
  return next;
}
