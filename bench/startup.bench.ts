import { startDevPlatform } from '../test/helpers/dev-platform.ts';

/**
 * Time from `npm start` (portico dev) to every service answering /ready, measured from outside
 * the launcher (process spawn to the "ready" banner). Baseline: the launcher's own figure.
 */
const runs = Number(process.env.BENCH_RUNS ?? 3);
const seconds: number[] = [];
for (let i = 0; i < runs; i += 1) {
  const platform = await startDevPlatform();
  const own = /Portico is ready in ([\d.]+) s/.exec(platform.proc.output())?.[1];
  seconds.push(platform.readySeconds);
  process.stdout.write(
    `run ${i + 1}: all ready after ${platform.readySeconds.toFixed(2)} s (launcher says ${own} s)\n`,
  );
  await platform.stop();
}
seconds.sort((a, b) => a - b);
process.stdout.write(
  `startup to all-ready: median ${seconds[Math.floor(seconds.length / 2)]!.toFixed(2)} s, min ${seconds[0]!.toFixed(2)} s, max ${seconds.at(-1)!.toFixed(2)} s over ${runs} runs\n`,
);
