/** The window as a whole: it opens on a real catalog, in both themes, and is accessible. */
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App } from './harness';

describe('the app shell', () => {
  let app: App | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('opens on the small catalog with the tier and the counts the host reports', async () => {
    app = await openApp({ catalog: 'small' });
    const stats = await app.api['catalog/stats']({});
    expect(stats.segments).toBe(50_000);
    const status = app.page.getByRole('contentinfo', { name: 'Status' });
    await expect.poll(() => status.textContent()).toContain(`Tier ${stats.tier}`);
    await expect.poll(() => status.textContent()).toContain(`${stats.files.toLocaleString('en-US')} files`);
    await app.screenshot('shell-small-light');
    await app.axe('shell-small-light');
    expect(app.pageErrors).toEqual([]);
  });
});
