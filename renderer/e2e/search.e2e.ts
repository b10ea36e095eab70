/**
 * Search from anywhere on the 1M-segment catalog: Ctrl+K opens it, results come as the user
 * types with the words marked, the state filter narrows them, arrows move, Enter opens the file
 * in the library; Ctrl+F does the same from another screen. Screenshots and axe in both themes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Folder, Page } from '../../shared/domain';
import { openApp, type App } from './harness';

describe('search', () => {
  let app: App;
  beforeAll(async () => {
    app = await openApp({ catalog: 'million' });
  });
  afterAll(async () => {
    await app?.close();
  });

  const both = (name: string): Promise<void> => app.inBothThemes(name);
  // Screenshots and axe in two themes take a minute or more when the machine is loaded.

  it('answers as the user types, marks the words, and opens a hit with Enter', async () => {
    const sample = (await app.api['files/list']({ collectionId: 1, sort: 'name', limit: 50 })).items.find((f) => /[a-z]{4,}/iu.test(f.name));
    const word = sample?.name.match(/[A-Za-z]{4,}/u)?.[0];
    if (!word) throw new Error('no file name with a word to search for');
    const expected = await app.api['search/query']({ query: word, limit: 50 });
    expect(expected.hits.length).toBeGreaterThan(0);

    await app.page.keyboard.press('Control+K');
    const box = app.page.getByRole('combobox', { name: 'Search the catalog' });
    await box.waitFor();
    await app.screenshot('search-empty-light');
    // Typed one key at a time: each keystroke is a newer query; only the last one's answer shows.
    await box.pressSequentially(word, { delay: 30 });
    const results = app.page.getByRole('listbox', { name: 'Results' });
    await expect.poll(() => results.getByRole('option').count(), { timeout: 10_000 }).toBe(expected.hits.length);
    await expect.poll(() => results.getByRole('option').first().textContent()).toContain(expected.hits[0]?.file.name);
    const marked = await results.locator('mark').first().textContent();
    expect(marked?.toLowerCase()).toBe(word.toLowerCase());
    await both('search-results');

    await box.press('ArrowDown');
    const second = results.getByRole('option').nth(1);
    if ((await results.getByRole('option').count()) > 1) {
      await expect.poll(() => second.getAttribute('aria-selected')).toBe('true');
      expect(await box.getAttribute('aria-activedescendant')).toBe(await second.getAttribute('id'));
    }
    const target = expected.hits[(await results.getByRole('option').count()) > 1 ? 1 : 0]?.file;
    await box.press('Enter');
    await expect.poll(() => app.page.getByRole('dialog').count()).toBe(0);
    const panel = app.page.getByRole('region', { name: `File ${target?.name}` });
    await panel.waitFor({ timeout: 15_000 });
    // The library went to the file's folder and selected its row.
    const grid = app.page.getByRole('grid', { name: /^Files in/u });
    await expect.poll(() => grid.locator('[aria-selected="true"]').first().textContent(), { timeout: 15_000 }).toContain(target?.name);
    await both('search-opened-in-library');
  }, 300_000);

  it('opens a hit deep in the tree: the folders open down to its folder, selected, and its row selected on screen', async () => {
    // The last folder, in the tree's own order, two levels down or deeper and holding more
    // files than the table shows at once: the tree must open its parents and scroll to it, the
    // table scroll to its last file, the target.
    const archive = (await app.api['collections/list']({})).find((c) => c.name === 'Usenet archive');
    if (!archive) throw new Error('the catalog has no "Usenet archive"');
    type Found = { folder: Folder; parents: Folder[] };
    let deepest: Found | null = null;
    const walk = async (parentId: number | null, parents: Folder[]): Promise<void> => {
      let cursor: string | null = null;
      do {
        const page: Page<Folder> = await app.api['folders/list']({ collectionId: archive.id, parentId, limit: 200, cursor });
        for (const f of page.items) {
          if (parents.length >= 2 && f.fileCount >= 40) deepest = { folder: f, parents };
          if (f.folderCount > 0) await walk(f.id, [...parents, f]);
        }
        cursor = page.nextCursor;
      } while (cursor);
    };
    await walk(null, []);
    const found = deepest as Found | null;
    if (!found) throw new Error('no folder two levels down with 40 files or more');
    const { folder, parents } = found;
    const files = (await app.api['files/list']({ collectionId: archive.id, folderId: folder.id, sort: 'name', direction: 'desc', limit: 1 })).items;
    const file = files[0];
    if (!file) throw new Error(`folder ${folder.name} lists no files`);
    const words = (text: string): string => `"${text.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()}"`;
    const query = `${words(file.name)} ${words(folder.name)}`;
    const expected = await app.api['search/query']({ query, limit: 50 });
    const at = expected.hits.findIndex((h) => h.file.id === file.id);
    expect(at).toBeGreaterThanOrEqual(0);

    const close = app.page.getByRole('button', { name: 'Close the file panel' });
    if ((await close.count()) > 0) await close.click();
    await app.page.keyboard.press('Control+K');
    const box = app.page.getByRole('combobox', { name: 'Search the catalog' });
    await box.fill(query);
    const results = app.page.getByRole('listbox', { name: 'Results' });
    await expect.poll(() => results.getByRole('option').count(), { timeout: 10_000 }).toBe(expected.hits.length);
    for (let i = 0; i < at; i++) await box.press('ArrowDown');
    await expect.poll(() => results.getByRole('option').nth(at).getAttribute('aria-selected')).toBe('true');
    await box.press('Enter');
    await expect.poll(() => app.page.getByRole('dialog').count()).toBe(0);
    await app.page.getByRole('region', { name: `File ${file.name}` }).waitFor({ timeout: 15_000 });

    // The tree: every parent opened, the folder selected and scrolled into the pane.
    const tree = app.page.getByRole('tree', { name: 'Collections and folders' });
    for (const p of parents) {
      const parentItem = tree.locator(`[role="treeitem"][data-fui-tree-item-value="f:${p.id}"]`);
      await expect.poll(() => parentItem.getAttribute('aria-expanded'), { timeout: 15_000 }).toBe('true');
    }
    const folderItem = tree.locator(`[role="treeitem"][data-fui-tree-item-value="f:${folder.id}"]`);
    await expect.poll(() => folderItem.getAttribute('aria-selected'), { timeout: 15_000 }).toBe('true');
    const pane = app.page.getByRole('navigation', { name: 'Collections' });
    const inside = async (inner: typeof pane, outer: typeof pane, header = 0): Promise<boolean> => {
      const a = await inner.boundingBox();
      const b = await outer.boundingBox();
      return !!a && !!b && a.y >= b.y + header - 1 && a.y + Math.min(a.height, 40) <= b.y + b.height + 1;
    };
    await expect.poll(() => inside(folderItem, pane), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => app.page.getByRole('heading', { name: folder.name }).count()).toBeGreaterThan(0);

    // The table: the folder's own files, the target's row (the last) selected and scrolled into view.
    const grid = app.page.getByRole('grid', { name: `Files in ${folder.name}` });
    await expect.poll(() => grid.getAttribute('aria-rowcount'), { timeout: 15_000 }).toBe(String(folder.fileCount + 1));
    const row = grid.locator(`[role="row"][aria-rowindex="${folder.fileCount + 1}"]`);
    await expect.poll(() => row.getAttribute('aria-selected'), { timeout: 15_000 }).toBe('true');
    expect(await row.textContent()).toContain(file.name);
    expect(await grid.locator('[role="row"][aria-selected="true"]').count()).toBe(1);
    await expect.poll(() => inside(row, grid, 32), { timeout: 10_000 }).toBe(true);
    expect(await grid.getAttribute('aria-activedescendant')).toBe(await row.getAttribute('id'));
    await both('search-opened-deep');
  }, 300_000);

  it('filters by state, says when nothing matches, and explains the syntax', async () => {
    await app.page.getByRole('button', { name: 'Jobs' }).first().click();
    await app.page.keyboard.press('Control+F');
    const box = app.page.getByRole('combobox', { name: 'Search the catalog' });
    await box.waitFor();
    await expect.poll(() => app.page.getByText('prefix*').count()).toBeGreaterThan(0);
    await box.fill('flac');
    const results = app.page.getByRole('listbox', { name: 'Results' });
    await expect.poll(() => results.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // The catalog's few indexed flac files rank among thousands of uploaded ones: filtered in
    // the page, the first page would show only the few it happened to hold. The search channel
    // filters, so the page is full and more can be read.
    const unfiltered = await app.api['search/query']({ query: 'flac', limit: 50 });
    const indexed = await app.api['search/query']({ query: 'flac', state: 'indexed', limit: 50 });
    expect(indexed.hits).toHaveLength(50);
    expect(indexed.nextOffset).toBe(50);
    expect(indexed.hits.every((h) => h.file.state === 'indexed')).toBe(true);
    expect(unfiltered.hits.filter((h) => h.file.state === 'indexed').length).toBeLessThan(50);
    await app.page.getByRole('combobox', { name: 'Only files in state' }).click();
    await app.page.getByRole('option', { name: 'Indexed' }).click();
    await expect.poll(() => results.getByRole('option').first().textContent(), { timeout: 10_000 }).toContain(indexed.hits[0]?.file.name);
    await expect.poll(() => results.getByRole('option').count()).toBe(50);
    const states = await results.getByRole('option').evaluateAll((os) => os.map((o) => o.textContent ?? ''));
    for (const s of states) expect(s).toContain('Indexed');
    await expect.poll(() => app.page.getByRole('dialog').getByText('50+ results indexed').count()).toBe(1);
    await expect.poll(() => app.page.getByRole('button', { name: 'Show more results' }).count()).toBe(1);
    await both('search-filtered');
    await app.page.getByRole('button', { name: 'Show more results' }).click();
    await expect.poll(() => results.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(50);
    const more = await results.getByRole('option').evaluateAll((os) => os.map((o) => o.textContent ?? ''));
    for (const s of more) expect(s).toContain('Indexed');
    await box.fill('zzqqxxnotaword');
    await expect.poll(() => app.page.getByRole('status', { name: 'Results' }).textContent(), { timeout: 10_000 }).toContain('Nothing matches');
    await both('search-nothing');
    await box.fill('-only');
    await expect.poll(() => app.page.getByRole('alert').or(app.page.getByRole('status')).filter({ hasText: 'not only words to leave out' }).count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await both('search-error');
    await app.page.keyboard.press('Escape');
    await expect.poll(() => app.page.getByRole('dialog').count()).toBe(0);
    expect(app.pageErrors).toEqual([]);
  });
});
