import { type ChildProcess, spawn } from 'node:child_process';
import type { CommandIO } from './io.ts';

/** How many of a child's last output lines are kept to explain a crash. */
const KEPT_LINES = 15;

export interface Supervised {
  name: string;
  child: ChildProcess;
  /** Whether the process has ended and its output was read to the end. */
  readonly ended: boolean;
  /** `code 1` or `signal SIGKILL`, once it ended. */
  readonly how: string;
  /** Its last lines of output (stdout and stderr), newest last. */
  lastLines(): string[];
}

export interface Supervisor {
  /** Starts `portico serve <name>` the way this process itself was started. */
  start(name: string, env: NodeJS.ProcessEnv): Supervised;
  readonly children: Supervised[];
  /** SIGTERM to every living child; SIGKILL to any still alive after `graceMs`. Resolves when all ended. */
  stopAll(graceMs: number): Promise<void>;
  /** SIGKILL to every living child, at once (a second Ctrl-C). */
  killAll(): void;
}

/**
 * The command that started this process, for its children: the same Node flags (tsx when run
 * from source) and the same entry point (bin/portico.js or dist/cli/main.js), minus a debugger
 * port that the children would fight over.
 */
function selfCommand(): string[] {
  return [...process.execArgv.filter((flag) => !flag.startsWith('--inspect')), process.argv[1]!];
}

/**
 * The launcher's children: `portico serve <name>` each, with an IPC channel whose closing tells a
 * child that the launcher is gone (even killed with SIGKILL), so it drains and frees its port
 * instead of living on as an orphan. Output is prefixed with the service name and passed on.
 */
export function createSupervisor(io: CommandIO): Supervisor {
  const children: Supervised[] = [];
  const alive = () => children.filter((c) => !c.ended);
  // However this process ends, no child is left holding a port (the IPC channel covers SIGKILL).
  process.once('exit', () => {
    for (const c of alive()) c.child.kill('SIGTERM');
  });

  const start = (name: string, env: NodeJS.ProcessEnv): Supervised => {
    const child = spawn(process.execPath, [...selfCommand(), 'serve', name], {
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const lines: string[] = [];
    const prefix = `${name.padEnd(8)} |`;
    for (const [stream, write] of [
      [child.stdout, io.out],
      [child.stderr, io.err],
    ] as const) {
      let buffered = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buffered += chunk;
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        for (const line of parts) {
          if (line.length === 0) continue;
          lines.push(line);
          if (lines.length > KEPT_LINES) lines.shift();
          write(`${prefix} ${line}`);
        }
      });
    }
    let how = '';
    // 'close' rather than 'exit': by then its last output has been read too.
    child.on('close', (code, signal) => {
      how = signal ? `signal ${signal}` : `code ${code}`;
    });
    // A child that could not start at all (no such executable) ends the same way as a crash.
    child.on('error', (error) => {
      how = error.message;
    });
    const supervised: Supervised = {
      name,
      child,
      get ended() {
        return how !== '';
      },
      get how() {
        return how;
      },
      lastLines: () => [...lines],
    };
    children.push(supervised);
    return supervised;
  };

  const ended = (c: Supervised) =>
    new Promise<void>((resolve) => {
      if (c.ended) return resolve();
      c.child.once('close', () => resolve());
    });

  return {
    start,
    children,
    async stopAll(graceMs) {
      const living = alive();
      for (const c of living) c.child.kill('SIGTERM');
      const timer = setTimeout(() => {
        for (const c of alive()) c.child.kill('SIGKILL');
      }, graceMs);
      await Promise.all(living.map(ended));
      clearTimeout(timer);
    },
    killAll() {
      for (const c of alive()) c.child.kill('SIGKILL');
    },
  };
}
