import { parseArgs } from 'node:util';
import type { CommandIO } from './io.ts';

export type Command = (argv: string[], io: CommandIO) => Promise<number>;

export interface OptionSpec {
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  /** What the value looks like in help (`<1d|7d|30d>`); string options only. */
  value?: string;
  description: string;
  multiple?: boolean;
}

/**
 * One `portico` command as help shows it and, for the commands that parse through
 * `parseCommandArgs`, as its arguments are read: help and parsing come from the same table.
 */
export interface CommandSpec {
  name: string;
  /** "use the platform" (the terminal client) or "run the platform" (operators, CI). */
  group: 'use' | 'run';
  summary: string;
  usage: string[];
  /** Paragraphs between the usage and the options. */
  about?: string[];
  options: OptionSpec[];
  /** Extra sections (a list of services, arguments), each a title and its lines. */
  sections?: { title: string; lines: string[] }[];
  examples?: string[];
  load(): Promise<Command>;
}

export const helpOption: OptionSpec = {
  name: 'help',
  short: 'h',
  type: 'boolean',
  description: 'show this help',
};

/** A mistake in how a command was called: exit 2, with the message and a pointer to the help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Reads argv with the command's declared options (util.parseArgs: `-w 7d`, `--window=7d`, `-w7d`). */
export function parseCommandArgs(spec: CommandSpec, argv: string[], positionals = false): ParsedArgs {
  // parseArgs refuses keys set to undefined: give each option only the settings it has.
  const options = Object.fromEntries(
    spec.options.map(({ name, type, short, multiple }) => [
      name,
      { type, ...(short ? { short } : {}), ...(multiple ? { multiple } : {}) },
    ]),
  );
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
    return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals };
  } catch (error) {
    // parseArgs words its messages for programs ("Unknown option '--x'. To specify a positional
    // argument starting with a '-', place it at the end of the command after '--'"): keep the first sentence.
    const message = (error as Error).message.split(/\.\s/)[0]!.replace(/\.$/, '');
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1));
  }
}

/** Prints a usage error the way every command does, and gives the exit code. */
export function usageFailure(io: CommandIO, command: string, error: UsageError): number {
  io.err(`portico ${command}: ${error.message}`);
  io.err(`Run 'portico ${command} --help' for its options.`);
  return 2;
}
