import type { CommandIO } from './io.ts';

export interface Progress {
  /** Where the launcher and its children write while the progress line may be showing. */
  io: CommandIO;
  update(ready: string[], pending: string[]): void;
  /** Removes the progress line for good. */
  done(): void;
}

/**
 * `6/9 ready, waiting for gateway (4 s)` while the platform starts: redrawn in place on a
 * terminal (cleared and redrawn around other output), one line per change otherwise.
 */
export function startProgress(io: CommandIO, total: number, started = Date.now()): Progress {
  const terminal = io.progress;
  let showing: string | null = null;
  const around =
    (write: (line: string) => void) =>
    (line: string): void => {
      if (terminal && showing !== null) terminal(null);
      write(line);
      if (terminal && showing !== null) terminal(showing);
    };
  return {
    io: { ...io, out: around(io.out), err: around(io.err) },
    update(ready, pending) {
      const waiting = pending.length > 0 ? `, waiting for ${pending.join(', ')}` : '';
      const text = `${ready.length}/${total} ready${waiting}`;
      const seconds = Math.round((Date.now() - started) / 1000);
      if (terminal) {
        showing = `${text} (${seconds} s)`;
        terminal(showing);
      } else {
        io.out(`${text} (${seconds} s)`);
      }
    },
    done() {
      if (terminal && showing !== null) terminal(null);
      showing = null;
    },
  };
}
