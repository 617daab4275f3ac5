import { defineConfig } from 'vitest/config';

// The global setup runs server code in this process: keep its logs out of the test output.
process.env.LOG_LEVEL ??= 'silent';

export default defineConfig({
  resolve: {
    // graphql ships .mjs and .js; loading both breaks instanceof checks ("another module or realm").
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    // type-graphql decorators need the metadata polyfill before any entity module loads.
    setupFiles: ['reflect-metadata'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    hookTimeout: 120_000,
    testTimeout: 60_000,
    env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' },
  },
});
