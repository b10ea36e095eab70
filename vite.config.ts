import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Libraries the first screen needs, in chunks of their own (they change less often than the
 * app, and the build's report shows what each costs). Libraries only a lazily loaded screen
 * uses (uPlot: the dashboard) are left out of these groups, so they load with that screen.
 */
const VENDOR_GROUPS = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/u, priority: 3 },
  { name: 'fluent', test: /node_modules[\\/](@fluentui|@griffel|tabster|keyborg|@floating-ui|@swc[\\/]helpers)[\\/]/u, tags: ['$initial' as const], priority: 2 },
  { name: 'vendor', test: /node_modules[\\/]/u, tags: ['$initial' as const], priority: 1 },
];

// The renderer: a sandboxed React app loaded from files in Electron, or served by the headless host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: { output: { codeSplitting: { groups: VENDOR_GROUPS } } },
  },
});
