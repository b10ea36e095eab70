/**
 * `npm run bench -- ui`: the renderer in Debian's Chromium against the real headless host.
 * - first_paint_ms: navigation start to the library's first file rows on screen (median of 3
 *   loads), against the first contentful paint of a static page served by the same host.
 * - longest_task_ms: the longest main-thread task while a script scrolls through ~1M files
 *   (wheel flings, then jumps across the whole scrollbar, waiting for each place's rows).
 * - longest_task_during_move_ms: the same scrolling while the catalog moves to sharded SQLite.
 * Long tasks come from the page's own 'longtask' PerformanceObserver (Chromium reports every
 * task over 50 ms with its duration), installed before any page script runs.
 * It runs in its own process (main.ts builds the catalog, then spawns it): its page-side code is
 * typed against the DOM.
 * Progress on stderr; one JSON line on stdout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { buildRenderer } from '../../renderer/e2e/build-renderer';
import { openApp, type App } from '../../renderer/e2e/harness';
import { firstFileRowsAt } from '../../renderer/e2e/screens';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const ROOT = path.resolve(import.meta.dirname, '../..');

function bundleSize(): Record<string, number> {
  const assets = path.join(ROOT, 'dist', 'renderer', 'assets');
  const sizes = { js_bytes: 0, js_gzip_bytes: 0, css_bytes: 0, css_gzip_bytes: 0, js_files: 0 };
  for (const f of fs.readdirSync(assets)) {
    const body = fs.readFileSync(path.join(assets, f));
    if (f.endsWith('.js')) {
      sizes.js_bytes += body.length;
      sizes.js_gzip_bytes += gzipSync(body, { level: 9 }).length;
      sizes.js_files += 1;
    } else if (f.endsWith('.css')) {
      sizes.css_bytes += body.length;
      sizes.css_gzip_bytes += gzipSync(body, { level: 9 }).length;
    }
  }
  return sizes;
}

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
  }
}

/** Runs in the page before its own scripts: every long task from the very first one. */
function recordLongTasks(): void {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks?.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

async function staticFirstPaint(app: App): Promise<number> {
  const file = path.join(ROOT, 'dist', 'renderer', 'bench-baseline.html');
  fs.writeFileSync(file, '<!doctype html><html lang="en"><title>Baseline</title><p>A static page served by the same host.</p></html>\n');
  try {
    const origin = new URL(app.url).origin;
    const paints: number[] = [];
    for (let i = 0; i < 3; i++) {
      await app.page.goto(`${origin}/bench-baseline.html`);
      const fcp = await app.page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0, undefined, { polling: 'raf' });
      paints.push((await fcp.jsonValue()));
    }
    return median(paints);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Scrolls like a user: wheel flings, then jumps across the whole list; returns how long each jump took to show rows. */
async function scrollThrough(page: Page, jumps: number): Promise<number[]> {
  const grid = page.locator('main [role="grid"]').first();
  const box = await grid.boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 60; i++) {
    await page.mouse.wheel(0, 1600);
    await page.waitForTimeout(16);
  }
  const waits: number[] = [];
  for (let j = 1; j <= jumps; j++) {
    const took = await grid.evaluate(async (el, share) => {
      const scroller = [el, ...el.querySelectorAll('*')].find((e) => e.scrollHeight > e.clientHeight + 10 && getComputedStyle(e).overflowY !== 'visible');
      if (!scroller) return -1;
      const started = performance.now();
      scroller.scrollTop = share * (scroller.scrollHeight - scroller.clientHeight);
      // Rows at the new place: loaded cells (not placeholders) inside the scroller's view.
      for (;;) {
        await new Promise((r) => requestAnimationFrame(r));
        const view = scroller.getBoundingClientRect();
        const rows = [...scroller.querySelectorAll('[role="row"]')].filter((r) => {
          const b = r.getBoundingClientRect();
          return b.bottom > view.top && b.top < view.bottom && !r.querySelector('[aria-label="Loading"]');
        });
        if (rows.length > 3 || performance.now() - started > 10_000) return performance.now() - started;
      }
    }, j / jumps);
    if (took >= 0) waits.push(took);
  }
  return waits;
}

async function takeLongTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => (window.__longTasks ?? []).splice(0).map((t) => t.duration));
}

