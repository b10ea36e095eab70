/**
 * The real `strata import-nzb` SIGKILLed while it appends parts of a huge file: the catalog
 * must reopen with nothing of that NZB (its pending source and the open file go at open,
 * counters included), and the same import must then succeed whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import { killTrials, reportFigure } from '../../faults/kill-trials';
import { jsonResult, runCli } from '../../faults/run-cli';
import { openStore } from '../../open-store';
import { writeHugeFileNzb } from './huge-file-nzb';

const SEGMENTS = 120_000;

describe('an NZB import killed in the middle of a huge file', () => {
  let work: string;
  let nzb: string;
  beforeAll(async () => {
    work = makeTempDir('nzb-kill');
    nzb = path.join(work, 'huge.nzb');
    await writeHugeFileNzb(nzb, SEGMENTS, { filesBefore: 2 });
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('leaves nothing of the NZB, and imports whole when run again', async () => {
    const trials = killTrials(2, 10);
    const started = performance.now();
    let killed = 0;
    for (let trial = 0; trial < trials; trial++) {
      const data = path.join(work, `data-${trial}`);
      const args = ['import-nzb', nzb, '--collection', 'Posts', '--json', '--data', data];
      // Past the small files and at least one appended part: the huge file is open. The kill
      // points step through 20,000-110,000 segments whatever the number of trials (a point at
      // or past the file's end would let the import finish and prove nothing).
      const want = 20_000 + ((trial * 37_000) % 90_000);
      const run = await runCli(args, {
        killWhen: (line) => {
          const m = /"segments":(\d+)/u.exec(line);
          return m !== null && Number(m[1]) >= want && Number(m[1]) < SEGMENTS;
        },
      });
      if (run.killed) {
        killed++;
        const store = await openStore(data);
        try {
          expect(await store.stats()).toMatchObject({ files: 0, segments: 0, bytes: 0 });
          const [posts] = await store.listCollections();
          expect(posts).toMatchObject({ fileCount: 0, segmentCount: 0, bytes: 0, missingSegments: 0, uploadedSegments: 0 });
          expect((await store.checkIntegrity()).problems).toEqual([]);
        } finally {
          await store.close();
        }
      }
      const again = await runCli(args);
      expect(again.code).toBe(0);
      // After a kill it imports whole; after an import that finished first it is a duplicate.
      expect(jsonResult(again)).toMatchObject(run.killed ? { imported: 1, failed: 0, files: 3, segments: SEGMENTS + 20 } : { imported: 0, duplicates: 1 });
    }
    reportFigure({ suite: 'nzb import', case: 'killed inside a huge file', trials, killed, finishedFirst: trials - killed, resumed: 0, ok: trials, elapsedMs: performance.now() - started });
    // A kill that came after the import finished proves nothing; most trials must land inside it.
    expect(killed).toBeGreaterThanOrEqual(Math.ceil(trials / 2));
  }, 600_000);
});
