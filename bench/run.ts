import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench [name ...]`: runs each benchmark script in `bench/` (files ending `.bench.ts`)
 * in its own process, one after another so they do not compete for the CPU. Each script prints
 * its own figures, measured against its own baseline.
 */
const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const scripts = readdirSync(dir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.startsWith(name)))
  .sort();
if (scripts.length === 0) {
  process.stderr.write(`no benchmark matches ${wanted.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const script of scripts) {
  process.stdout.write(`\n=== ${script} ===\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${script}`], {
    stdio: 'inherit',
    env: {
      ...process.env,
      APOLLO_TELEMETRY_DISABLED: 'true',
      PORTICO_TEST_LOG: process.env.PORTICO_TEST_LOG ?? 'silent',
    },
  });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
