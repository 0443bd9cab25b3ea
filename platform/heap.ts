import v8 from 'node:v8';

const FLAG = /^--heap[-_]growing[-_]percent=(\d+)$/;

/**
 * How far V8 lets its old generation grow past what the last full collection found live, before
 * the next one (`heapGrowthPercent`). Left to itself V8 picks a factor of up to 4x on a host with
 * memory to spare; under load the gateway's old generation then fills with promoted garbage (the
 * objects of answers in flight outlive two scavenges) to several times its live set, and a process
 * with ~55 MB live peaks near 380 MB resident. A fixed factor trades a little collector CPU for a
 * peak that follows the live set (docs/performance.md, "Peak RSS: a fixed heap growth").
 *
 * V8 reads the flag at each full collection, so setting it at start-up, before the service is
 * built, covers every collection that matters. A flag given to node itself wins. Returns the
 * growth in force, or undefined when V8 chooses its own.
 */
export function applyHeapGrowth(percent: number): number | undefined {
  for (const arg of process.execArgv) {
    const given = FLAG.exec(arg);
    if (given) return Number(given[1]) || undefined;
  }
  if (percent <= 0) return undefined;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  return percent;
}
