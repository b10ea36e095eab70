/**
 * Once per `npm run test:e2e`: build the renderer, generate (or reuse) the catalogs, clear the
 * previous run's results; at the end merge every axe() result into test-results/axe.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildRenderer } from './build-renderer';
import { ensureCatalog } from './catalogs';
import { AXE_JSON, AXE_PARTS, SCREENS } from './results';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

export default async function setup(): Promise<() => void> {
  if (!fs.existsSync(process.env.STRATA_CHROMIUM ?? '/usr/bin/chromium')) {
    throw new Error('The e2e tests need Debian\'s Chromium at /usr/bin/chromium (apt-get install -y chromium), or STRATA_CHROMIUM=<path>.');
  }
  fs.rmSync(AXE_PARTS, { recursive: true, force: true });
  fs.mkdirSync(AXE_PARTS, { recursive: true });
  fs.mkdirSync(SCREENS, { recursive: true });
  buildRenderer(log);
  await ensureCatalog('empty', log);
  await ensureCatalog('small', log);
  await ensureCatalog('million', log);
  return () => {
    const parts = fs.existsSync(AXE_PARTS) ? fs.readdirSync(AXE_PARTS).filter((f) => f.endsWith('.json')).sort() : [];
    const merged = parts.map((f) => JSON.parse(fs.readFileSync(path.join(AXE_PARTS, f), 'utf8')) as unknown);
    fs.writeFileSync(AXE_JSON, `${JSON.stringify({ generatedAt: new Date().toISOString(), checks: merged }, null, 2)}\n`);
    log(`e2e: ${merged.length} accessibility checks in ${path.relative(process.cwd(), AXE_JSON)}`);
  };
}
