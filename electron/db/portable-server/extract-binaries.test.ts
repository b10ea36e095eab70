/**
 * The packed archive on its way to a usable bin folder: the real archive that
 * `npm run pack:postgres` builds, real 7za extraction, and damaged copies of it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePacked } from '../../../scripts/postgres/pack';
import { expectCode } from '../conformance/expect-code';
import { extractBinaries, isExtracted, type ExtractionProgress } from './extract-binaries';
import { executable, portableLayout } from './layout';
import { currentPlatform, manifestPath, readManifest, sha256File, type PostgresManifest } from './manifest';
import { runTool } from './run-tool';
import { REPO_RESOURCES } from './test-server-setup';

const HELPER = path.join(import.meta.dirname, 'testing', 'extract-until-killed.ts');

let manifest: PostgresManifest;
let work: string;

beforeAll(async () => {
  await ensurePacked(REPO_RESOURCES);
  manifest = readManifest(REPO_RESOURCES);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-pg-extract-'));
}, 180_000);

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

const archiveOf = (resources: string): string => path.join(resources, manifest.archive);

/** A resources folder holding the real manifest and a copy of the archive to damage. */
function resourcesCopy(name: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  fs.copyFileSync(manifestPath(REPO_RESOURCES, manifest.platform), manifestPath(dir, manifest.platform));
  fs.copyFileSync(archiveOf(REPO_RESOURCES), archiveOf(dir));
  return dir;
}

