/**
 * `npm run pack:postgres [-- --platform linux-x64] [--out resources/postgres] [--level 5] [--if-stale]`
 * Packs the PostgreSQL binaries for the app's resources; prints the manifest as one JSON line.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { currentPlatform } from '../electron/db/portable-server/manifest';
import { isPackCurrent, packPostgres } from './postgres/pack';

const { values } = parseArgs({
  options: {
    platform: { type: 'string', default: currentPlatform() },
    out: { type: 'string', default: path.join(import.meta.dirname, '..', 'resources', 'postgres') },
    level: { type: 'string', default: '5' },
    'if-stale': { type: 'boolean', default: false },
  },
});

if (values['if-stale'] && isPackCurrent(values.out, values.platform)) {
  process.stderr.write(`resources for ${values.platform} are current\n`);
} else {
  const started = Date.now();
  const manifest = await packPostgres({ platform: values.platform, outDir: values.out, level: Number(values.level) });
  process.stderr.write(`packed ${manifest.files} files into ${manifest.archive} (${(manifest.archiveBytes / 1e6).toFixed(1)} MB) in ${Date.now() - started} ms\n`);
  process.stdout.write(`${JSON.stringify(manifest)}\n`);
}
