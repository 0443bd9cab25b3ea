import { readdirSync, readFileSync } from 'node:fs';

/** A process and its descendants (cluster workers), from /proc. Linux only, as the bench host is. */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const parent = out[i]!;
    try {
      for (const task of readdirSync(`/proc/${parent}/task`)) {
        const children = readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8').trim();
        if (children) out.push(...children.split(' ').map(Number));
      }
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) used so far by a process and its descendants. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const member of processTree(pid)) {
    try {
      // Fields after the command name (which may hold spaces): utime is 14th, stime 15th overall.
      const stat = readFileSync(`/proc/${member}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Ended meanwhile.
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/** Peak resident memory (VmHWM) in MB, summed over a process and its descendants. */
export function peakRssMb(pid: number): number {
  let kb = 0;
  for (const member of processTree(pid)) {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${member}/status`, 'utf8'));
      kb += Number(match?.[1] ?? 0);
    } catch {
      // Ended meanwhile.
    }
  }
  return kb / 1024;
}

/**
 * Resident memory now, in MB, of a process and its descendants: anonymous (V8's heap, buffers,
 * malloc) and file-backed (code and mapped files), to tell what a peak is made of.
 */
export function rssPartsMb(pid: number): { anon: number; file: number } {
  const parts = { anon: 0, file: 0 };
  for (const member of processTree(pid)) {
    try {
      const status = readFileSync(`/proc/${member}/status`, 'utf8');
      parts.anon += Number(/RssAnon:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
      parts.file += Number(/RssFile:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    } catch {
      // Ended meanwhile.
    }
  }
  return parts;
}

/** The 1-minute load average, to read beside figures taken on a shared machine. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
