import { ConfigError } from '../platform/config/load.ts';
import { type CommandIO, processIO } from './io.ts';

type Command = (argv: string[], io: CommandIO) => Promise<number>;

const commands: Record<string, { run: () => Promise<Command>; help: string }> = {
  dev: {
    run: async () => (await import('./dev.ts')).devCommand,
    help: 'start the whole platform locally (npm start)',
  },
  serve: {
    run: async () => (await import('./serve.ts')).serveCommand,
    help: 'run one service: gateway (PORTICO_WORKERS=auto: one worker per core), models, billing, metering, health, issuer',
  },
  compose: {
    run: async () => (await import('./compose.ts')).composeCommand,
    help: 'compose supergraph.yaml into supergraph.graphql',
  },
  codegen: {
    run: async () => (await import('./codegen.ts')).codegenCommand,
    help: "typed documents for each BFF's gateway operations: [--check]",
  },
  manifest: {
    run: async () => (await import('./manifest.ts')).manifestCommand,
    help: 'build the safelist of persisted operations: [--out <file>] [--check] [<glob> ...]',
  },
  schema: {
    run: async () => (await import('./schema/command.ts')).schemaCommand,
    help: 'schema check: compose, diff against the committed supergraph, name the operations a change breaks',
  },
  status: {
    run: async () => (await import('./client/commands.ts')).statusCommand,
    help: 'platform and account status, from the CLI BFF [--json] [--token t] [--url u]',
  },
  models: {
    run: async () => (await import('./client/commands.ts')).modelsCommand,
    help: 'the model catalogue with availability and your 7-day requests [--first n] [--json]',
  },
  usage: {
    run: async () => (await import('./client/commands.ts')).usageCommand,
    help: 'your usage: totals and a daily series [--window 1d|7d|30d] [--json]',
  },
  token: {
    run: async () => (await import('./token.ts')).tokenCommand,
    help: 'print a dev token: --sub <user> --tenant <tenant> [--scopes a,b] [--ttl 1h]',
  },
};

function help(io: CommandIO): void {
  io.out('usage: portico <command> [options]\n');
  for (const [name, { help: text }] of Object.entries(commands)) io.out(`  ${name.padEnd(10)} ${text}`);
}

/** The `portico` command. Each subcommand is loaded on demand so `portico token` stays fast. */
export async function main(argv: string[], io: CommandIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(io);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`portico: unknown command "${name}"`);
    help(io);
    return 2;
  }
  return (await command.run())(rest, io);
}

/** Runs the command and sets the exit code; the entry point of `bin/portico.js` and `npm run`. */
export async function run(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    // A configuration error is the user's to fix: its message names the key; a stack would bury it.
    const text = error instanceof ConfigError ? error.message : ((error as Error).stack ?? String(error));
    process.stderr.write(`portico: ${text}\n`);
    process.exitCode = 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv.slice(2));
