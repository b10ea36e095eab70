/**
 * `npm run bench -- pg-start [--runs 3]`: the portable PostgreSQL server's first start
 * (checksum + extraction + initdb + start + login) and warm start (start + login on an existing
 * cluster), each from a fresh temporary data folder. Packing the archive is not timed: the app
 * ships it packed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensurePacked } from '../postgres/pack';
import { ensurePortableServer, type PortableServerProgress } from '../../electron/db/portable-server/portable-server';
import { readManifest } from '../../electron/db/portable-server/manifest';
import { serverUser } from '../../electron/db/portable-server/server-user';
import { log, round, tempDir } from './bench-utils';

const RESOURCES = path.resolve(import.meta.dirname, '..', '..', 'resources', 'postgres');

export async function pgStartBench({ runs }: { runs: number }): Promise<Record<string, unknown>> {
  await ensurePacked(RESOURCES);
  const manifest = readManifest(RESOURCES);
  const dataDir = tempDir('pg-start');
  try {
    const marks: Partial<Record<PortableServerProgress['phase'], number>> = {};
    const t0 = performance.now();
    const first = await ensurePortableServer({
      dataDir,
      resourcesDir: RESOURCES,
      onProgress: (e) => {
        marks[e.phase] ??= performance.now() - t0;
      },
    });
    const firstMs = performance.now() - t0;
    log(`first start ${round(firstMs)} ms on port ${first.port}`);
    const s0 = performance.now();
    await first.stop();
    const stopMs = performance.now() - s0;

    const warm: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      const w0 = performance.now();
      const server = await ensurePortableServer({ dataDir, resourcesDir: RESOURCES });
      warm.push(round(performance.now() - w0));
      await server.stop();
      log(`warm start ${warm.at(-1)} ms`);
    }
    const sorted = [...warm].sort((a, b) => a - b);
    return {
      bench: 'pg-start',
      pg_version: manifest.pgVersion,
      archive_mb: round(manifest.archiveBytes / 1e6, 1),
      files: manifest.files,
      server_account: serverUser()?.name ?? 'current user',
      first_start_ms: round(firstMs),
      verify_extract_ms: round((marks.initdb ?? 0) - (marks.verify ?? 0)),
      initdb_ms: round((marks.start ?? 0) - (marks.initdb ?? 0)),
      start_to_ready_ms: round((marks.ready ?? 0) - (marks.start ?? 0)),
      stop_ms: round(stopMs),
      warm_start_ms: sorted[Math.floor(sorted.length / 2)],
      warm_runs_ms: warm,
    };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
