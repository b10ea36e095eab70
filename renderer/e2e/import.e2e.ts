/**
 * Import in a browser on the real host: real NZB files from other projects' test suites dropped
 * on the window and chosen with the file picker (their bytes uploaded in chunks, then imported
 * by the same importer), the job's report in the importer's words, and a cancelled job.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeGeneratedNzb } from '../../scripts/generate/nzb-file-generator';
import { openApp, type App } from './harness';
import { FIXTURES, dropFiles, goTo, overflowsSideways } from './import-helpers';

describe('import', () => {
  let app: App | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('imports a real NZB dropped on the window, into the collection chosen after the drop', async () => {
    app = await openApp({ catalog: 'small' });
    const { page, api } = app;
    const before = await api['catalog/stats']({});
    await goTo(page, 'Import');
    // The picture is of the ready screen: the buttons enable once the collections have loaded.
    await expect.poll(() => page.getByRole('button', { name: 'Choose NZB files…' }).isEnabled()).toBe(true);
    await app.screenshot('import-light');
    await app.axe('import-light');
    await dropFiles(page, [path.join(FIXTURES, 'nzbget', 'plain.nzb'), path.join(FIXTURES, 'nzbget', 'plain.txt')]);
    const dialog = page.getByRole('dialog', { name: 'Import 1 NZB file' });
    await dialog.waitFor();
    // The text file is reported, not sent; the only NZB collection is offered first.
    await expect.poll(() => dialog.textContent()).toContain('not an NZB and was left out: plain.txt');
    await expect.poll(() => dialog.getByRole('combobox').textContent()).toContain('Usenet archive');
    await app.screenshot('import-drop-dialog-light');
    await app.axe('import-drop-dialog-light');
    await dialog.getByRole('button', { name: 'Import' }).click();
    const job = page.getByRole('listitem', { name: /Upload and import plain\.nzb into “Usenet archive”: Done/u });
    await job.waitFor({ timeout: 60_000 });
    await expect.poll(() => job.textContent()).toContain('1 NZB imported');
    await expect.poll(() => job.textContent()).toContain('plain.txt: not sent');
    const after = await api['catalog/stats']({});
    expect(after.files).toBe(before.files + 3);
    expect(after.segments).toBe(before.segments + 3);
    // The status bar follows the import without a reload.
    await expect.poll(() => page.getByRole('contentinfo', { name: 'Status' }).textContent()).toContain(`${after.files.toLocaleString('en-US')} files`);
    await app.screenshot('import-report-light');
    await app.axe('import-report-light');
    expect(app.pageErrors).toEqual([]);
  });

  it('imports with the file picker and reports what failed in the importer\'s own words', async () => {
    app = await openApp({ catalog: 'small', colorScheme: 'dark' });
    const { page } = app;
    await goTo(page, 'Import');
    await page.getByRole('button', { name: 'Choose NZB files…' }).waitFor();
    await page
      .locator('input[aria-label="NZB files to import"]')
      .setInputFiles([path.join(FIXTURES, 'ravencentric', 'valid_nzb_with_one_missing_segment.nzb'), path.join(FIXTURES, 'ravencentric', 'malformed_files.nzb'), path.join(FIXTURES, 'sonarr', 'NoFiles.nzb')]);
    const job = page.getByRole('listitem', { name: /Upload and import 3 NZBs into “Usenet archive”: Done/u });
    await job.waitFor({ timeout: 60_000 });
    const text = (await job.textContent()) ?? '';
    expect(text).toContain('1 NZB imported, 2 failed');
    expect(text).toMatch(/valid_nzb_with_one_missing_segment\.nzb: 5 files, 34 segments/u);
    expect(text).toContain('1 missing segment');
    // Failures carry the importer's message, not a generic one.
    const imported = await app.api['collections/list']({});
    expect(imported.find((c) => c.name === 'Usenet archive')?.folderCount).toBeGreaterThan(0);
    expect(text).toMatch(/malformed_files\.nzb: not imported.*contains no files with segments/su);
    await app.screenshot('import-picker-report-dark');
    await app.axe('import-picker-report-dark');
    await goTo(page, 'Jobs');
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await app.screenshot('jobs-dark');
    await app.axe('jobs-dark');
    await page.getByRole('button', { name: 'Clear finished' }).click();
    await page.getByText('No jobs yet').waitFor();
    await app.screenshot('jobs-empty-dark');
    await app.axe('jobs-empty-dark');
    expect(await overflowsSideways(page)).toBe(false);
    expect(app.pageErrors).toEqual([]);
  });

  it('indexes only where the host may read, and shows the host\'s refusal in its own words', async () => {
    app = await openApp({ catalog: 'small', colorScheme: 'dark' });
    const { page } = app;
    await goTo(page, 'Import');
    await page.getByRole('button', { name: 'Index a folder…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Index a folder' });
    await dialog.getByText('started without folders to read').waitFor();
    await dialog.getByRole('textbox', { name: /Folder on the host/u }).fill('/etc');
    await expect.poll(() => dialog.getByRole('textbox', { name: 'Name of the new collection' }).inputValue()).toBe('etc');
    await app.screenshot('import-index-dialog-dark');
    await app.axe('import-index-dialog-dark');
    await dialog.getByRole('button', { name: 'Index', exact: true }).click();
    const job = page.getByRole('listitem', { name: /Index \/etc into “etc”: Failed/u });
    await job.waitFor({ timeout: 30_000 });
    await expect.poll(() => job.textContent()).toContain('is outside the folders this host may read');
    await app.screenshot('import-index-refused-dark');
    await app.axe('import-index-refused-dark');
  });

  it('cancels an upload and import part way, keeping nothing of it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-nzb-'));
    try {
      const big = path.join(dir, 'Big Release.nzb');
      await writeGeneratedNzb(big, 400_000, 12);
      app = await openApp({ catalog: 'small', viewport: { width: 1024, height: 768 } });
      const { page, api } = app;
      const before = await api['catalog/stats']({});
      await goTo(page, 'Import');
      await page.locator('input[aria-label="NZB files to import"]').setInputFiles([big]);
      const running = page.getByRole('listitem', { name: /Upload and import Big Release\.nzb into “Usenet archive”: Running/u });
      await running.waitFor();
      await expect.poll(() => running.getByRole('progressbar').getAttribute('aria-valuenow'), { timeout: 30_000 }).not.toBeNull();
      await app.screenshot('import-running-1024');
      await app.axe('import-running-1024');
      await running.getByRole('button', { name: /^Cancel/u }).click();
      await page.getByRole('listitem', { name: /Big Release\.nzb.*: Cancelled/u }).waitFor({ timeout: 30_000 });
      expect(await api['catalog/stats']({})).toMatchObject({ files: before.files, segments: before.segments });
      expect(await overflowsSideways(page)).toBe(false);
      await app.screenshot('import-cancelled-1024');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
