/** An empty catalog greets the user with what to do first; the sample catalog opens as a job. */
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App } from './harness';
import { overflowsSideways } from './import-helpers';

describe('first run', () => {
  let app: App | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('greets an empty catalog in both themes, fits 1024x768, and opens a sample catalog', async () => {
    app = await openApp({ catalog: 'empty', viewport: { width: 1024, height: 768 } });
    const { page, api } = app;
    await page.getByRole('heading', { name: 'Welcome to Strata' }).waitFor();
    for (const name of ['Choose NZB files…', 'Import a folder of NZBs…', 'Index a folder…', 'Open a sample catalog']) {
      expect(await page.getByRole('button', { name }).isVisible()).toBe(true);
    }
    expect(await overflowsSideways(page)).toBe(false);
    await app.screenshot('first-run-light-1024');
    await app.axe('first-run-light-1024');
    await app.setColorScheme('dark');
    await app.screenshot('first-run-dark-1024');
    await app.axe('first-run-dark-1024');

    await page.getByRole('button', { name: 'Open a sample catalog' }).click();
    const job = page.getByRole('listitem', { name: /Open a sample catalog: (Running|Done)/u });
    await job.waitFor();
    await app.screenshot('first-run-sample-running-dark');
    await expect.poll(async () => (await api['collections/list']({})).map((c) => c.name), { timeout: 90_000 }).toEqual(['Sample catalog']);
    // The collection lists, and fills, while the job writes it (reads no longer wait for the
    // writes): its count grows to the whole sample.
    await expect.poll(async () => (await api['collections/list']({}))[0]?.segmentCount, { timeout: 90_000 }).toBe(100_000);
    // The welcome gives way once the catalog has a collection.
    await page.getByRole('heading', { name: 'Welcome to Strata' }).waitFor({ state: 'detached', timeout: 30_000 });
    expect(app.pageErrors).toEqual([]);
  });
});
