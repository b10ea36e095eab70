/**
 * The UI bench's scripted scroll through the library's file table, the ways a user moves
 * through a long list: wheel flings from the top, a drag of the scrollbar's thumb from top to
 * bottom, End and Home on the keyboard, and jumps to evenly spread places (a click on the
 * scrollbar's track). Each stop waits until loaded rows are on screen, so the page does the
 * whole job (reading the pages, rendering the rows) inside the measured time.
 */
import type { Locator, Page } from 'playwright-core';

export interface ScrollReport {
  /** How long rows took to show after each jump, End and Home (ms, page clock). */
  waits: number[];
  /** How the scrollbar drag was made: by its thumb, or emulated where no scrollbar is drawn. */
  dragged: 'thumb' | 'emulated';
  /** The farthest row index shown, against the list's length: the scroll reached the end. */
  reachedRow: number;
}

const ROWS_WAIT_MS = 15_000;

function grid(page: Page): Locator {
  return page.locator('main [role="grid"]').first();
}

/**
 * Waits (in the page, frame by frame) until more than 3 loaded rows are inside the grid's view;
 * returns how long that took, or the cap.
 */
async function rowsShown(page: Page, since: number | null): Promise<number> {
  return grid(page).evaluate(
    async (el, { since, cap }) => {
      const started = since ?? performance.now();
      for (;;) {
        const view = el.getBoundingClientRect();
        const rows = [...el.querySelectorAll('[role="row"][aria-rowindex]')].filter((r) => {
          const b = r.getBoundingClientRect();
          return b.bottom > view.top + 32 && b.top < view.bottom && r.getAttribute('aria-busy') !== 'true' && Number(r.getAttribute('aria-rowindex')) > 1;
        });
        if (rows.length > 3 || performance.now() - started > cap) return performance.now() - started;
        await new Promise((r) => requestAnimationFrame(r));
      }
    },
    { since, cap: ROWS_WAIT_MS },
  );
}

/** The highest row index (0-based) on screen now. */
async function lastShownRow(page: Page): Promise<number> {
  return grid(page).evaluate((el) => Math.max(-1, ...[...el.querySelectorAll('[role="row"][aria-rowindex]')].map((r) => Number(r.getAttribute('aria-rowindex')) - 2)));
}

/** Sets the scroller's position to a share of its range, the way a click on the track does. */
async function jumpTo(page: Page, share: number): Promise<number> {
  const started = await grid(page).evaluate((el, s) => {
    el.scrollTop = s * (el.scrollHeight - el.clientHeight);
    return performance.now();
  }, share);
  return rowsShown(page, started);
}

async function wheel(page: Page, flings: number): Promise<void> {
  for (let i = 0; i < flings; i++) {
    await page.mouse.wheel(0, 1600);
    await page.waitForTimeout(16);
  }
}

/**
 * Drags the scrollbar's thumb from the top to the bottom in steps a hand would make. Headless
 * Chromium under playwright-core draws no scrollbars (it starts with --hide-scrollbars), so when
 * there is no thumb to grab the drag is played as what a thumb drag does to the list: the
 * scroll position following the pointer, one step per frame. Returns how it was done.
 */
async function dragScrollbar(page: Page, steps: number): Promise<'thumb' | 'emulated'> {
  const g = grid(page);
  await jumpTo(page, 0);
  const box = await g.boundingBox();
  const bar = await g.evaluate((el) => (el as HTMLElement).offsetWidth - el.clientWidth);
  if (box && bar > 0) {
    const x = box.x + box.width - bar / 2;
    const top = box.y + 8;
    const bottom = box.y + box.height - 4;
    await page.mouse.move(x, top);
    await page.mouse.down();
    for (let i = 1; i <= steps; i++) {
      await page.mouse.move(x, top + ((bottom - top) * i) / steps, { steps: 4 });
      await page.waitForTimeout(50);
    }
    await page.mouse.up();
    const moved = await g.evaluate((el) => el.scrollTop > (el.scrollHeight - el.clientHeight) * 0.9);
    if (moved) {
      await rowsShown(page, null);
      return 'thumb';
    }
  }
  await g.evaluate(async (el, n) => {
    // No named helpers in here: the page gets this function's source, without tsx's helpers.
    for (let i = 1; i <= n; i++) {
      el.scrollTop = (i / n) * (el.scrollHeight - el.clientHeight);
      await new Promise((r) => requestAnimationFrame(r));
      await new Promise((r) => requestAnimationFrame(r));
    }
  }, steps * 4);
  await rowsShown(page, null);
  return 'emulated';
}

async function key(page: Page, name: 'End' | 'Home'): Promise<number> {
  await grid(page).focus();
  const started = await page.evaluate(() => performance.now());
  await page.keyboard.press(name);
  return rowsShown(page, started);
}

/** One pass over the whole list, top to bottom and back; `jumps` evenly spread track clicks. */
export async function scrollThrough(page: Page, jumps: number): Promise<ScrollReport> {
  const waits: number[] = [];
  const g = grid(page);
  await g.evaluate((el) => {
    el.scrollTop = 0;
  });
  const box = await g.boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await wheel(page, 60);
  await rowsShown(page, null);
  const dragged = await dragScrollbar(page, 24);
  let reachedRow = await lastShownRow(page);
  waits.push(await key(page, 'Home'));
  waits.push(await key(page, 'End'));
  reachedRow = Math.max(reachedRow, await lastShownRow(page));
  for (let j = 1; j <= jumps; j++) waits.push(await jumpTo(page, (j % 2 === 1 ? j : jumps + 1 - j) / (jumps + 1)));
  waits.push(await key(page, 'Home'));
  return { waits, dragged, reachedRow };
}
