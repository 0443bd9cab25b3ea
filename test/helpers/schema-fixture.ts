import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../../platform/paths.ts';
import { runCli } from './cli.ts';

export interface CommandResult {
  code: number;
  out: string;
  err: string;
}

export interface SchemaFixture {
  root: string;
  write(path: string, text: string): void;
  /** Replaces `from` with `to` in a file; fails loudly when `from` is not there, so no edit is a no-op. */
  edit(path: string, from: string | RegExp, to: string): void;
  /** `portico compose` into the fixture: supergraph.graphql brought up to date. */
  compose(): Promise<void>;
  /** `git init` and a first commit of everything, so `--base HEAD` names the fixture as copied. */
  commitAll(message?: string): void;
  /** Runs a `portico` command in-process with captured output. */
  portico(...argv: string[]): Promise<CommandResult>;
  /** `portico schema check --root <fixture> ...`. */
  check(...argv: string[]): Promise<CommandResult>;
  remove(): void;
}

/**
 * A copy of the project's schema inputs (supergraph.yaml, the subgraph schemas, the committed
 * supergraph.graphql, portico.yaml) in a temporary directory, for tests that change them; with
 * `bffs`, the BFF schemas and their published contracts too.
 */
export function schemaFixture(options: { bffs?: boolean } = {}): SchemaFixture {
  const root = mkdtempSync(join(tmpdir(), 'portico-schema-'));
  const copy = (path: string) => cpSync(join(projectRoot, path), join(root, path), { recursive: true });
  for (const path of ['supergraph.yaml', 'supergraph.graphql', 'portico.yaml']) copy(path);
  for (const name of ['models', 'billing', 'metering', 'health']) copy(`subgraphs/${name}/schema.graphql`);
  // With bffs: each BFF's schema and its published contract, so BFF changes are judged too.
  if (options.bffs)
    for (const name of ['web', 'mobile', 'cli'])
      for (const file of ['schema.graphql', 'generated/schema.graphql']) copy(`bffs/${name}/${file}`);

  const run = async (argv: string[]): Promise<CommandResult> => {
    const { code, stdout, stderr } = await runCli(argv);
    return { code, out: stdout, err: stderr };
  };
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], {
      cwd: root,
      stdio: 'pipe',
    });

  return {
    root,
    write(path, text) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    },
    edit(path, from, to) {
      const before = readFileSync(join(root, path), 'utf8');
      const after = before.replace(from, to);
      if (after === before) throw new Error(`fixture edit of ${path} changed nothing: ${String(from)}`);
      writeFileSync(join(root, path), after);
    },
    async compose() {
      const result = await run([
        'compose',
        '--config',
        join(root, 'supergraph.yaml'),
        '--out',
        join(root, 'supergraph.graphql'),
      ]);
      if (result.code !== 0) throw new Error(`compose failed: ${result.err}`);
    },
    commitAll(message = 'fixture') {
      git('init', '--quiet', '--initial-branch=main');
      git('add', '.');
      git('commit', '--quiet', '-m', message);
    },
    portico: (...argv) => run(argv),
    check: (...argv) => run(['schema', 'check', '--root', root, ...argv]),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
