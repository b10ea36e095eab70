/**
 * A Chromium performance trace (CDP Tracing, through playwright-core) of the page's main thread:
 * the tasks the renderer ran and, when sampling is on, which functions ran inside the long ones.
 * The trace is the same record DevTools' Performance panel shows, so a long task here is one a
 * developer can open and look at (`--trace-dir` keeps the files).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** Chromium's own threshold for a long task (the Long Tasks API uses the same 50 ms). */
export const LONG_TASK_MS = 50;

const TIMELINE = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'blink.user_timing'];
const SAMPLER = 'disabled-by-default-v8.cpu_profiler';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of the event, µs: what it cost the thread, whatever else held the cores. */
  tdur?: number;
  id?: string;
  args?: {
    name?: string;
    data?: {
      startTime?: number;
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      timeDeltas?: number[];
    };
  };
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

export interface FunctionTime {
  fn: string;
  ms: number;
}

export interface TraceSummary {
  /** Every main-thread task of the page's renderer, in ms. */
  tasks: number;
  longTasks: number;
  longestMs: number;
  /**
   * The same tasks by the main thread's own CPU time (the trace's thread clock): a task's wall
   * time on a loaded machine includes the time the thread waited for a core, which no change
   * to the page can remove. These say what the page's own work costs, comparable across loads.
   */
  longestCpuMs: number;
  longCpuTasks: number;
  /** CPU time of all the page's main-thread tasks in the trace. */
  cpuMs: number;
  /**
   * Self time (wall, ms) of the trace's own events inside long tasks, by name (Layout, Paint,
   * FunctionCall, MinorGC…): what the long tasks were made of, without stack sampling.
   */
  eventsInLongTasks: FunctionTime[];
  /** Sampled functions inside long tasks (only when sampling was on). */
  selfInLongTasks: FunctionTime[];
  totalInLongTasks: FunctionTime[];
}

export class PageTrace {
  private constructor(
    private readonly browser: Browser,
    private readonly sampling: boolean,
  ) {}

  static async start(page: Page, options: { sampling: boolean }): Promise<PageTrace> {
    const browser = page.context().browser();
    if (!browser) throw new Error('the page has no browser to trace');
    await browser.startTracing(page, { categories: options.sampling ? [...TIMELINE, SAMPLER] : TIMELINE, screenshots: false });
    return new PageTrace(browser, options.sampling);
  }

  /** Stops the trace; `keep` names a file to write it to (loadable in DevTools' Performance panel). */
  async stop(keep?: string): Promise<TraceSummary> {
    const buffer = await this.browser.stopTracing();
    if (keep) {
      fs.mkdirSync(path.dirname(keep), { recursive: true });
      fs.writeFileSync(keep, buffer);
    }
    const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
    const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
    return summarizeTrace(events, this.sampling);
  }
}

/** The page's main thread: the renderer thread named CrRendererMain that ran the most task time. */
function mainThread(events: TraceEvent[]): { pid: number; tid: number } | null {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const busy = new Map<string, number>();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.name === 'RunTask' && e.ph === 'X' && mains.has(key)) busy.set(key, (busy.get(key) ?? 0) + (e.dur ?? 0));
  }
  const best = [...busy.entries()].sort((a, b) => b[1] - a[1])[0];
  if (!best) return null;
  const [pid, tid] = best[0].split(':').map(Number);
  return { pid: pid ?? 0, tid: tid ?? 0 };
}

