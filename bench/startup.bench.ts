import { rmSync } from 'node:fs';
import { distDir } from '../scripts/build.js';
import { heldPorts, startDevPlatform } from '../test/helpers/dev-platform.ts';

/**
 * `npm start` as a user runs it, through npm, measured from outside: spawn to the ready banner
 * (every service answers /ready), then SIGTERM to npm's PID until every port is free. The first
 * run is cold (dist/ removed, so it includes the build, as a fresh clone's first start does); the
 * rest are warm. Both launch modes in one run: all services in one process (the default) and one
 * process per service (`--processes`, as compose runs them), which is the baseline.
 */
const runs = Number(process.env.BENCH_RUNS ?? 3);
for (const args of [[], ['--processes']]) {
  const mode = args.length === 0 ? 'one process' : 'one process per service (--processes)';
  const warm: number[] = [];
  for (let i = 0; i <= runs; i += 1) {
    const cold = i === 0;
    if (cold) rmSync(distDir, { recursive: true, force: true });
    const platform = await startDevPlatform({ args });
    const own = /Portico is ready in ([\d.]+) s/.exec(platform.proc.output())?.[1];
    const stopping = performance.now();
    await platform.stop('SIGTERM');
    const held = await heldPorts(platform.ports);
    const stopSeconds = (performance.now() - stopping) / 1000;
    if (!cold) warm.push(platform.readySeconds);
    process.stdout.write(
      `${mode}, ${cold ? 'cold' : `warm ${i}`}: ready after ${platform.readySeconds.toFixed(2)} s (launcher says ${own} s); ` +
        `SIGTERM to npm: ${held.length === 0 ? 'all ports free' : `still held: ${held.join(', ')}`} after ${stopSeconds.toFixed(2)} s\n`,
    );
  }
  warm.sort((a, b) => a - b);
  process.stdout.write(
    `${mode}: warm start to all-ready: median ${warm[Math.floor(warm.length / 2)]!.toFixed(2)} s, min ${warm[0]!.toFixed(2)} s, max ${warm.at(-1)!.toFixed(2)} s over ${runs} runs\n`,
  );
}
