/**
 * Where a PostgreSQL server's time goes during one bench run, statement by statement: every
 * query and COPY a node-postgres client sends is timed from the client (issue to completion)
 * and charged the CPU its backend used meanwhile, read from /proc/<backend pid>/stat (Linux;
 * the portable server runs on this machine). A backend runs one statement at a time, so the
 * CPU its process gained between a statement's start and end is that statement's, exactly,
 * to the kernel's 10 ms tick; two statements on two connections are measured apart.
 *
 * Bench-only instrumentation: it wraps pg.Client.prototype.query in the bench's own child
 * process when asked (`--trace-statements`), and the app never loads this file.
 */
import fs from 'node:fs';
import pg from 'pg';

const TICK_MS = 10;

interface Entry {
  statement: string;
  calls: number;
  wallMs: number;
  cpuMs: number;
}

export interface StatementRow {
  statement: string;
  calls: number;
  wall_ms: number;
  cpu_ms: number;
}

/** CPU milliseconds (user + system) the process has used so far, or NaN once it is gone. */
function processCpuMs(pid: number | null | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return Number.NaN;
  }
}

/**
 * One name per kind of statement: whitespace folded, partition names and literal numbers
 * replaced, so the 16 partitions' COPYs (or digests) add up in one row.
 */
export function statementKind(sql: string): string {
  return sql
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/segments_p\d+/gu, 'segments_pN')
    .replace(/\$\d+/gu, '$n')
    .replace(/\b\d+\b/gu, 'N')
    .slice(0, 160);
}

interface Submittable {
  text?: string;
  submit?: unknown;
  on(event: string, listener: () => void): unknown;
}

/** Starts tracing every statement of this process; `write` then saves the table to `file`. */
export function traceStatements(file: string): void {
  const entries = new Map<string, Entry>();
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown; processID?: number | null };
  const original = proto.query;
  const record = (statement: string, wallMs: number, cpuMs: number): void => {
    const kind = statementKind(statement);
    const entry = entries.get(kind) ?? { statement: kind, calls: 0, wallMs: 0, cpuMs: 0 };
    entry.calls++;
    entry.wallMs += wallMs;
    if (Number.isFinite(cpuMs)) entry.cpuMs += cpuMs;
    entries.set(kind, entry);
  };
  proto.query = function traced(this: { processID?: number | null }, ...args: unknown[]): unknown {
    const config = args[0] as string | { text?: string } | Submittable;
    const text = typeof config === 'string' ? config : (config?.text ?? '(unnamed)');
    const pid = this.processID;
    const cpuBefore = processCpuMs(pid);
    const started = performance.now();
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      record(text, performance.now() - started, processCpuMs(pid) - cpuBefore);
    };
    // Pool.query hands the client a callback (and then gets no promise back): wrap it.
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (...results: unknown[]): unknown => {
        done();
        return (callback as (...r: unknown[]) => unknown)(...results);
      };
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(done, done);
    else if (result && typeof (result as Submittable).on === 'function') {
      // A COPY FROM stream: 'finish' comes once the server has answered the end of the data.
      (result as Submittable).on('finish', done);
      (result as Submittable).on('error', done);
    }
    return result;
  };
  process.once('exit', () => {
    const rows: StatementRow[] = [...entries.values()]
      .map((e) => ({ statement: e.statement, calls: e.calls, wall_ms: Math.round(e.wallMs), cpu_ms: Math.round(e.cpuMs) }))
      .sort((a, b) => b.cpu_ms - a.cpu_ms || b.wall_ms - a.wall_ms);
    fs.writeFileSync(file, `${JSON.stringify(rows)}\n`);
  });
}

export function readStatementTrace(file: string): StatementRow[] {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as StatementRow[];
}