describe('packed PostgreSQL archive', () => {
  it('has a manifest that matches the archive it sits next to', async () => {
    expect(manifest.platform).toBe(currentPlatform());
    expect(manifest.pgMajor).toBe(18);
    expect(manifest.pgVersion).toMatch(/^18\.\d+$/u);
    expect(manifest.files).toBeGreaterThan(500);
    expect(manifest.archiveBytes).toBe(fs.statSync(archiveOf(REPO_RESOURCES)).size);
    expect(await sha256File(archiveOf(REPO_RESOURCES))).toBe(manifest.sha256);
    // Only the server's runtime is packed, not the static libraries or the build kit.
    expect(manifest.unpackedBytes).toBeLessThan(80e6);
  });

  it('extracts with progress into a complete bin folder whose postgres runs', async () => {
    const binRoot = portableLayout(path.join(work, 'good'), manifest).binRoot;
    const events: ExtractionProgress[] = [];
    await extractBinaries(archiveOf(REPO_RESOURCES), manifest, binRoot, (e) => events.push(e));

    expect(events[0]?.phase).toBe('verify');
    const percents = events.filter((e) => e.phase === 'extract').map((e) => e.percent);
    expect(percents.at(-1)).toBe(100);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    expect(events.at(-1)?.files).toBe(manifest.files);
    expect(isExtracted(binRoot)).toBe(true);
    // Nothing of the temporary extraction folder is left beside it.
    expect(fs.readdirSync(path.dirname(binRoot)).filter((n) => n.startsWith('.extract-'))).toEqual([]);
    for (const link of manifest.links) expect(fs.existsSync(path.join(binRoot, link.path))).toBe(true);

    const version = await runTool(executable(binRoot, 'postgres'), ['--version'], null);
    expect(version.code).toBe(0);
    expect(version.output).toContain(`(PostgreSQL) ${manifest.pgVersion}`);
  });

  it('refuses an archive whose bytes were altered, before extracting anything', async () => {
    const resources = resourcesCopy('flipped');
    const archive = archiveOf(resources);
    const fd = fs.openSync(archive, 'r+');
    const middle = Math.floor(manifest.archiveBytes / 2);
    const byte = Buffer.alloc(1);
    fs.readSync(fd, byte, 0, 1, middle);
    byte[0] = (byte[0] ?? 0) ^ 0xff;
    fs.writeSync(fd, byte, 0, 1, middle);
    fs.closeSync(fd);

    const binRoot = portableLayout(path.join(work, 'flipped-data'), manifest).binRoot;
    const error = await expectCode(extractBinaries(archive, manifest, binRoot), 'pg-archive-invalid');
    expect(error.message).toMatch(/checksum does not match/u);
    expect(error.message).toMatch(/Reinstall Strata/u);
    expect(error.details).toMatchObject({ expected: manifest.sha256 });
    expect(fs.existsSync(binRoot)).toBe(false);
    expect(fs.readdirSync(path.dirname(binRoot))).toEqual([]);
  });

  it('refuses a truncated archive and a missing one', async () => {
    const resources = resourcesCopy('truncated');
    fs.truncateSync(archiveOf(resources), 1000);
    const binRoot = portableLayout(path.join(work, 'truncated-data'), manifest).binRoot;
    await expectCode(extractBinaries(archiveOf(resources), manifest, binRoot), 'pg-archive-invalid');
    fs.rmSync(archiveOf(resources));
    const missing = await expectCode(extractBinaries(archiveOf(resources), manifest, binRoot), 'pg-archive-invalid');
    expect(missing.message).toMatch(/missing/u);
  });

  it('says how to get the binaries when the manifest is missing or damaged', async () => {
    const empty = path.join(work, 'empty');
    fs.mkdirSync(empty);
    const missing = await expectCode(Promise.resolve().then(() => readManifest(empty)), 'pg-archive-invalid');
    expect(missing.message).toMatch(/npm run pack:postgres/u);
    fs.writeFileSync(manifestPath(empty, currentPlatform()), JSON.stringify({ ...manifest, links: [{ path: '../../etc/x', target: 'y' }] }));
    await expectCode(Promise.resolve().then(() => readManifest(empty)), 'pg-archive-invalid');
  });

  it('leaves no usable bin folder when the extraction is killed halfway, and the next one completes', async () => {
    const layout = portableLayout(path.join(work, 'killed-for-real'), manifest);
    // Its own process group, so that the kill takes 7za down with the helper, as a crash would.
    const child = spawn(process.execPath, ['--import', 'tsx', HELPER, REPO_RESOURCES, layout.binRoot], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let seen = '';
    const reached = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        const percents = [...seen.matchAll(/^extract (\d+)$/gmu)].map((m) => Number(m[1]));
        if (percents.some((p) => p >= 10 && p < 100)) resolve(seen);
        if (seen.includes('done')) reject(new Error('the extraction finished before it could be killed'));
      });
      child.on('error', reject);
    });
    process.kill(-(child.pid ?? 0), 'SIGKILL');
    await new Promise((r) => child.on('close', r));
    // The helper's stdio closing does not mean its 7za is gone: wait for the whole group.
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(-(child.pid ?? 0), 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(reached).toMatch(/^extract \d+$/mu);

    const parent = path.dirname(layout.binRoot);
    expect(fs.existsSync(layout.binRoot)).toBe(false);
    expect(isExtracted(layout.binRoot)).toBe(false);
    expect(fs.readdirSync(parent).filter((n) => n.startsWith('.extract-'))).toHaveLength(1);

    await extractBinaries(archiveOf(REPO_RESOURCES), manifest, layout.binRoot);
    expect(fs.readdirSync(parent)).toEqual([path.basename(layout.binRoot)]);
    expect(isExtracted(layout.binRoot)).toBe(true);
  });

  it('sweeps what a killed extraction left and never uses an unfinished bin folder', async () => {
    const layout = portableLayout(path.join(work, 'killed'), manifest);
    const parent = path.dirname(layout.binRoot);
    // What an extraction killed halfway leaves: its temporary folder, and (from an older
    // version of the layout, or a hand copy) a bin folder without the completion mark.
    fs.mkdirSync(path.join(parent, '.extract-abc123', 'bin'), { recursive: true });
    fs.mkdirSync(path.join(layout.binRoot, 'bin'), { recursive: true });
    fs.writeFileSync(executable(layout.binRoot, 'postgres'), 'half a file');
    expect(isExtracted(layout.binRoot)).toBe(false);

    await extractBinaries(archiveOf(REPO_RESOURCES), manifest, layout.binRoot);
    expect(fs.readdirSync(parent)).toEqual([path.basename(layout.binRoot)]);
    expect(fs.statSync(executable(layout.binRoot, 'postgres')).size).toBeGreaterThan(1e6);
  });
});
