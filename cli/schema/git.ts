import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { SchemaCheckInputError } from './input-error.ts';

function git(root: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new SchemaCheckInputError(`--base needs git: ${result.error.message}`);
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr.trim() };
}

/**
 * The text of `file` (a path under `root`) as committed at `ref`. A ref that names no commit, a
 * root outside a repository and a file absent at the ref are input errors, each with its own
 * message, so a typo in CI configuration never reads as a schema verdict.
 */
export function readAtRef(root: string, ref: string, file: string): string;
/** With `optional`, a file absent at the ref is null (a BFF added since), not an input error. */
export function readAtRef(root: string, ref: string, file: string, optional: true): string | null;
export function readAtRef(root: string, ref: string, file: string, optional = false): string | null {
  // A ref is passed as an argument: one starting with "-" would be read as an option.
  if (ref === '' || ref.startsWith('-')) throw new SchemaCheckInputError(`--base: "${ref}" is not a git ref`);
  const inside = git(root, ['rev-parse', '--is-inside-work-tree']);
  if (!inside.ok) throw new SchemaCheckInputError(`--base ${ref}: ${root} is not in a git repository`);
  const commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!commit.ok) throw new SchemaCheckInputError(`--base ${ref}: no such commit in this repository`);
  const path = relative(root, file).split('\\').join('/');
  const shown = git(root, ['show', `${commit.stdout.trim()}:./${path}`]);
  if (
    !shown.ok &&
    optional &&
    git(root, ['cat-file', '-e', `${commit.stdout.trim()}:./${path}`]).ok === false
  )
    return null;
  if (!shown.ok) throw new SchemaCheckInputError(`--base ${ref}: ${path} does not exist at ${ref}`);
  return shown.stdout;
}
