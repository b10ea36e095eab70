import { defineConfig } from 'vitest/config';

// End-to-end: the real host, a real catalog, Debian's Chromium. One file at a time: each test
// starts a host and a browser, and the machine has two cores.
export default defineConfig({
  test: {
    include: ['renderer/e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // The first run builds the renderer and generates the 1M-segment catalog (later runs reuse them).
    globalSetup: ['renderer/e2e/global-setup.ts'],
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'out/vitest-e2e-results.json' },
  },
});
