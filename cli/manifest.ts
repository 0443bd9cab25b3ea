import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { buildManifest } from '../gateway/persisted/build-manifest.ts';
import { loadConfig, resolveFromRoot } from '../platform/config/load.ts';
import { projectRoot } from '../platform/paths.ts';
import { expandGlob } from './glob.ts';
import type { CommandIO } from './io.ts';

const usage = 'usage: portico manifest [--out <file>] [--check] [<glob> ...]';

/**
 * `npm run manifest`: builds the safelist of persisted operations from the BFFs' operation files
 * (`persistedQueries.operations`, or the globs given) into `persistedQueries.manifest` (or
 * `--out`). `--check` writes nothing and fails when the file on disk is not what would be built,
 * for CI.
 */
export async function manifestCommand(argv: string[], io: CommandIO): Promise<number> {
  let values: { out?: string; check?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, check: { type: 'boolean' } },
      allowPositionals: true,
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const config = loadConfig();
  const globs = positionals.length > 0 ? positionals : [...config.persistedQueries.operations];
  const out = resolveFromRoot(values.out ?? config.persistedQueries.manifest);
  const files = [...new Set(globs.flatMap((glob) => expandGlob(glob, projectRoot)))];
  if (files.length === 0)
    io.err(`warning: no operation files match ${globs.join(', ')}; the manifest is empty`);
  const shown = (path: string) => {
    const inProject = relative(projectRoot, path);
    return inProject.startsWith('..') ? path : inProject;
  };
  const { manifest, problems } = buildManifest(
    files.map((path) => ({ path: shown(path), text: readFileSync(path, 'utf8') })),
  );
  if (problems.length > 0) {
    for (const problem of problems) io.err(problem);
    io.err(`${problems.length} problem(s); no manifest written`);
    return 1;
  }
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  if (values.check) {
    let current = '';
    try {
      current = readFileSync(out, 'utf8');
    } catch {
      // A missing manifest is simply out of date.
    }
    if (current !== text) {
      io.err(`${out} is out of date; run npm run manifest`);
      return 1;
    }
    io.out(`${out} is up to date (${manifest.operations.length} operations)`);
    return 0;
  }
  writeFileSync(out, text);
  io.out(`wrote ${manifest.operations.length} operations from ${files.length} files to ${out}`);
  return 0;
}
