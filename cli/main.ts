// Start-up time matters here (`portico status` should answer within a second): this module and the
// command table import nothing heavy. Each command's code is loaded only when that command runs.
import { runCommands } from './commands-run.ts';
import { useCommands } from './commands-use.ts';
import { commandHelp, topHelp } from './help.ts';
import { type CommandIO, processIO } from './io.ts';
import type { CommandSpec } from './spec.ts';

const commands: readonly CommandSpec[] = [...useCommands, ...runCommands];

async function version(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { projectRoot } = await import('../platform/paths.ts');
  return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The edit distance of two short words, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1)
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length]!;
}

/** Help asked for anywhere before `--`: `portico usage -w 7d --help` shows usage's help. */
function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

/** The `portico` command: help and version here, every command loaded on demand from the table. */
export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  const print = async (write: (line: string) => void) => {
    for (const line of topHelp(commands, await version())) write(line);
  };
  if (name === undefined) {
    await print(io.err);
    return 2;
  }
  if (name === '--help' || name === '-h') {
    await print(io.out);
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.out(`portico ${await version()}`);
    return 0;
  }
  const spec = commands.find((command) => command.name === (name === 'help' ? rest[0] : name));
  if (name === 'help') {
    if (rest.length === 0) await print(io.out);
    else if (spec) for (const line of commandHelp(spec)) io.out(line);
    else return unknown(rest[0]!, io);
    return 0;
  }
  if (!spec) return unknown(name, io);
  if (wantsHelp(rest)) {
    for (const line of commandHelp(spec)) io.out(line);
    return 0;
  }
  return (await spec.load())(rest, io);
}

function unknown(name: string, io: CommandIO): number {
  const close = commands.filter((command) => distance(command.name, name) <= 2).map((c) => c.name);
  io.err(
    `portico: unknown command "${name}"${close.length > 0 ? `; did you mean ${close.join(' or ')}?` : ''}`,
  );
  io.err("Run 'portico --help' for the commands.");
  return 2;
}

/** Runs the command and sets the exit code; the entry point of `bin/portico.js` and `npm run`. */
export async function run(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    // A configuration error is the user's to fix: its message names the key; a stack would bury it.
    // Matched by name so that this module does not load the configuration code to recognise it.
    const text =
      (error as Error).name === 'ConfigError'
        ? (error as Error).message
        : ((error as Error).stack ?? String(error));
    process.stderr.write(`portico: ${text}\n`);
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
