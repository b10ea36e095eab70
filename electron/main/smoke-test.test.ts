/**
 * The smoke test's steps against a real database manager on a real data folder (through the
 * handler map, as main reaches the database process), with the fixture NZB the app bundles:
 * every step passes and the moves keep the counts; a step that fails stops the run, is named
 * in the report and gives its exit code. The argument parsing is a pure function.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../db/conformance/test-engines';
import { handlerClient, type HandlerClient } from '../db/ipc/testing/handler-client';
import { DatabaseManager } from '../db/manager/database-manager';
import { runSmokeTest, smokeExitCode, smokePaths, smokeTestDir, writeSmokeNzb } from './smoke-test';

const FIXTURE = path.resolve(process.cwd(), '../shared/fixtures/nzb/nzbget/plain.nzb');

describe('the smoke-test argument', () => {
  it('reads --smoke-test <dir> and --smoke-test=<dir>, relative to the working folder', () => {
    expect(smokeTestDir(['Strata.exe', '--smoke-test', 'C:\\tmp\\smoke'], '/w')).toBe(path.resolve('/w', 'C:\\tmp\\smoke'));
    expect(smokeTestDir(['Strata', '--smoke-test=out/smoke'], '/w')).toBe('/w/out/smoke');
    expect(smokeTestDir(['Strata', 'film.nzb'], '/w')).toBeNull();
    expect(() => smokeTestDir(['Strata', '--smoke-test'], '/w')).toThrow(/needs a folder/u);
    expect(() => smokeTestDir(['Strata', '--smoke-test', '--verbose'], '/w')).toThrow(/needs a folder/u);
    expect(smokePaths('/w/s')).toEqual({ dataDir: '/w/s/data', report: '/w/s/smoke-report.json' });
  });
});

describe('the smoke-test steps', () => {
  let dir: string;
  let manager: DatabaseManager;
  let connection: HandlerClient;
  beforeEach(async () => {
    dir = makeTempDir('smoke');
    manager = await DatabaseManager.open(path.join(dir, 'data'), { autoMoves: false, planEveryMs: 0 });
    connection = handlerClient(manager);
  });
  afterEach(async () => {
    connection.close();
    await manager.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports the NZB it writes itself and moves the catalog to sharded SQLite and PGlite with the same counts', async () => {
    const report = await runSmokeTest(connection.client, writeSmokeNzb(dir, Date.now()), () => Promise.resolve());
    expect(report.steps.map((s) => [s.step, s.ok])).toEqual([
      ['library shown', true],
      ['import', true],
      ['move to sharded', true],
      ['move to pglite', true],
    ]);
    expect(report).toMatchObject({ ok: true, failedStep: null });
    expect(smokeExitCode(report)).toBe(0);
    expect(report.steps[3]!.detail).toBe('pglite: 3 files, 60 segments');
    expect((await connection.client.call('catalog/stats', {})).engine).toBe('pglite');
  }, 240_000);

  it('stops at the first failing step and names it, with its exit code', async () => {
    const missing = await runSmokeTest(connection.client, path.join(dir, 'absent.nzb'), () => Promise.resolve());
    expect(missing).toMatchObject({ ok: false, failedStep: 'import' });
    expect(missing.steps).toHaveLength(2);
    expect(missing.steps[1]!.detail).toMatch(/absent\.nzb/u);
    expect(smokeExitCode(missing)).toBe(11);
    // Nothing moved after the failure.
    expect((await connection.client.call('catalog/stats', {})).engine).toBe('sqlite');

    const blank = await runSmokeTest(connection.client, FIXTURE, () => Promise.reject(new Error('the window showed no library within 60 s')));
    expect(blank).toMatchObject({ ok: false, failedStep: 'library shown' });
    expect(blank.steps).toEqual([expect.objectContaining({ step: 'library shown', ok: false, detail: 'the window showed no library within 60 s' })]);
    expect(smokeExitCode(blank)).toBe(10);
  });
});
