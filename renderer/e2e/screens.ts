/**
 * Moving around the app the way a user does: the navigation's items (read from the page, so a
 * screen added later is covered without editing a list), waiting for a screen to settle, and
 * measuring what overflows.
 */
import type { Page } from 'playwright-core';

export function navigation(page: Page) {
  return page.getByRole('navigation', { name: 'Screens' });
}

/** The labels of the navigation's items, in order. */
export async function screenLabels(page: Page): Promise<string[]> {
  const labels = await navigation(page).getByRole('button').allTextContents();
  return labels.map((l) => l.trim()).filter((l) => l.length > 0);
}

export function slug(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-|-$/gu, '');
}

/** Waits until nothing on the page says it is loading (aria-busy), then a moment for layout. */
export async function settle(page: Page, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await page.locator('[aria-busy="true"]').count()) === 0) break;
    await page.waitForTimeout(100);
  }
  // Fluent's enter transitions are short; a screenshot mid-fade would judge the wrong thing.
  await page.waitForTimeout(300);
}

/** Opens a screen through the navigation and waits for its main region and data. */
export async function showScreen(page: Page, label: string): Promise<void> {
  await navigation(page).getByRole('button', { name: label, exact: true }).click();
  // The pointer leaves the item, so a screenshot shows the selection, not a hover.
  await page.mouse.move(1, (page.viewportSize()?.height ?? 2) - 1);
  await page.getByRole('main', { name: label }).waitFor();
  await settle(page);
}

export interface Overflow {
  /** How far the document is wider than the window (0: none). */
  document: number;
  /** Elements that scroll sideways (overflow-x auto/scroll and wider content), by a short description. */
  scrollers: string[];
}

export async function horizontalOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const describe = (e: Element): string => {
      const label = e.getAttribute('aria-label') ?? e.getAttribute('role') ?? '';
      const cls = typeof e.className === 'string' ? e.className.split(' ').find((c) => c.startsWith('fui-')) ?? '' : '';
      return `${e.tagName.toLowerCase()}${cls ? `.${cls}` : ''}${label ? `[${label}]` : ''} "${(e.textContent ?? '').trim().slice(0, 40)}"`;
    };
    const width = document.documentElement.clientWidth;
    const scrollers: string[] = [];
    for (const e of document.querySelectorAll('body *')) {
      if (!(e instanceof HTMLElement) || e.offsetParent === null) continue;
      const style = getComputedStyle(e);
      if ((style.overflowX === 'auto' || style.overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 1) scrollers.push(describe(e));
    }
    return { document: Math.max(0, document.documentElement.scrollWidth - width), scrollers };
  });
}

/**
 * Milliseconds from navigation start until the library shows a file row with its name (not a
 * loading placeholder), read in the page at the frame it appears; null if none comes in time.
 */
export async function firstFileRowsAt(page: Page, timeoutMs: number): Promise<number | null> {
  try {
    const handle = await page.waitForFunction(
      () => {
        const cell = document.querySelector('main [role="grid"] [role="row"][aria-rowindex] [role="gridcell"]');
        const text = cell?.textContent?.trim() ?? '';
        return text.length > 0 && cell?.getAttribute('aria-label') !== 'Loading' ? performance.now() : 0;
      },
      undefined,
      { polling: 'raf', timeout: timeoutMs },
    );
    return await handle.jsonValue();
  } catch {
    return null;
  }
}
