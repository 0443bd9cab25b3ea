import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { composeFromConfig, SupergraphConfigError } from '../gateway/compose.ts';
import { resolveFromRoot } from '../platform/config/load.ts';
import type { CommandIO } from './io.ts';

const usage = 'usage: portico compose [--config supergraph.yaml] [--out supergraph.graphql] [--check]';

/**
 * `portico compose` (npm run compose): composes supergraph.yaml in-process and writes the
 * supergraph. With --check it writes nothing and fails if the committed file is stale.
 * Exit codes: 0 ok, 1 composition failed or stale, 2 usage or input error.
 */
export async function composeCommand(argv: string[], io: CommandIO): Promise<number> {
  let values: { config?: string; out?: string; check?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, out: { type: 'string' }, check: { type: 'boolean' } },
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const configPath = resolveFromRoot(values.config ?? 'supergraph.yaml');
  const outPath = resolveFromRoot(values.out ?? 'supergraph.graphql');
  let outcome: ReturnType<typeof composeFromConfig>;
  try {
    outcome = composeFromConfig(configPath);
  } catch (error) {
    if (error instanceof SupergraphConfigError) {
      io.err(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (outcome.versionProblem) {
    io.err(`error: ${outcome.versionProblem}`);
    return 1;
  }
  if (!outcome.ok) {
    io.err(`composition failed with ${outcome.errors.length} error(s):`);
    for (const e of outcome.errors) io.err(`  ${e.subgraph ?? '(supergraph)'}: ${e.code}: ${e.message}`);
    return 1;
  }
  const shown = relative(process.cwd(), outPath) || outPath;
  if (values.check) {
    let current = '';
    try {
      current = readFileSync(outPath, 'utf8');
    } catch {
      // A missing file is just a stale one.
    }
    if (current !== outcome.supergraphSdl) {
      io.err(`${shown} is out of date with supergraph.yaml; run npm run compose`);
      return 1;
    }
    io.out(`${shown} is up to date (${outcome.subgraphs.length} subgraphs)`);
    return 0;
  }
  writeFileSync(outPath, outcome.supergraphSdl);
  io.out(
    `composed ${outcome.subgraphs.map((s) => s.name).join(', ')} into ${shown} (${outcome.hints.length} hints)`,
  );
  return 0;
}
