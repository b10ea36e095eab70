/**
 * `npm run bench -- ui`: the renderer in Debian's Chromium against the real headless host.
 * - first_paint_ms: navigation start to the library's first file rows on screen (median of 3
 *   loads), against the first contentful paint of a static page served by the same host.
 * - longest_task_ms: the longest main-thread task in a Chromium performance trace (CDP Tracing,
 *   the renderer main thread's RunTask events) while a script scrolls through ~1M files: wheel
 *   flings, a drag of the scrollbar's thumb to the bottom, End and Home, jumps across the list.
 *   Against it, idle_longest_task_ms: the same trace of the library left alone for 3 s.
 * - longest_task_during_move_ms: the same scrolling, traced, while the catalog moves to sharded
 *   SQLite (started through the API), until the move has switched.
 * - longest_task_without_move_ms (phase `control`, after the move): the same number of traced
 *   passes with no move, the same run's baseline for the figure above. The longest task is one
 *   task in tens of thousands, so the move's share of it is the difference between the two.
 * The page's own 'longtask' PerformanceObserver runs beside the trace as a cross-check.
 * It runs in its own process (main.ts builds the catalog, then spawns it): its page-side code is
 * typed against the DOM. Progress on stderr; one JSON line on stdout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { buildRenderer } from '../../renderer/e2e/build-renderer';
import { openApp, type App } from '../../renderer/e2e/harness';
import { firstFileRowsAt } from '../../renderer/e2e/screens';
import { bundleSize } from './ui-bundle';
import { scrollThrough } from './ui-scroll';
import { LONG_TASK_MS, PageTrace, type FunctionTime, type TraceSummary } from './ui-trace';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const ROOT = path.resolve(import.meta.dirname, '../..');
const TARGETS = { first_paint_ms: 1000, longest_task_ms: LONG_TASK_MS, longest_task_during_move_ms: LONG_TASK_MS };

export type UiPhase = 'paint' | 'scroll' | 'move' | 'control';

export interface UiBenchOptions {
  catalog: string;
  files: number;
  phases: UiPhase[];
  /** Stop watching the move after this many seconds and pause it (0: until it switches). */
  moveWindowS: number;
  /** Keep each trace there (open them in DevTools' Performance panel). */
  traceDir: string | null;
  /** Sample the JS stacks in the trace and print the functions inside long tasks. */
  profile: boolean;
}

declare global {
  interface Window {
    __longTasks?: number[];
  }
}

/** Runs in the page before its own scripts: every long task from the very first one. */
function recordLongTasks(): void {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks?.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
}

async function takeObservedLongTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => (window.__longTasks ?? []).splice(0));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const round = (x: number | null): number | null => (x === null || Number.isNaN(x) ? null : Math.round(x));
const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : Number((a / b).toFixed(2)));

