import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main.ts';
import { projectRoot } from '../../platform/paths.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** The command's whole environment (none of the test process's leaks in). */
  env?: Record<string, string>;
  /** Run as if stdout were a terminal this wide (colour, bars). */
  terminalColumns?: number;
}

/** An empty per-user config directory, so no test reads or writes a real saved login. */
export function emptyConfigDir(): string {
  return mkdtempSync(join(tmpdir(), 'portico-cli-config-'));
}

/** Runs a `portico` command in-process and captures what it prints, as a terminal would see it. */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: options.env ?? { PORTICO_CONFIG_DIR: emptyConfigDir() },
    terminal: options.terminalColumns ? { columns: options.terminalColumns } : undefined,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

export interface SpawnOptions {
  /** Written to standard input, which is then closed. */
  stdin?: string;
  /** Close the reading end of stdout at once, as `portico ... | true` does. */
  closeStdout?: boolean;
}

/**
 * The real `portico` command in a child process with exactly `env` (plus PATH and HOME), its two
 * streams kept apart, as a shell script sees them.
 */
export function spawnCli(
  args: string[],
  env: Record<string, string>,
  options: SpawnOptions = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'cli', 'main.ts'), ...args], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  if (options.closeStdout) child.stdout.destroy();
  else child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }));
  });
}