/** The summary of a parsed trace (exported for reading a kept trace again). */
export function summarizeTrace(events: TraceEvent[], sampling: boolean): TraceSummary {
  const main = mainThread(events);
  if (!main) return { tasks: 0, longTasks: 0, longestMs: 0, longestCpuMs: 0, longCpuTasks: 0, cpuMs: 0, eventsInLongTasks: [], selfInLongTasks: [], totalInLongTasks: [] };
  const onMain = (e: TraceEvent): boolean => e.pid === main.pid && e.tid === main.tid;
  // Top-level tasks only: a RunTask nested in another (a nested run loop) is part of its parent.
  const tasks = events.filter((e) => onMain(e) && e.name === 'RunTask' && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  const top: TraceEvent[] = [];
  for (const t of tasks) {
    const last = top[top.length - 1];
    if (last && t.ts < last.ts + (last.dur ?? 0)) continue;
    top.push(t);
  }
  const long = top.filter((t) => (t.dur ?? 0) / 1000 > LONG_TASK_MS);
  const longestMs = top.reduce((m, t) => Math.max(m, (t.dur ?? 0) / 1000), 0);
  const cpu = top.map((t) => (t.tdur ?? 0) / 1000);
  const functions = sampling ? sampledFunctions(events, main, long) : { self: [], total: [] };
  return {
    tasks: top.length,
    longTasks: long.length,
    longestMs,
    longestCpuMs: cpu.reduce((m, c) => Math.max(m, c), 0),
    longCpuTasks: cpu.filter((c) => c > LONG_TASK_MS).length,
    cpuMs: cpu.reduce((sum, c) => sum + c, 0),
    eventsInLongTasks: eventSelfTimes(events.filter(onMain), long),
    selfInLongTasks: functions.self,
    totalInLongTasks: functions.total,
  };
}

/** Self time per event name inside the given tasks (an event's duration minus its children's). */
function eventSelfTimes(mainEvents: TraceEvent[], long: TraceEvent[]): FunctionTime[] {
  const complete = mainEvents.filter((e) => e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  let i = 0;
  for (const task of [...long].sort((a, b) => a.ts - b.ts)) {
    const end = task.ts + (task.dur ?? 0);
    while (i < complete.length && (complete[i]?.ts ?? 0) < task.ts) i++;
    // Events nested in the task, in start order; a stack finds each one's parent.
    const stack: { end: number; name: string }[] = [{ end, name: task.name }];
    const own = new Map<TraceEvent | 'task', number>();
    own.set('task', task.dur ?? 0);
    const frames: (TraceEvent | 'task')[] = ['task'];
    for (let j = i; j < complete.length; j++) {
      const e = complete[j];
      if (!e || e.ts >= end) break;
      if (e === task) continue;
      const eEnd = e.ts + (e.dur ?? 0);
      if (eEnd > end) continue;
      while (stack.length > 1 && e.ts >= (stack[stack.length - 1]?.end ?? 0)) {
        stack.pop();
        frames.pop();
      }
      const parent = frames[frames.length - 1] ?? 'task';
      own.set(parent, (own.get(parent) ?? 0) - (e.dur ?? 0));
      own.set(e, e.dur ?? 0);
      stack.push({ end: eEnd, name: e.name });
      frames.push(e);
    }
    for (const [e, us] of own) {
      const name = e === 'task' ? task.name : e.name;
      self.set(name, (self.get(name) ?? 0) + us / 1000);
    }
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms) }));
}

const frameName = (n: ProfileNode): string => {
  const f = n.callFrame;
  const file = f.url ? f.url.split('/').pop() : '';
  return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}:${f.columnNumber + 1}` : ''}`;
};

/** Time per function (self, and anywhere on the stack) over the samples that fall in long tasks. */
function sampledFunctions(events: TraceEvent[], main: { pid: number; tid: number }, long: TraceEvent[]): { self: FunctionTime[]; total: FunctionTime[] } {
  const nodes = new Map<number, ProfileNode>();
  const samples: { ts: number; node: number; ms: number }[] = [];
  const profiles = new Map<string, { ts: number }>();
  for (const e of events) {
    if (e.pid !== main.pid || e.tid !== main.tid) continue;
    if (e.name === 'Profile' && e.id) profiles.set(e.id, { ts: e.args?.data?.startTime ?? e.ts });
  }
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || !e.id || e.pid !== main.pid) continue;
    const profile = profiles.get(e.id);
    if (!profile) continue;
    for (const n of e.args?.data?.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
    const ids = e.args?.data?.cpuProfile?.samples ?? [];
    const deltas = e.args?.data?.timeDeltas ?? [];
    for (let i = 0; i < ids.length; i++) {
      const delta = deltas[i] ?? 0;
      profile.ts += delta;
      samples.push({ ts: profile.ts, node: ids[i] ?? 0, ms: delta / 1000 });
    }
  }
  const inLong = (ts: number): boolean => long.some((t) => ts >= t.ts && ts <= t.ts + (t.dur ?? 0));
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const s of samples) {
    if (!inLong(s.ts)) continue;
    const leaf = nodes.get(s.node);
    if (!leaf) continue;
    const name = frameName(leaf);
    self.set(name, (self.get(name) ?? 0) + s.ms);
    const seen = new Set<string>();
    for (let n: ProfileNode | undefined = leaf; n; n = n.parent === undefined ? undefined : nodes.get(n.parent)) {
      const f = frameName(n);
      if (seen.has(f)) continue;
      seen.add(f);
      total.set(f, (total.get(f) ?? 0) + s.ms);
    }
  }
  const top = (m: Map<string, number>): FunctionTime[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([fn, ms]) => ({ fn, ms: Math.round(ms) }));
  return { self: top(self), total: top(total) };
}
