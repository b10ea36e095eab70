/** Settings on the real host: theme, the host's data folder, the move policy, the portable server. */
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App } from './harness';
import { goTo, overflowsSideways } from './import-helpers';

describe('settings', () => {
  let app: App | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('shows the host\'s folder and server, forces a theme, and changes the move policy in the catalog', async () => {
    app = await openApp({ catalog: 'small' });
    const { page, api } = app;
    await goTo(page, 'Settings');
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await expect.poll(() => page.getByLabel('Data folder on the host').inputValue()).toBe(app.dataDir);
    await page.getByText('Not set up yet').waitFor();
    await app.screenshot('settings-light');
    await app.axe('settings-light');

    const background = (): Promise<string> => page.evaluate(() => getComputedStyle(document.querySelector('main') ?? document.body).color);
    const lightText = await background();
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expect.poll(background).not.toBe(lightText);
    await app.screenshot('settings-dark');
    await app.axe('settings-dark');

    expect((await api['manager/status']({})).settings.simpleMoves).toBe('automatic');
    await page.getByRole('switch', { name: 'Make simple moves by themselves' }).click();
    await expect.poll(async () => (await api['manager/status']({})).settings.simpleMoves).toBe('ask');
    await page.getByRole('switch', { name: 'Other programs or computers use this catalog' }).click();
    await expect.poll(async () => (await api['manager/status']({})).settings.sharedAccess).toBe(true);

    // Forced dark stays dark when the OS turns light; System follows it again.
    await app.setColorScheme('light');
    await expect.poll(background).not.toBe(lightText);
    await page.getByRole('radio', { name: 'System (follows Windows)' }).check();
    await expect.poll(background).toBe(lightText);
    expect(await overflowsSideways(page)).toBe(false);
    expect(app.pageErrors).toEqual([]);
  });
});