export async function uiBench(options: { catalog: string; files: number }): Promise<Record<string, unknown>> {
  buildRenderer(log);
  const catalog = options.catalog;
  const app = await openApp({ catalog: { dir: catalog }, waitForReady: false });
  try {
    const { page } = app;
    await page.addInitScript(recordLongTasks);
    const baseline = await staticFirstPaint(app);
    log(`ui: static page first paint ${baseline.toFixed(0)} ms`);

    const paints: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto('about:blank');
      await page.goto(app.url);
      const at = await firstFileRowsAt(page, 30_000);
      if (at === null) break;
      paints.push(at);
      log(`ui: library first rows at ${at.toFixed(0)} ms`);
    }
    const firstPaint = paints.length > 0 ? median(paints) : null;
    if (firstPaint === null) log('ui: no file rows appeared in the library (is the library screen built on this branch?)');

    let longest: number | null = null;
    let longTasks = 0;
    let jumpP50: number | null = null;
    let duringMove: number | null = null;
    let moveMs: number | null = null;
    if (firstPaint !== null) {
      await takeLongTasks(page);
      const started = performance.now();
      const waits = await scrollThrough(page, 20);
      const tasks = await takeLongTasks(page);
      longest = tasks.length ? Math.max(...tasks) : 0;
      longTasks = tasks.length;
      jumpP50 = waits.length ? median(waits) : null;
      log(`ui: scrolled through ${options.files.toLocaleString('en')} files in ${((performance.now() - started) / 1000).toFixed(1)} s; ${tasks.length} long tasks, longest ${longest.toFixed(0)} ms; rows after a jump p50 ${jumpP50?.toFixed(0)} ms`);

      log('ui: moving the catalog to sharded SQLite while scrolling…');
      const moveStarted = performance.now();
      let moving = true;
      const move = app.api['migration/start']({ to: 'sharded' }).finally(() => {
        moving = false;
      });
      const during: number[] = [];
      while (moving) {
        await scrollThrough(page, 10);
        during.push(...(await takeLongTasks(page)));
      }
      await move;
      moveMs = performance.now() - moveStarted;
      duringMove = during.length ? Math.max(...during) : 0;
      log(`ui: move took ${(moveMs / 1000).toFixed(1)} s; ${during.length} long tasks meanwhile, longest ${duringMove.toFixed(0)} ms`);
    }
    const round = (x: number | null): number | null => (x === null ? null : Math.round(x));
    return {
      bench: 'ui',
      files: options.files,
      first_paint_ms: round(firstPaint),
      static_first_paint_ms: round(baseline),
      first_paint_ratio_vs_static: firstPaint === null ? null : Number((firstPaint / baseline).toFixed(2)),
      longest_task_ms: round(longest),
      long_tasks: longTasks,
      rows_after_jump_p50_ms: round(jumpP50),
      longest_task_during_move_ms: round(duringMove),
      move_ms: round(moveMs),
      long_task_source: 'PerformanceObserver longtask (tasks over 50 ms)',
      targets: { first_paint_ms: 1000, longest_task_ms: 50, longest_task_during_move_ms: 50 },
      bundle: bundleSize(),
    };
  } finally {
    await app.close();
  }
}

// Run directly (main.ts spawns this file): one JSON line on stdout.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: { catalog: { type: 'string' }, files: { type: 'string', default: '1000000' } },
    allowPositionals: true,
    strict: false,
  });
  if (typeof values.catalog !== 'string') throw new Error('ui-bench.ts --catalog <data folder> (npm run bench -- ui builds it)');
  const result = await uiBench({ catalog: values.catalog, files: Number(String(values.files).replace(/_/gu, '')) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
