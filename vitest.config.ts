import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Test tiers by suffix: `*.test.ts` run services in-process over real HTTP; `*.e2e.ts` start real
 * processes (the CLI, `npm start`). Both run under `npm test`.
 */
export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for us and for Apollo alike; Vite would pick its .mjs
    // build for our files, and two graphql instances reject each other's schema objects.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    env: { APOLLO_TELEMETRY_DISABLED: 'true' },
  },
});