async function staticFirstPaint(app: App): Promise<number> {
  const file = path.join(ROOT, 'dist', 'renderer', 'bench-baseline.html');
  fs.writeFileSync(file, '<!doctype html><html lang="en"><title>Baseline</title><p>A static page served by the same host.</p></html>\n');
  try {
    const origin = new URL(app.url).origin;
    const paints: number[] = [];
    for (let i = 0; i < 3; i++) {
      await app.page.goto(`${origin}/bench-baseline.html`);
      const fcp = await app.page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0, undefined, { polling: 'raf' });
      paints.push(await fcp.jsonValue());
    }
    return median(paints);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** A trace around `work`, logged with the functions its long tasks spent their time in. */
async function traced<T>(app: App, options: UiBenchOptions, name: string, work: () => Promise<T>): Promise<{ result: T; trace: TraceSummary }> {
  const trace = await PageTrace.start(app.page, { sampling: options.profile });
  const result = await work();
  const summary = await trace.stop(options.traceDir ? path.join(options.traceDir, `${name}.json`) : undefined);
  log(
    `ui: ${name}: ${summary.tasks} tasks, ${summary.longTasks} over ${LONG_TASK_MS} ms, longest ${summary.longestMs.toFixed(0)} ms; ` +
      `by the thread's CPU time ${summary.longCpuTasks} over ${LONG_TASK_MS} ms, longest ${summary.longestCpuMs.toFixed(0)} ms, ${(summary.cpuMs / 1000).toFixed(1)} s in all`,
  );
  if (summary.longTasks > 0) log(`  inside the long tasks (self time of the trace's events): ${summary.eventsInLongTasks.map((e) => `${e.fn} ${e.ms} ms`).join(', ')}`);
  if (options.profile && summary.longTasks > 0) {
    const show = (title: string, fns: FunctionTime[]): void => log(`  ${title}:\n${fns.slice(0, 15).map((f) => `    ${String(f.ms).padStart(6)} ms  ${f.fn}`).join('\n')}`);
    show('self time in long tasks', summary.selfInLongTasks);
    show('total time in long tasks', summary.totalInLongTasks);
  }
  return { result, trace: summary };
}

interface PassTotals {
  longest: number;
  longestCpu: number;
  longCpu: number;
  /** Long tasks the page's own observer saw meanwhile. */
  observed: number[];
  passes: number;
}

/**
 * Traced passes of the move's scrolling while `more()` says so, named `<name>-<pass>`: one trace
 * per pass keeps each trace small enough to read back however long it all takes.
 */
async function scrollPasses(app: App, options: UiBenchOptions, name: string, more: () => boolean | Promise<boolean>): Promise<PassTotals> {
  const totals: PassTotals = { longest: 0, longestCpu: 0, longCpu: 0, observed: [], passes: 0 };
  while (await more()) {
    const { trace } = await traced(app, options, `${name}-${++totals.passes}`, () => scrollThrough(app.page, 6));
    totals.longest = Math.max(totals.longest, trace.longestMs);
    totals.longestCpu = Math.max(totals.longestCpu, trace.longestCpuMs);
    totals.longCpu += trace.longCpuTasks;
    totals.observed.push(...(await takeObservedLongTasks(app.page)));
  }
  return totals;
}

/** The move's scrolling again, `passes` traced passes of it, with nothing else running. */
async function measureControl(app: App, options: UiBenchOptions, passes: number): Promise<PassTotals> {
  log(`ui: the same ${passes} passes of scrolling with no move…`);
  let left = passes;
  return scrollPasses(app, options, 'control', () => left-- > 0);
}

async function measureMove(app: App, options: UiBenchOptions): Promise<PassTotals & { moveMs: number; completed: boolean }> {
  log(`ui: moving the catalog to sharded SQLite while scrolling${options.moveWindowS > 0 ? ` (watched for at most ${options.moveWindowS} s)` : ''}…`);
  const started = performance.now();
  let moving = true;
  let completed = false;
  const move = app.api['migration/start']({ to: 'sharded' }).then(
    () => {
      completed = true;
    },
    (e: unknown) => log(`ui: the move ended without switching: ${e instanceof Error ? e.message : String(e)}`),
  );
  void move.finally(() => {
    moving = false;
  });
  const totals = await scrollPasses(app, options, 'move', async () => {
    if (!moving) return false;
    if (options.moveWindowS > 0 && performance.now() - started > options.moveWindowS * 1000) {
      await app.api['migration/cancel']({});
      return false;
    }
    return true;
  });
  await move;
  return { ...totals, moveMs: performance.now() - started, completed };
}

export async function uiBench(options: UiBenchOptions): Promise<Record<string, unknown>> {
  buildRenderer(log);
  const app = await openApp({ catalog: { dir: options.catalog }, waitForReady: false });
  const result: Record<string, unknown> = { bench: 'ui', files: options.files };
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
    const firstPaint = paints.length === 3 ? median(paints) : null;
    if (firstPaint === null) throw new Error('no file rows appeared in the library within 30 s');
    Object.assign(result, {
      first_paint_ms: round(firstPaint),
      first_paint_runs_ms: paints.map(Math.round),
      static_first_paint_ms: round(baseline),
      first_paint_ratio_vs_static: ratio(firstPaint, baseline),
    });

    if (options.phases.includes('scroll') || options.phases.includes('move')) {
      // The same-run baseline for the traces: the library on screen, nobody touching it.
      await page.waitForTimeout(1000);
      const idle = await traced(app, options, 'idle', () => page.waitForTimeout(3000));
      result.idle_longest_task_ms = round(idle.trace.longestMs);
      await takeObservedLongTasks(page);
    }

    if (options.phases.includes('scroll')) {
      const started = performance.now();
      const { result: scroll, trace } = await traced(app, options, 'scroll', () => scrollThrough(page, 20));
      const observed = await takeObservedLongTasks(page);
      log(
        `ui: scrolled through ${options.files.toLocaleString('en')} files in ${((performance.now() - started) / 1000).toFixed(1)} s (reached row ${scroll.reachedRow + 1}, scrollbar drag: ${scroll.dragged}); rows after a jump p50 ${median(scroll.waits).toFixed(0)} ms`,
      );
      Object.assign(result, {
        longest_task_ms: round(trace.longestMs),
        long_tasks: trace.longTasks,
        tasks: trace.tasks,
        longest_task_ratio_vs_target: ratio(trace.longestMs, LONG_TASK_MS),
        longest_task_cpu_ms: round(trace.longestCpuMs),
        long_tasks_cpu: trace.longCpuTasks,
        main_thread_cpu_ms: round(trace.cpuMs),
        observer_longest_task_ms: round(observed.length ? Math.max(...observed) : 0),
        rows_after_jump_p50_ms: round(median(scroll.waits)),
        rows_after_jump_max_ms: round(Math.max(...scroll.waits)),
        reached_row: scroll.reachedRow + 1,
        scrollbar_drag: scroll.dragged,
      });
    }

    if (options.phases.includes('move')) {
      const move = await measureMove(app, options);
      log(`ui: move ${move.completed ? 'switched' : 'did not switch'} after ${(move.moveMs / 1000).toFixed(1)} s; longest task meanwhile ${move.longest.toFixed(0)} ms`);
      Object.assign(result, {
        longest_task_during_move_ms: round(move.longest),
        longest_task_during_move_ratio_vs_target: ratio(move.longest, LONG_TASK_MS),
        longest_task_cpu_during_move_ms: round(move.longestCpu),
        long_tasks_cpu_during_move: move.longCpu,
        observer_longest_task_during_move_ms: round(move.observed.length ? Math.max(...move.observed) : 0),
        move_ms: round(move.moveMs),
        move_completed: move.completed,
        move_scroll_passes: move.passes,
      });
      if (options.phases.includes('control')) {
        const control = await measureControl(app, options, move.passes);
        Object.assign(result, {
          longest_task_without_move_ms: round(control.longest),
          longest_task_cpu_without_move_ms: round(control.longestCpu),
          long_tasks_cpu_without_move: control.longCpu,
          longest_task_during_move_ratio_vs_without: ratio(move.longest, control.longest),
        });
      }
    }
    Object.assign(result, {
      first_paint_ratio_vs_target: ratio(firstPaint, TARGETS.first_paint_ms),
      long_task_source: 'CDP Tracing: RunTask events of the page renderer main thread (PerformanceObserver longtask as cross-check)',
      targets: TARGETS,
      bundle: bundleSize(ROOT),
    });
    return result;
  } finally {
    await app.close();
  }
}

// Run directly (main.ts spawns this file): one JSON line on stdout.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({
    options: {
      catalog: { type: 'string' },
      files: { type: 'string', default: '1000000' },
      phases: { type: 'string', default: 'paint,scroll,move' },
      'move-window-s': { type: 'string', default: '0' },
      'trace-dir': { type: 'string' },
      profile: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (typeof values.catalog !== 'string') throw new Error('ui-bench.ts --catalog <data folder> (npm run bench -- ui builds it)');
  const phases = values.phases.split(',').map((p) => p.trim()) as UiPhase[];
  const unknown = phases.filter((p) => !['paint', 'scroll', 'move', 'control'].includes(p));
  if (unknown.length > 0) throw new Error(`--phases takes paint, scroll, move and control, not ${unknown.join(', ')}`);
  if (phases.includes('control') && !phases.includes('move')) throw new Error('--phases control repeats the move phase\'s passes without a move: add move');
  const result = await uiBench({
    catalog: values.catalog,
    files: Number(values.files.replace(/_/gu, '')),
    phases,
    moveWindowS: Number(values['move-window-s']),
    traceDir: values['trace-dir'] ?? null,
    profile: values.profile,
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
