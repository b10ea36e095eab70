/**
 * esbuild settings for code that runs under Node (the Electron main and database process, and
 * the `strata` command), shared so that both builds agree on the target and the native modules.
 */
import type { BuildOptions } from 'esbuild';

export const NODE_BUNDLE: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // 7zip-bin finds its 7za binary next to its own file (unpacked from the asar), so it cannot be
  // bundled; PGlite loads its WebAssembly and data files beside its own modules; pg-native is
  // an optional dependency of pg that Strata does not use.
  external: ['electron', 'better-sqlite3', '7zip-bin', '@electric-sql/pglite', 'pg-native'],
  logLevel: 'warning',
};

/** Bundled ES modules still meet CommonJS dependencies that call require(). */
export const ESM_REQUIRE_BANNER = {
  js: "import { createRequire as __strataRequire } from 'node:module'; const require = __strataRequire(import.meta.url);",
};
