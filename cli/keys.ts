import { existsSync } from 'node:fs';
import type { JWK } from 'jose';
import { readKeySet, writeKeyFiles } from '../platform/assertion/keys.ts';
import { addKey, initKeys, promoteKey, retireKey } from '../platform/assertion/rotation.ts';
import { loadConfig, resolveFromRoot } from '../platform/config/load.ts';
import type { CommandIO } from './io.ts';

const usage = `usage: portico keys <init|ensure|list|add|promote <kid>|retire <kid>>

The gateway's assertion keys (subgraphAuth.signingKeysFile, private, for gateways; and
subgraphAuth.jwksFile, public, for subgraphs). Rotation without downtime:
  portico keys add            new key B, published; gateways still sign with A
  portico keys promote <B>    gateways sign with B (after every subgraph has the new public file)
  portico keys retire <A>     A is no longer accepted (after the longest request, in seconds)`;

function describe(keys: JWK[]): string[] {
  return keys.map((key, index) => `${index === 0 ? 'signing ' : 'accepted'}  ${key.kid}`);
}

/** `portico keys ...`: writes both key files in one step each, public first. */
export async function keysCommand(argv: string[], io: CommandIO): Promise<number> {
  const [action, kid] = argv;
  if (action === '--help' || action === '-h') {
    io.out(usage);
    return 0;
  }
  const config = loadConfig();
  const files = {
    signingKeysFile: resolveFromRoot(config.subgraphAuth.signingKeysFile),
    jwksFile: resolveFromRoot(config.subgraphAuth.jwksFile),
  };
  try {
    switch (action) {
      case 'init':
        for (const line of describe((await initKeys(files)).keys)) io.out(line);
        break;
      case 'ensure': {
        // A deployment's start (compose runs it first): keys if there are none, and the public
        // file rewritten from the private one, so the two can never disagree.
        const set = existsSync(files.signingKeysFile)
          ? readKeySet(files.signingKeysFile)
          : await initKeys(files);
        writeKeyFiles(files, set);
        for (const line of describe(set.keys)) io.out(line);
        break;
      }
      case 'add':
        for (const line of describe((await addKey(files)).keys)) io.out(line);
        break;
      case 'list':
        for (const line of describe(readKeySet(files.signingKeysFile).keys)) io.out(line);
        break;
      case 'promote':
      case 'retire':
        if (!kid) {
          io.err(usage);
          return 2;
        }
        for (const line of describe((action === 'promote' ? promoteKey : retireKey)(files, kid).keys)) {
          io.out(line);
        }
        break;
      default:
        io.err(usage);
        return 2;
    }
  } catch (error) {
    io.err(`portico keys: ${(error as Error).message}`);
    return 1;
  }
  return 0;
}
