/**
 * Where a command writes and what it may read of its surroundings; tests pass buffers and their
 * own environment, the binary passes stdout, stderr and the process environment. This is the one
 * place outside `platform/config/` that reads `process.env`: the terminal client's token and URL.
 */
export interface CommandIO {
  out(line: string): void;
  err(line: string): void;
  env?: NodeJS.ProcessEnv;
  /** Transient progress (a spinner) on the terminal; absent when output is not a terminal. */
  progress?: (text: string | null) => void;
}

export const processIO: CommandIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  progress: process.stderr.isTTY
    ? (text) => process.stderr.write(text === null ? '\r\u001b[2K' : `\r\u001b[2K${text}`)
    : undefined,
};
