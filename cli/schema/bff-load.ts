import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { withBffDirectives } from '../../bffs/kit/create-bff.ts';
import { bffNames } from '../../platform/services.ts';
import { publishedSdl, sdlPath } from '../contract/sdl.ts';
import { readAtRef } from './git.ts';
import { SchemaCheckInputError } from './input-error.ts';

export interface LoadedBff {
  name: string;
  /** The schema the BFF will serve after this change: its schema.graphql. */
  next: GraphQLSchema;
  /** The schema its apps see now: the published contract, or schema.graphql at --base. */
  base: GraphQLSchema;
  baseLabel: string;
  contract: { path: string; upToDate: boolean; mustBeUpToDate: boolean };
}

function build(text: string, where: string): GraphQLSchema {
  try {
    return buildSchema(text);
  } catch (error) {
    throw new SchemaCheckInputError(`${where}: ${(error as Error).message}`);
  }
}

/**
 * Both sides of each BFF's comparison, as the supergraph's: without --base the committed published
 * contract (`bffs/<name>/generated/schema.graphql`) is the base, so an edit to schema.graphql is
 * judged before codegen; with --base the base is schema.graphql at the ref, and the contract must
 * be regenerated (apps and tools read it). A BFF without schema.graphql under the root is skipped.
 */
export function loadBffSchemas(root: string, baseRef: string | undefined): LoadedBff[] {
  return bffNames
    .filter((name) => existsSync(join(root, 'bffs', name, 'schema.graphql')))
    .map((name) => {
      const source = `bffs/${name}/schema.graphql`;
      const text = readFileSync(join(root, source), 'utf8');
      const next = build(withBffDirectives(text), source);
      const contractFile = join(root, sdlPath(name));
      const contract = existsSync(contractFile) ? readFileSync(contractFile, 'utf8') : null;
      const upToDate = contract === publishedSdl(name, root);
      let base = next;
      let baseLabel = `${sdlPath(name)} (none published yet: nothing to compare)`;
      if (baseRef !== undefined) {
        const old = readAtRef(root, baseRef, join(root, source), true);
        if (old !== null) {
          base = build(withBffDirectives(old), `${source} at ${baseRef}`);
          baseLabel = `${source} at ${baseRef}`;
        } else baseLabel = `${source} (new since ${baseRef}: nothing to compare)`;
      } else if (contract !== null) {
        base = build(contract, sdlPath(name));
        baseLabel = sdlPath(name);
      }
      return {
        name,
        next,
        base,
        baseLabel,
        contract: { path: sdlPath(name), upToDate, mustBeUpToDate: baseRef !== undefined },
      };
    });
}
