/**
 * `strata index` SIGKILLed while hashing large files: what was committed before the kill is
 * kept, and the next run reads only the files it did not commit. Commits come by bytes hashed
 * (every 256 MiB), not only every 500 files: before, a kill after hashing gigabytes of a few
 * large files kept nothing. The files are sparse (no disk space, real reads of real files).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import { killTrials, reportFigure } from '../../faults/kill-trials';
import { jsonResult, runCli } from '../../faults/run-cli';
import { openStore } from '../../open-store';
import { DEFAULT_BATCH_BYTES } from './index-folder';

const FILE_BYTES = 160 * 1024 * 1024;
const FILES = 5;

interface IndexJson {
  added: number;
  unchanged: number;
  bytes_hashed: number;
}

describe('indexing under SIGKILL', () => {
  let dir: string;
  let root: string;
  let data: string;
  beforeEach(() => {
    dir = makeTempDir('index-kill');
    root = path.join(dir, 'library');
    data = path.join(dir, 'data');
    fs.mkdirSync(root);
    for (let i = 0; i < FILES; i++) {
      const file = path.join(root, `video-${i}.mkv`);
      fs.writeFileSync(file, `header of ${i}`);
      fs.truncateSync(file, FILE_BYTES);
    }
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cataloguedFiles = async (): Promise<number> => {
    const store = await openStore(data);
    try {
      expect((await store.checkIntegrity()).problems).toEqual([]);
      return (await store.stats()).files;
    } finally {
      await store.close();
    }
  };
  const indexArgs = (): string[] => ['index', root, '--collection', 'Videos', '--data', data, '--json'];

  it('keeps the files committed before a kill at the first commit, and the next run reads only the rest', async () => {
    // 160 MiB files against 256 MiB batches: the first commit holds two files.
    expect(2 * FILE_BYTES).toBeGreaterThanOrEqual(DEFAULT_BATCH_BYTES);
    const killed = await runCli(indexArgs(), { env: { STRATA_CRASH_AT: 'index:committed' } });
    expect(killed.killed).toBe(true);
    expect(await cataloguedFiles()).toBe(2);
    const again = await runCli(indexArgs());
    expect(again.code, again.stderr.slice(-500)).toBe(0);
    expect(jsonResult<IndexJson>(again)).toMatchObject({ added: 3, unchanged: 2, bytes_hashed: 3 * FILE_BYTES });
    expect(await cataloguedFiles()).toBe(FILES);
  }, 180_000);

  it('keeps every commit its progress reported, killed at random points of the hashing', async () => {
    const trials = killTrials(2, 20);
    let killedRuns = 0;
    const started = performance.now();
    for (let trial = 0; trial < trials; trial++) {
      fs.rmSync(data, { recursive: true, force: true });
      // Kill once the progress says the n-th file is hashed; a commit comes before the progress
      // that counts its last file, so at least the files of every earlier commit are kept.
      const want = 2 + (trial % 3);
      const run = await runCli(indexArgs(), {
        killWhen: (line) => {
          const m = /"files_hashed":(\d+)/u.exec(line);
          return m !== null && Number(m[1]) >= want;
        },
      });
      const kept = await cataloguedFiles();
      if (run.killed) {
        killedRuns++;
        expect(kept).toBeGreaterThanOrEqual(2);
        const again = await runCli(indexArgs());
        expect(again.code).toBe(0);
        const result = jsonResult<IndexJson>(again);
        expect(result.unchanged).toBe(kept);
        expect(result.bytes_hashed).toBe((FILES - kept) * FILE_BYTES);
      } else {
        expect(kept).toBe(FILES);
      }
      expect(await cataloguedFiles()).toBe(FILES);
    }
    // A kill that always came too late would prove nothing.
    expect(killedRuns).toBeGreaterThan(0);
    reportFigure({ suite: 'index', case: `${FILES} x ${FILE_BYTES / 2 ** 20} MiB sparse files`, trials, killed: killedRuns, finishedFirst: trials - killedRuns, resumed: killedRuns, ok: trials, elapsedMs: performance.now() - started });
  }, 600_000);
});
