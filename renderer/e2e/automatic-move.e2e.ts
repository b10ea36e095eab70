/**
 * A move the manager starts by itself, as a user meets it: the 1M-segment catalog on one file
 * with a day's history of fast growth (what the planner reads as a busy catalog that sharding
 * serves faster), simple moves left automatic (the default), and a host that waits 1.5 s
 * without a call instead of a minute. The user looks at the Database screen (which asks for the
 * plan); the move starts by itself and is announced on every screen with its bar and Cancel;
 * Cancel pauses it at its last checkpoint, the banner then offers resume or discard, and the
 * plans that keep coming do not start it again behind the user's back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ControlDb } from '../../electron/db/manager/control-db';
import { openApp, type App } from './harness';
import { goTo } from './import-helpers';

const HOUR_MS = 3_600_000;

/**
 * A size history that reads as about 1.5M segments a day: the catalog's history replaced by a
 * steady rise from empty 16 hours ago to its size now. (The generator's own samples, seconds
 * apart, weigh in too much: on a fresh checkout they read as under 1M a day.)
 */
function grewYesterday(dataDir: string): void {
  ControlDb.using(dataDir, (c) => {
    const now = Date.now();
    const last = c.sizeSamples(0).at(-1);
    if (!last) throw new Error('the generated catalog has no size sample');
    // Kept for 0 ms: this sample alone stays, the generator's history goes.
    c.addSizeSample({ ...last, at: now }, 0);
    for (const hoursAgo of [16, 12, 8, 4]) {
      const share = 1 - hoursAgo / 16;
      c.addSizeSample({ at: now - hoursAgo * HOUR_MS, segments: Math.round(last.segments * share), files: Math.round(last.files * share), dbBytes: Math.round(last.dbBytes * share) }, 30 * 24 * HOUR_MS);
    }
  });
}

async function progressValue(app: App): Promise<number> {
  const value = await app.page.getByRole('progressbar', { name: 'Move progress' }).getAttribute('aria-valuenow').catch(() => null);
  return value === null ? -1 : Number(value);
}

describe('an automatic move', () => {
  let app: App | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  it('starts by itself at a quiet moment, is announced with its progress on every screen, and stays paused when the user cancels it', async () => {
    app = await openApp({ catalog: 'million', moveQuietMs: 1_500, prepare: grewYesterday });
    const { page, api } = app;
    expect((await api['manager/status']({})).settings.simpleMoves).toBe('automatic');
    const before = await api['catalog/stats']({});

    // The user opens the Database screen, which asks for the plan: a simple move, allowed.
    await page.getByRole('navigation').getByText('Database', { exact: true }).click();
    await expect.poll(async () => (await api['manager/status']({})).recommendation, { timeout: 30_000 }).toMatchObject({ action: 'move', automatic: true, target: { engine: 'sharded' } });
    expect((await api['manager/status']({})).recommendation?.reasons.join(' ')).toMatch(/It grows by [\d,]+ segments a day/u);
    // A message bar is named by its title: the move, and that the manager started it.
    const banner = page.getByRole('group', { name: /^Move the catalog to sharded SQLite \(4 shards\) \(automatic\)$/u });
    await banner.waitFor({ timeout: 60_000 });
    await expect.poll(() => banner.textContent()).toMatch(/Copying|Preparing|Checking/u);

    // The banner follows the user to another screen, its bar moving forward.
    await goTo(page, 'Library');
    await banner.waitFor();
    const first = await progressValue(app);
    await expect.poll(() => progressValue(app!), { timeout: 30_000 }).toBeGreaterThan(first);
    await app.screenshot('automatic-move-banner-light');

    await banner.getByRole('button', { name: 'Cancel' }).click();
    const paused = page.getByText(/A move to sharded SQLite .*did not finish/u);
    await paused.waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByText('It is paused at its last checkpoint.', { exact: false }).count()).toBe(1);
    const status = await api['manager/status']({});
    expect(status.store.engine).toBe('sqlite');
    expect(status.interrupted).toMatchObject({ paused: true, to: { engine: 'sharded' } });
    expect(await api['catalog/stats']({})).toMatchObject({ files: before.files, segments: before.segments });

    // Longer than the quiet time, and a fresh plan that still recommends the move: nothing starts.
    await page.waitForTimeout(3_000);
    expect((await api['manager/plan']({})).recommendation).toMatchObject({ action: 'move', automatic: true });
    await page.waitForTimeout(3_000);
    expect((await api['manager/status']({})).activity).toBe('idle');
    expect(await banner.count()).toBe(0);
    await app.inBothThemes('automatic-move-paused');

    // The banner's button leads to the wizard, which offers the paused move.
    await page.getByRole('button', { name: 'Resume or discard…' }).click();
    await expect.poll(() => page.getByRole('button', { name: /Resume/u }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(app.pageErrors).toEqual([]);
  });
});
