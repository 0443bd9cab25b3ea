import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface Child {
  pid: number;
  /** The first JSON line the child printed (its URLs), or null when it prints none. */
  ready: Promise<Record<string, string>>;
  /** The last of what it printed, for an error message. */
  tail(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
// Whatever way the bench ends, no child outlives it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

/**
 * A child process of the bench. Its output is read and dropped as it comes (a gateway logging
 * every request must not fill a pipe or this process's memory), keeping only the last 8 KB.
 */
export function startChild(args: string[], env: Record<string, string> = {}, json = true): Child {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, APOLLO_TELEMETRY_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let tail = '';
  let line = '';
  let resolveReady: (value: Record<string, string>) => void;
  let rejectReady: (error: Error) => void;
  const ready = new Promise<Record<string, string>>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // Waited on only for children that print their URLs; never an unhandled rejection otherwise.
  ready.catch(() => {});
  const keep = (text: string) => {
    tail = (tail + text).slice(-8192);
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    keep(text);
    if (!json) return;
    line += text;
    const end = line.indexOf('\n');
    if (end >= 0) {
      try {
        resolveReady(JSON.parse(line.slice(0, end)));
      } catch {
        line = line.slice(end + 1);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => keep(chunk.toString()));
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      rejectReady(new Error(`child ${args.join(' ')} exited (${code}) before it was ready:\n${tail}`));
      resolve();
    });
  });
  return {
    pid: child.pid!,
    ready,
    tail: () => tail,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A TypeScript entry of the bench in a child process. */
export function startScript(file: string, args: string[] = []): Child {
  return startChild(['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url)), ...args]);
}

/** `portico serve gateway` in a child process, as it runs in production. */
export function startPortico(env: Record<string, string>, nodeArgs: string[] = []): Child {
  return startChild([...nodeArgs, `${root}bin/portico.js`, 'serve', 'gateway'], env, false);
}
