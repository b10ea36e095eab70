/**
 * The bundle the app ships: out/db/database-process.js built by esbuild, forked under plain
 * Node, answers through the real protocol, including an NZB large enough to be parsed by the
 * bundled worker thread. Catches a bundle that only works from sources.
 */
import { execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGeneratedNzb } from '../../../scripts/generate/nzb-file-generator';
import { createClient } from '../../../shared/ipc/client';
import { makeTempDir } from '../conformance/test-engines';
import { childProcessPort } from './ports';

describe('the bundled database process', () => {
  let dir: string;
  beforeAll(() => {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-electron.ts'], { stdio: 'ignore' });
    dir = makeTempDir('bundle');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves the handler map and parses a large NZB in its worker', async () => {
    const child = fork(path.resolve('out/db/database-process.js'), ['--data', dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    const client = createClient(childProcessPort(child));
    try {
      await new Promise<void>((resolve) => client.on('db/status', (s) => s.state === 'ready' && resolve()));
      const nzb = path.join(dir, 'large.nzb');
      await writeGeneratedNzb(nzb, 60_000, 3);
      expect(fs.statSync(nzb).size).toBeGreaterThan(4 * 1024 * 1024);
      const c = await client.call('collections/create', { name: 'B', source: 'nzb' });
      expect(await client.call('nzb/import', { collectionId: c.id, paths: [nzb] })).toMatchObject({ imported: 1, segments: 60_000 });
      expect(await client.call('catalog/stats', {})).toMatchObject({ segments: 60_000 });
    } finally {
      client.close();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    }
  });
});
