/** The database dashboard on a real catalog: figures from the host, sizes per table, a check run as a job, both themes. */
import { afterEach, describe, expect, it } from 'vitest';
import { openApp, type App } from './harness';

describe('the database dashboard', () => {
  let app: App | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('shows the tier, the counts and the sizes the host reports, checks integrity as a job, in light and dark', async () => {
    app = await openApp({ catalog: 'small' });
    const { page } = app;
    const stats = await app.api['catalog/stats']({ detailed: true });
    await page.getByRole('navigation').getByText('Database', { exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Database', level: 1 }).count()).toBe(1);
    const figures = page.getByRole('list', { name: 'Catalog figures' }).or(page.locator('dl[aria-label="Catalog figures"]'));
    await expect.poll(() => figures.textContent()).toContain(stats.segments.toLocaleString('en-US'));
    await expect.poll(() => page.getByRole('main').getByText(`Tier ${stats.tier} · one SQLite file`, { exact: false }).count()).toBe(1);
    // One meter per table the host measured.
    await expect.poll(() => page.getByRole('meter').count()).toBe(stats.tables!.length);
    await app.screenshot('dashboard-light');
    await app.axe('dashboard-light');

    await page.getByRole('button', { name: 'Check integrity' }).click();
    await expect.poll(() => page.getByText('No problem found').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await app.setColorScheme('dark');
    await app.screenshot('dashboard-checked-dark');
    await app.axe('dashboard-checked-dark');
    // The check is a job, listed on the Jobs screen with its report.
    await page.getByRole('navigation').getByText('Jobs', { exact: true }).click();
    await expect.poll(() => page.getByText('Check the catalog').count()).toBeGreaterThan(0);
    expect(app.pageErrors).toEqual([]);
  });
});
