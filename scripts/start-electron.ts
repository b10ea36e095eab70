/**
 * `npm start`: builds the renderer and the Electron bundles, then launches the app. The
 * Electron binary is not downloaded by `npm install` (its install script is denied in
 * package.json, so installs work offline and in CI); this says how to fetch it when missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronPath: string;
try {
  electronPath = require('electron') as string;
} catch {
  process.stderr.write(
    'The Electron binary is not installed. Fetch it once with:\n  node node_modules/electron/install.js\n' +
      '(npm install skips it on purpose.) The headless host needs no Electron: npm run serve.\n',
  );
  process.exit(1);
}
for (const [cmd, args] of [
  ['npx', ['vite', 'build']],
  [process.execPath, ['--import', 'tsx', 'scripts/build-electron.ts']],
] as const) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const app = spawn(electronPath, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
app.on('exit', (code) => process.exit(code ?? 0));
