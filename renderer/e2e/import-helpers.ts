/** What the import, first-run and settings tests share: going to a screen, dropping real files. */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

export const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/nzb');

export async function goTo(page: Page, screen: 'Library' | 'Import' | 'Jobs' | 'Settings'): Promise<void> {
  await page.getByRole('navigation').getByText(screen, { exact: true }).click();
}

/**
 * Drops files on the window as Explorer would: a DataTransfer built in the page from the files'
 * bytes, dispatched as dragenter, dragover and drop on the app's root (react-dropzone's target).
 */
export async function dropFiles(page: Page, files: string[]): Promise<void> {
  const items = files.map((f) => ({ name: path.basename(f), base64: fs.readFileSync(f).toString('base64') }));
  await page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const item of list) {
      const binary = atob(item.base64);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      transfer.items.add(new File([bytes], item.name));
    }
    const target = document.querySelector('#root [role="presentation"]');
    if (!target) throw new Error('no drop target in the page');
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
  }, items);
}

/** The page does not scroll sideways: it fits the window. */
export async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth || document.body.scrollWidth > window.innerWidth);
}
