import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'scripts/**/*.test.ts', 'cli/**/*.test.ts', 'renderer/**/*.test.ts'],
    // Database tests open real files; two workers keep a 2-core machine responsive.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    // CI also writes machine-readable results; .ci/run prints the pass/fail line from them.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'out/vitest-results.json' },
    hookTimeout: 60_000,
    // First, the tests' temporary folders on a RAM file system when the machine has one: real
    // folders and files, without the disk's cost of removing them (scripts/testing/ram-tmpdir.ts).
    // Then a real portable PostgreSQL server from the project's own dependencies, so the
    // conformance suite and the migration pairs run ENGINES=postgres too (STRATA_TEST_PG_URL).
    // And the worker-thread entries bundled once for the run (scripts/testing/worker-bundle.ts).
    globalSetup: ['scripts/testing/ram-tmpdir.ts', 'scripts/testing/worker-bundle.ts', 'electron/db/portable-server/test-server-setup.ts'],
  },
});
