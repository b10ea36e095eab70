/**
 * The upgrade wizard against the real host: a move of the 1M-segment catalog with its bars
 * advancing while the library stays readable and writes are refused as busy; then on the small
 * catalog a move, a roll back and the removal of the previous store through the screens.
 */
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App } from './harness';

async function openWizard(page: Page): Promise<void> {
  await page.getByRole('navigation').getByText('Upgrade database', { exact: true }).click();
  await expect.poll(() => page.getByRole('radiogroup', { name: 'Where the catalog should live' }).count()).toBe(1);
}

async function chooseAndStart(app: App, option: string, prefix: string): Promise<void> {
  const { page } = app;
  await page.getByRole('radio', { name: new RegExp(option, 'u') }).check();
  await app.screenshot(`${prefix}-choose`);
  await app.axe(`${prefix}-choose`);
  await page.getByRole('button', { name: 'Next: check space and time' }).click();
  await expect.poll(() => page.getByText('It fits.', { exact: false }).count(), { timeout: 30_000 }).toBe(1);
  await app.screenshot(`${prefix}-preflight`);
  await app.axe(`${prefix}-preflight`);
  await page.getByRole('button', { name: 'Next: confirm' }).click();
  await app.screenshot(`${prefix}-confirm`);
  await app.axe(`${prefix}-confirm`);
  await page.getByRole('button', { name: 'Start the move' }).click();
}

const overall = async (page: Page): Promise<number> => Number((await page.getByRole('progressbar', { name: /^Overall/u }).getAttribute('aria-valuenow')) ?? 0);

describe('the upgrade wizard', () => {
  let app: App | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('moves 1M segments to sharded SQLite with the bars advancing, the library readable and writes refused as busy', async () => {
    app = await openApp({ catalog: 'million' });
    const { page, api } = app;
    await openWizard(page);
    await chooseAndStart(app, 'Sharded SQLite', 'wizard-sharded');
    await expect.poll(() => page.getByRole('progressbar', { name: /^Overall/u }).count(), { timeout: 30_000 }).toBe(1);
    // Samples of the overall bar while it copies: it must move forward.
    const samples: number[] = [];
    // The preflight (counting 1M rows on a loaded machine) can hold the bar at 0 for a while.
    for (let i = 0; i < 45 && !(samples.filter((v) => v > 0.02).length >= 2 && samples.at(-1)! > samples.find((v) => v > 0.02)!); i++) {
      samples.push(await overall(page));
      await page.waitForTimeout(2_000);
    }
    await app.screenshot('wizard-progress-light');
    await app.axe('wizard-progress-light');
    expect(Math.max(...samples)).toBeGreaterThan(samples[0]!);

    // Reading works during the move; a write is refused with the manager's busy message.
    const collections = await api['collections/list']({});
    const page1 = await api['files/list']({ collectionId: collections[0]!.id, limit: 100 });
    expect(page1.items.length).toBeGreaterThan(0);
    const status = await api['manager/status']({});
    if (status.activity === 'moving') {
      const refused = await api['collections/create']({ name: 'During the move', source: 'nzb' }).then(
        () => null,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(refused?.code).toBe('busy');
      expect(refused?.message).toMatch(/moving to sharded/u);
      await page.getByRole('navigation').getByText('Library', { exact: true }).click();
      await expect.poll(() => page.getByText('Browsing works; changes wait until it ends.', { exact: false }).count()).toBe(1);
      await app.screenshot('wizard-banner-library-light');
      await page.getByRole('navigation').getByText('Upgrade database', { exact: true }).click();
    }

    await expect.poll(() => page.getByText('The move is done').count(), { timeout: 170_000, interval: 2_000 }).toBe(1);
    await app.setColorScheme('dark');
    await app.screenshot('wizard-result-dark');
    await app.axe('wizard-result-dark');
    expect(await page.getByRole('table', { name: 'Verification per table' }).getByRole('row').count()).toBeGreaterThan(5);
    expect((await api['manager/status']({})).store.engine).toBe('sharded');
    expect(app.pageErrors).toEqual([]);
  }, 300_000);

  it('rolls back and removes the previous store from the screens', async () => {
    app = await openApp({ catalog: 'small', colorScheme: 'dark' });
    const { page, api } = app;
    await openWizard(page);
    await chooseAndStart(app, 'Sharded SQLite', 'wizard-small-dark');
    await expect.poll(() => page.getByText('The move is done').count(), { timeout: 120_000, interval: 1_000 }).toBe(1);
    await page.getByRole('button', { name: /^Roll back to/u }).click();
    await expect.poll(async () => (await api['manager/status']({})).store.engine, { timeout: 30_000 }).toBe('sqlite');
    await page.getByRole('button', { name: 'Done' }).click();
    // Now the sharded copy is the previous store: remove it, after the confirmation says what it frees.
    const before = await api['manager/status']({});
    expect(before.previous?.engine).toBe('sharded');
    await page.getByRole('button', { name: /^Remove the previous store/u }).click();
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain('you can no longer roll back');
    await app.screenshot('wizard-remove-previous-dark');
    await app.axe('wizard-remove-previous-dark');
    await page.getByRole('button', { name: 'Remove it' }).click();
    await expect.poll(async () => (await api['manager/status']({})).previous, { timeout: 30_000 }).toBeNull();
    await app.setColorScheme('light');
    await app.screenshot('wizard-after-removal-light');
    await app.axe('wizard-after-removal-light');
    expect(app.pageErrors).toEqual([]);
  }, 240_000);
});
