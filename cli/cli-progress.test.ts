/**
 * Long commands through the real bin (issue 18, item 2): their progress moves, an ETA appears
 * only once measured, and Ctrl+C says what the stop left, which the next run confirms: a move
 * paused at its checkpoint resumes, an import keeps what it had imported, an index goes on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGeneratedNzb } from '../scripts/generate/nzb-file-generator';
import { makeTempDir } from '../electron/db/conformance/test-engines';
import { lastJson, progressIn, startStrata, strata } from './testing/strata-process';

type Progress = Record<string, unknown>;
const progressLines = (stderr: string, phase: string): Progress[] =>
  stderr
    .split('\n')
    .filter(progressIn(phase))
    .map((l) => (JSON.parse(l) as { progress: Progress }).progress);

let root: string;
beforeAll(() => {
  root = makeTempDir('cli-progress');
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('a migration', () => {
  it('reports rows that grow, no ETA from its first batch, and on Ctrl+C says it is paused and resumes when run again', async () => {
    const data = path.join(root, 'move');
    expect((await strata('generate', '--segments', '400000', '--data', data, '--json')).code).toBe(0);
    const move = startStrata('migrate', '--to', 'sharded', '--shards', '2', '--data', data, '--json');
    await move.waitForStderr(progressIn('copy'));
    // A few more lines, so that the rows are seen to move before the stop.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    move.child.kill('SIGINT');
    const stopped = await move.exited;
    const copy = progressLines(stopped.stderr, 'copy');
    expect(copy[0]?.eta_ms).toBeNull();
    expect(stopped.code).toBe(1);
    const error = lastJson(stopped.stdout).error as { code: string; message: string };
    expect(error.code).toBe('cancelled');
    expect(error.message).toMatch(/^(The move to sharded is paused at its last checkpoint; the catalog stays on sqlite and is unchanged\. Run the same command again to resume where it stopped, or strata migrate --discard to remove the partial copy\.|The move stopped before it had copied anything; the catalog stays on sqlite, unchanged\.)$/u);
    const paused = error.message.includes('paused');

    const again = await strata('migrate', '--to', 'sharded', '--shards', '2', '--data', data, '--json');
    expect(again.code, again.stdout).toBe(0);
    expect(lastJson(again.stdout)).toMatchObject({ resumed: paused, verified: true, to: { engine: 'sharded' } });
    const rows = progressLines(again.stderr, 'copy').map((p) => Number(p.rows));
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.at(-1)).toBeGreaterThan(rows[0] ?? 0);
  }, 600_000);
});

describe('an import', () => {
  it('counts segments as it goes and on Ctrl+C keeps the NZBs imported before it, rolling back the one being read', async () => {
    const data = path.join(root, 'import');
    const nzbs = path.join(root, 'nzbs');
    fs.mkdirSync(nzbs);
    await writeGeneratedNzb(path.join(nzbs, 'a-small.nzb'), 2_000, 1);
    await writeGeneratedNzb(path.join(nzbs, 'b-large.nzb'), 600_000, 2);
    await writeGeneratedNzb(path.join(nzbs, 'c-never.nzb'), 2_000, 3);
    const run = startStrata('import-nzb', nzbs, '--collection', 'Big', '--data', data, '--json');
    await run.waitForStderr((line) => progressIn('import')(line) && (JSON.parse(line) as { progress: { nzbs_done: number } }).progress.nzbs_done >= 1);
    run.child.kill('SIGINT');
    const stopped = await run.exited;
    expect(stopped.code).toBe(130);
    const out = lastJson(stopped.stdout) as { imported: number; interrupted: boolean; results: { file: string; status: string }[] };
    expect(out.interrupted).toBe(true);
    expect(out.imported).toBe(1);
    expect(out.results.map((r) => [path.basename(r.file), r.status])).toEqual([
      ['a-small.nzb', 'imported'],
      ['b-large.nzb', 'cancelled'],
    ]);
    const text = await strata('collections', '--data', data, '--json');
    expect((lastJson(text.stdout).collections as { name: string; segmentCount: number }[])[0]).toMatchObject({ name: 'Big', segmentCount: 2_000 });
  }, 600_000);

  it('prints what Ctrl+C kept in words', async () => {
    const data = path.join(root, 'import-text');
    const nzb = path.join(root, 'only.nzb');
    await writeGeneratedNzb(nzb, 600_000, 4);
    const run = startStrata('import-nzb', nzb, '--collection', 'Only', '--data', data);
    // Without --json and without a terminal nothing is drawn: wait for the import to be under way.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    run.child.kill('SIGINT');
    const stopped = await run.exited;
    expect(stopped.code === 130 || stopped.code === 0).toBe(true);
    if (stopped.code === 130) {
      expect(stopped.stdout).toContain('Stopped by Ctrl+C: the 0 NZBs imported before it are kept; the one being read was rolled back;');
      // Nothing was imported into the collection the command created: it is gone again.
      expect(lastJson((await strata('collections', '--data', data, '--json')).stdout).collections).toEqual([]);
    }
  }, 600_000);
});

describe('an index', () => {
  it('moves while it hashes and on Ctrl+C says the files indexed so far are kept', async () => {
    const data = path.join(root, 'index');
    const folder = path.join(root, 'big-folder');
    fs.mkdirSync(folder);
    // Sparse files: nothing on disk, but every byte is read and hashed.
    for (let i = 0; i < 60; i++) {
      const fd = fs.openSync(path.join(folder, `file-${i}.bin`), 'w');
      fs.ftruncateSync(fd, 64 * 1024 * 1024);
      fs.closeSync(fd);
    }
    const run = startStrata('index', folder, '--collection', 'Big', '--data', data, '--json');
    await run.waitForStderr((line) => progressIn('index')(line) && Number((JSON.parse(line) as { progress: { bytes_hashed: number } }).progress.bytes_hashed) > 0);
    run.child.kill('SIGINT');
    const stopped = await run.exited;
    const hashed = progressLines(stopped.stderr, 'index').map((p) => Number(p.bytes_hashed));
    expect(hashed.at(-1)).toBeGreaterThan(0);
    if (stopped.code === 0) return; // It finished before the signal arrived: nothing to stop.
    expect(lastJson(stopped.stdout).error).toMatchObject({
      code: 'cancelled',
      message: 'Indexing stopped by Ctrl+C; the files indexed so far are kept in "Big". Run the same command again to go on: it reads only what is not indexed yet or changed.',
    });
  }, 600_000);
});

describe('a backup', () => {
  it('draws its pages, and on Ctrl+C says that nothing took the name', async () => {
    const data = path.join(root, 'backup');
    expect((await strata('generate', '--segments', '300000', '--data', data, '--json')).code).toBe(0);
    const target = path.join(root, 'stopped.db');
    const run = startStrata('backup', target, '--data', data, '--json');
    await run.waitForStderr(progressIn('backup'));
    run.child.kill('SIGINT');
    const stopped = await run.exited;
    expect(progressLines(stopped.stderr, 'backup')[0]).toMatchObject({ total_pages: expect.any(Number) as unknown });
    if (stopped.code === 0) return; // It was done before the signal arrived.
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`strata: Backup stopped; nothing was written to ${target}. A partial copy beside it (.partial) is removed by the next backup.`);
    expect(fs.existsSync(target)).toBe(false);
  }, 600_000);
});
