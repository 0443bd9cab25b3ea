import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Three tiers, told apart by suffix and run as vitest projects (`npm test` runs all three;
 * `npm run test:unit`, `test:integration`, `test:e2e` one each):
 *
 *   unit         *.unit.ts   one module, no sockets, fake clocks for anything timed (seconds in all)
 *   integration  *.test.ts   services in this process over real HTTP (and real Redis)
 *   e2e          *.e2e.ts    real processes: `npm start`, `portico serve`, the CLI, compiled
 *
 * Timeouts are per tier and sized for a loaded 2-core machine; a test that waits longer than its
 * tier allows says so in its own options. Every tier builds dist/ first if the sources changed
 * (processes the tests spawn run the compiled `bin/portico.js`, as users do).
 */
export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for us and for Apollo alike; Vite would pick its .mjs
    // build for our files, and two graphql instances reject each other's schema objects.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    environment: 'node',
    pool: 'forks',
    // Vitest's default (cores - 1) runs one file at a time on two cores; our files spend most of
    // their time waiting on sockets and timers, so two at once take the suite from about 7 to
    // about 4.5 minutes there, and their margins already hold on a busier machine than that.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    env: { APOLLO_TELEMETRY_DISABLED: 'true' },
    globalSetup: ['test/setup/build.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.unit.ts'], testTimeout: 10_000, hookTimeout: 10_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
