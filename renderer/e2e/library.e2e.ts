/**
 * The library on the 1M-segment catalog: browse and scroll to the end, sort, filter, open a
 * file and its segments, keyboard navigation, multi-select, the context menu, delete with a
 * confirm. Every state is screenshotted and axe-checked in light and dark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collection } from '../../shared/domain';
import { openApp, type App } from './harness';

describe('the library', () => {
  let app: App;
  let archive: Collection;

  beforeAll(async () => {
    app = await openApp({ catalog: 'million' });
    const collections = await app.api['collections/list']({});
    archive = collections.find((c) => c.name === 'Usenet archive') ?? (collections[0] as Collection);
  });
  afterAll(async () => {
    await app?.close();
  });

  const grid = () => app.page.getByRole('grid', { name: /^Files in/u });
  const dataRows = () => grid().locator('[role="row"][aria-rowindex]:not([aria-rowindex="1"])');
  /** Screenshot and axe of the current state in both themes. */
  const both = (name: string): Promise<void> => app.inBothThemes(name);

  it('opens on the first collection with the whole list behind the scrollbar', async () => {
    await app.page.getByText(`${archive.fileCount.toLocaleString('en-US')} files ·`).first().click();
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe(String(archive.fileCount + 1));
    const first = await app.api['files/list']({ collectionId: archive.id, sort: 'name', limit: 1 });
    await expect.poll(() => dataRows().first().textContent()).toContain(first.items[0]?.name);
    // Only what is on screen is in the DOM, not the whole list.
    expect(await dataRows().count()).toBeLessThan(80);
    await both('library-browse');
  });

  it('jumps to the end with End and shows the last file, read from the tail', async () => {
    await grid().focus();
    await app.page.keyboard.press('End');
    const last = await app.api['files/list']({ collectionId: archive.id, sort: 'name', direction: 'desc', limit: 1 });
    const lastRow = grid().locator(`[aria-rowindex="${archive.fileCount + 1}"]`);
    await expect.poll(() => lastRow.textContent(), { timeout: 10_000 }).toContain(last.items[0]?.name);
    expect(await lastRow.getAttribute('aria-selected')).toBe('true');
    await app.screenshot('library-end-light');
    await app.page.keyboard.press('Home');
    await expect.poll(() => grid().locator('[aria-rowindex="2"]').getAttribute('aria-selected')).toBe('true');
  });

  it('scrolls to the middle by the scrollbar and fills the rows there', async () => {
    const scroller = grid().locator('[role="rowgroup"]').locator('..');
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight * 0.8 }));
    await expect
      .poll(async () => (await dataRows().evaluateAll((rows) => rows.filter((r) => r.getAttribute('aria-busy') === 'true').length)), { timeout: 30_000 })
      .toBe(0);
    const index = Number(await dataRows().first().getAttribute('aria-rowindex')) - 2;
    expect(index).toBeGreaterThan(archive.fileCount * 0.7);
    await app.screenshot('library-scrolled-light');
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
  });

  it('sorts by size (largest first, then smallest) and by segments', async () => {
    await app.page.getByRole('columnheader', { name: 'Size' }).getByRole('button').click();
    const largest = await app.api['files/list']({ collectionId: archive.id, sort: 'size', direction: 'desc', limit: 1 });
    await expect.poll(() => dataRows().first().textContent()).toContain(largest.items[0]?.name);
    expect(await app.page.getByRole('columnheader', { name: 'Size' }).getAttribute('aria-sort')).toBe('descending');
    await app.page.getByRole('columnheader', { name: 'Size' }).getByRole('button').click();
    const smallest = await app.api['files/list']({ collectionId: archive.id, sort: 'size', direction: 'asc', limit: 1 });
    await expect.poll(() => dataRows().first().textContent()).toContain(smallest.items[0]?.name);
    await app.page.getByRole('columnheader', { name: 'Segments' }).getByRole('button').click();
    const most = await app.api['files/list']({ collectionId: archive.id, sort: 'segments', direction: 'desc', limit: 1 });
    await expect.poll(() => dataRows().first().textContent()).toContain(most.items[0]?.name);
    await both('library-sorted');
    await app.page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
  });

  it('filters by state', async () => {
    let shot = false;
    for (const state of ['missing', 'partial', 'uploaded'] as const) {
      const page = await app.api['files/list']({ collectionId: archive.id, state, sort: 'name', limit: 1 });
      const expected = page.items[0];
      if (!expected) continue;
      await app.page.getByRole('combobox', { name: 'Show files in state' }).click();
      await app.page.getByRole('option', { name: state.charAt(0).toUpperCase() + state.slice(1) }).click();
      await expect.poll(() => dataRows().first().textContent()).toContain(expected.name);
      const states = await dataRows().evaluateAll((rows) => rows.slice(0, 10).map((r) => r.querySelector('[role="gridcell"]:nth-child(4)')?.textContent ?? ''));
      for (const s of states) if (s) expect(s.toLowerCase()).toBe(state);
      if (!shot) await both('library-filtered');
      shot = true;
    }
    await app.page.getByRole('combobox', { name: 'Show files in state' }).click();
    await app.page.getByRole('option', { name: 'All states' }).click();
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe(String(archive.fileCount + 1));
  });

  it('moves with the arrows and opens a file with Enter, its details and segments', async () => {
    await grid().focus();
    await app.page.keyboard.press('Home');
    await app.page.keyboard.press('ArrowDown');
    await app.page.keyboard.press('ArrowDown');
    const third = grid().locator('[aria-rowindex="4"]');
    await expect.poll(() => third.getAttribute('aria-selected')).toBe('true');
    expect(await grid().getAttribute('aria-activedescendant')).toBe(await third.getAttribute('id'));
    await app.page.keyboard.press('PageDown');
    await app.page.keyboard.press('PageUp');
    await expect.poll(() => third.getAttribute('aria-selected')).toBe('true');
    const name = (await third.locator('[role="gridcell"]').first().textContent()) ?? '';
    await app.page.keyboard.press('Enter');
    const panel = app.page.getByRole('region', { name: `File ${name}` });
    await panel.waitFor();
    const file = (await app.api['files/list']({ collectionId: archive.id, sort: 'name', limit: 3 })).items[2];
    expect(file?.name).toBe(name);
    const segments = panel.getByRole('grid', { name: 'Segments' });
    await expect.poll(() => segments.getAttribute('aria-rowcount')).toBe(String((file?.segmentCount ?? 0) + 1));
    const firstSegment = (await app.api['files/segments']({ fileId: file?.id ?? 0, limit: 1 }))[0];
    if (firstSegment?.messageId) await expect.poll(() => segments.textContent()).toContain(firstSegment.messageId.slice(0, 12));
    await both('library-file-panel');
  });

  it('selects with click, Shift+click, Ctrl+click and Ctrl+A', async () => {
    await app.page.getByRole('button', { name: 'Close the file panel' }).click();
    await dataRows().nth(0).click();
    await dataRows().nth(3).click({ modifiers: ['Shift'] });
    await expect.poll(() => app.page.getByText('4 selected').count()).toBe(1);
    await dataRows().nth(1).click({ modifiers: ['Control'] });
    await expect.poll(() => app.page.getByText('3 selected').count()).toBe(1);
    expect(await dataRows().nth(1).getAttribute('aria-selected')).toBe('false');
    await grid().focus();
    await app.page.keyboard.press('Control+a');
    await expect.poll(() => app.page.getByText(`${archive.fileCount.toLocaleString('en-US')} selected`).count()).toBe(1);
    await both('library-multi-select');
    await dataRows().nth(0).click();
  });

  it('offers open, export, copy and delete in the context menu', async () => {
    await dataRows().nth(1).click({ button: 'right' });
    const menu = app.page.getByRole('menu');
    await menu.waitFor();
    for (const item of ['Open', 'Export NZB', 'Copy message-ids', 'Delete…']) await expect.poll(() => menu.getByRole('menuitem', { name: item }).count()).toBe(1);
    await both('library-context-menu');
    await menu.getByRole('menuitem', { name: 'Open' }).click();
    await app.page.getByRole('region', { name: /^File / }).waitFor();
  });

  // The confirm must stay in the accessibility tree until it is answered: it once opened with
  // every button disabled (while it read the selection), so focus landed on its surface, the
  // focus manager never made it the active modal and hid it (aria-hidden) under the pointer.
  it('deletes the selection after a confirm that names it', async () => {
    await app.page.getByRole('button', { name: 'Close the file panel' }).click();
    const page = await app.api['files/list']({ collectionId: archive.id, sort: 'name', limit: 2 });
    const victim = page.items[1];
    if (!victim) throw new Error('the catalog has fewer than two files');
    await dataRows().nth(1).click();
    await grid().focus();
    await app.page.keyboard.press('Delete');
    const dialog = app.page.getByRole('alertdialog');
    await expect.poll(() => dialog.textContent()).toContain(victim.name);
    await expect.poll(() => dialog.textContent()).toContain(`${victim.segmentCount.toLocaleString('en-US')} segments`);
    // Focus starts inside the dialog, on the safe answer.
    await expect.poll(() => app.page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await both('library-delete-confirm');
    await expect.poll(() => dialog.count()).toBe(1);
    await dialog.getByRole('button', { name: 'Delete file' }).click();
    await expect.poll(() => grid().getAttribute('aria-rowcount'), { timeout: 15_000 }).toBe(String(archive.fileCount));
    await expect(app.api['files/get']({ fileId: victim.id })).rejects.toMatchObject({ code: 'not-found' });
    await expect.poll(() => dataRows().nth(1).textContent()).not.toContain(victim.name);
    expect(app.pageErrors).toEqual([]);
  });

  it('opens a folder from the tree, lazily, with its own files', async () => {
    const top = await app.api['folders/list']({ collectionId: archive.id });
    const folder = top.items[0];
    if (!folder) throw new Error('the collection has no folders');
    const tree = app.page.getByRole('tree', { name: 'Collections and folders' });
    await tree.getByText(folder.name, { exact: true }).first().click();
    await expect.poll(() => app.page.getByRole('heading', { name: folder.name }).count()).toBeGreaterThan(0);
    await both('library-folder');
  });
});
