/**
 * Where a command writes and what it may read of its surroundings; tests pass buffers and their
 * own environment, the binary passes stdout, stderr and the process environment. This is the one
 * place outside `platform/config/` that reads `process.env`: the terminal client's settings.
 */
export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
  env?: NodeJS.ProcessEnv;
  /** Transient progress (a spinner) on the terminal; absent when output is not a terminal. */
  progress?: (text: string | null) => void;
  /** Whether stdout is a terminal (colour, bars) and how wide; absent: it is not. */
  terminal?: { columns: number };
  /** Standard input to its end (`portico login --with-token`). */
  readStdin?: () => Promise<string>;
}

let guarded = false;

/**
 * A reader that closes the pipe early (`portico usage | head -1`) has what it wanted: end quietly
 * with status 0, as cat or gh do, instead of an EPIPE stack trace. Installed on first output, so
 * only commands that print are affected.
 */
function guardPipes(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  // Nowhere left to report a failure to write a message: drop it.
  process.stderr.on('error', () => {});
}

export const processIO: CommandIO = {
  out: (line) => {
    guardPipes();
    process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    guardPipes();
    process.stderr.write(`${line}\n`);
  },
  env: process.env,
  // A spinner only when a person watches both streams: not under `| jq`, not in `2> log`.
  progress:
    process.stderr.isTTY && process.stdout.isTTY
      ? (text) => process.stderr.write(text === null ? '\r\u001b[2K' : `\r\u001b[2K${text}`)
      : undefined,
  terminal: process.stdout.isTTY ? { columns: process.stdout.columns || 80 } : undefined,
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};
