/**
 * The window as a whole, across screens: every screen reached through the navigation,
 * screenshotted and axe-checked in both themes, fitting 1024x768; what the page shows follows
 * changes made elsewhere; a restarted host is rejoined by itself; errors never show a stack.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from './harness';
import { firstFileRowsAt, horizontalOverflow, screenLabels, showScreen, slug } from './screens';

const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/nzb');
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

/** Text that only a stack trace or a source path puts on screen. */
const STACK = /\bat \S+ \(\S+:\d+:\d+\)|\bat \S+:\d+:\d+|node_modules|\.tsx?:\d+|\bTypeError\b|\bReferenceError\b/u;

/** A screen not built yet renders nothing inside its main region. */
async function isPlaceholder(app: App, label: string): Promise<boolean> {
  // The shell puts banners first and the screen last in the main region.
  return app.page.getByRole('main', { name: label }).evaluate((main) => (main.lastElementChild?.childElementCount ?? 0) === 0);
}

function status(app: App) {
  return app.page.getByRole('contentinfo', { name: 'Status' });
}

describe('every screen', () => {
  let app: App;
  let labels: string[];
  beforeAll(async () => {
    app = await openApp({ catalog: 'small' });
    labels = await screenLabels(app.page);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('has the six screens of the product in the navigation', () => {
    expect(labels).toEqual(expect.arrayContaining(['Library', 'Import', 'Jobs', 'Database', 'Upgrade database', 'Settings']));
  });

  it('is reached through the navigation, screenshotted at 1280x800 and 1920x1080 and axe-clean in light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await app.setColorScheme(scheme);
      for (const size of SIZES) {
        await app.page.setViewportSize(size);
        for (const label of labels) {
          await showScreen(app.page, label);
          const name = `screen-${slug(label)}-${scheme}-${size.width}x${size.height}`;
          await app.screenshot(name);
          // Structure and contrast do not change with the window's size: one axe run per theme.
          if (size.width === 1280) await app.axe(`screen-${slug(label)}-${scheme}`);
          await expect.poll(() => app.page.locator('body').innerText()).not.toMatch(STACK);
        }
      }
    }
    expect(app.pageErrors).toEqual([]);
  });

  it('fits a 1024x768 window on every screen without sideways scrolling', async () => {
    await app.setColorScheme('light');
    await app.page.setViewportSize({ width: 1024, height: 768 });
    const problems: string[] = [];
    for (const label of labels) {
      await showScreen(app.page, label);
      await app.screenshot(`screen-${slug(label)}-light-1024x768`);
      const o = await horizontalOverflow(app.page);
      if (o.document > 0) problems.push(`${label}: the page is ${o.document}px wider than the window`);
      for (const s of o.scrollers) problems.push(`${label}: scrolls sideways: ${s}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('the window', () => {
  let app: App | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('paints the library\'s first rows on the 1M-segment catalog', async (ctx) => {
    app = await openApp({ catalog: 'million', waitForReady: false });
    await app.page.getByRole('main', { name: 'Library' }).waitFor();
    const at = await firstFileRowsAt(app.page, 40_000);
    if (at === null && (await isPlaceholder(app, 'Library'))) ctx.skip('the library screen is still a placeholder on this branch');
    // The 1 s target is measured by `npm run bench -- ui`; here the rows must come at all on a
    // machine shared with others (20 s was seen at a load average of 40 on 2 cores).
    expect(at).not.toBeNull();
    expect(at!).toBeLessThan(30_000);
    process.stderr.write(`e2e: library first rows on the 1M catalog at ${Math.round(at!)} ms\n`);
    await app.screenshot('library-million-light');
    await app.axe('library-million-light');
  });

  it('shows a collection created by another client without a reload', async (ctx) => {
    app = await openApp({ catalog: 'small' });
    await showScreen(app.page, 'Library');
    if (await isPlaceholder(app, 'Library')) ctx.skip('the library screen is still a placeholder on this branch');
    await app.api['collections/create']({ name: 'Made elsewhere', source: 'nzb' });
    await app.page.getByText('Made elsewhere').first().waitFor({ timeout: 15_000 });
  });

  it('shows the new tier in the status bar when another client moves the catalog to tier 2', async () => {
    app = await openApp({ catalog: 'small' });
    await expect.poll(() => status(app!).textContent()).toContain('Tier 1');
    const moved = await app.api['migration/start']({ to: 'sharded' });
    expect(moved.to.engine).toBe('sharded');
    await expect.poll(() => status(app!).textContent(), { timeout: 30_000 }).toContain('Tier 2');
    await app.screenshot('shell-after-move-elsewhere');
  });

  it('shows the reconnecting banner while the host restarts, then recovers by itself and reads what changed meanwhile', async () => {
    app = await openApp({ catalog: 'small' });
    const { page } = app;
    const before = await app.api['catalog/stats']({});
    await expect.poll(() => status(app!).textContent()).toContain(`${before.files.toLocaleString('en-US')} files`);
    let bannerSeen = false;
    await app.restartHost({
      whileStopped: async () => {
        await page.getByText('Reconnecting to the catalog').waitFor({ timeout: 15_000 });
        bannerSeen = true;
        await app!.screenshot('shell-reconnecting');
        await app!.axe('shell-reconnecting');
        // A change made while the page could not hear about it: only a fresh read shows it.
        await app!.cli('import-nzb', path.join(FIXTURES, 'nzbget', 'plain.nzb'), '--collection', 'While away');
      },
    });
    expect(bannerSeen).toBe(true);
    const after = await app.api['catalog/stats']({});
    expect(after.files).toBeGreaterThan(before.files);
    await page.getByText('Reconnecting to the catalog').waitFor({ state: 'hidden', timeout: 30_000 });
    await expect.poll(() => status(app!).textContent(), { timeout: 30_000 }).toContain(`${after.files.toLocaleString('en-US')} files`);
    await expect.poll(() => status(app!).textContent()).toContain('Connected');
    expect(app.pageErrors).toEqual([]);
  });

  it('shows a failed call through the one error presentation, with no stack on screen', async (ctx) => {
    app = await openApp({ catalog: 'small' });
    const { page } = app;
    await page.keyboard.press('Control+K');
    const dialog = page.getByRole('dialog');
    const opened = await dialog.waitFor({ timeout: 20_000 }).then(
      () => true,
      () => false,
    );
    if (!opened) ctx.skip('the search dialog is still a placeholder on this branch');
    // Only an exclusion: nothing to search for, an invalid-argument answer from the host.
    await page.keyboard.type('-flac');
    const alert = dialog.getByRole('alert').or(dialog.getByRole('status')).first();
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.innerText()).not.toMatch(STACK);
    expect(await page.locator('body').innerText()).not.toMatch(STACK);
    await app.screenshot('shell-error-presentation');
    await app.axe('shell-error-presentation');
  });

  it('says what to do when opened without the token, with no stack', async () => {
    app = await openApp({ catalog: 'empty', waitForReady: false });
    const { page } = app;
    await page.goto(app.url.replace(/#.*$/u, ''));
    await page.getByText('strata serve').first().waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(STACK);
    await app.screenshot('shell-no-token');
    await app.axe('shell-no-token');
  });
});
