import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer: a sandboxed React app loaded from files in Electron, or served by the headless host.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true },
});
