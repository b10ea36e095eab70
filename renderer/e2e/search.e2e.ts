/**
 * Search from anywhere on the 1M-segment catalog: Ctrl+K opens it, results come as the user
 * types with the words marked, the state filter narrows them, arrows move, Enter opens the file
 * in the library; Ctrl+F does the same from another screen. Screenshots and axe in both themes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  });

  it('filters by state, says when nothing matches, and explains the syntax', async () => {
    await app.page.getByRole('button', { name: 'Jobs' }).first().click();
    await app.page.keyboard.press('Control+F');
    const box = app.page.getByRole('combobox', { name: 'Search the catalog' });
    await box.waitFor();
    await expect.poll(() => app.page.getByText('prefix*').count()).toBeGreaterThan(0);
    await box.fill('flac');
    const results = app.page.getByRole('listbox', { name: 'Results' });
    await expect.poll(() => results.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await app.page.getByRole('combobox', { name: 'Only files in state' }).click();
    await app.page.getByRole('option', { name: 'Missing' }).click();
    const states = await results.getByRole('option').evaluateAll((os) => os.map((o) => o.textContent ?? ''));
    for (const s of states) expect(s).toContain('Missing');
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
