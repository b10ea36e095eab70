/**
 * Progress of long commands: a live line when stderr is a terminal, JSON lines on stderr with
 * --json, nothing otherwise (a log file should not fill with redraws).
 *
 * A job whose share is known draws a bar; one that cannot know its end yet (a folder still
 * being walked, the NZB being read) draws a spinner beside its counts instead of a bar stuck
 * at 0%. Rates and ETAs come from the commands through a ProgressClock.
 */

export interface ProgressReporter {
  /** `share` (0..1) draws the bar; without it the line shows a spinner and the text. */
  (event: Record<string, unknown>, human: string, share?: number): void;
  /** Removes the line before the command prints its result. */
  stop(): void;
}

const JSON_EVERY_MS = 200;
const DRAW_EVERY_MS = 125;
const BAR_WIDTH = 20;
const SPINNER = ['-', '\\', '|', '/'];

/** One line of the live display, cut to the terminal's width so it never wraps (a wrapped line cannot be redrawn). */
export function renderLine(opts: { share?: number; text: string; frame: number; columns: number }): string {
  let head: string;
  if (opts.share === undefined) {
    head = SPINNER[opts.frame % SPINNER.length] ?? '-';
  } else {
    const share = Math.min(1, Math.max(0, opts.share));
    const filled = Math.round(share * BAR_WIDTH);
    head = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%`;
  }
  const line = `${head} ${opts.text}`;
  return line.length > opts.columns - 1 ? `${line.slice(0, Math.max(0, opts.columns - 2))}…` : line;
}

export function progressReporter(json: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  let lastJson = 0;
  let lastDraw = 0;
  let frame = 0;
  let shown = false;
  const report = ((event, human, share) => {
    const now = Date.now();
    if (json) {
      if (now - lastJson < JSON_EVERY_MS) return;
      lastJson = now;
      stream.write(`${JSON.stringify({ progress: event })}\n`);
      return;
    }
    if (stream.isTTY !== true || now - lastDraw < DRAW_EVERY_MS) return;
    lastDraw = now;
    frame++;
    stream.write(`\r\x1b[2K${renderLine({ ...(share === undefined ? {} : { share }), text: human, frame, columns: stream.columns || 80 })}`);
    shown = true;
  }) as ProgressReporter;
  report.stop = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  return report;
}

/**
 * Rate and time left of a job, from what it reports: the rate over the last few seconds (a
 * start-up burst or a slow first table soon stops counting), and no ETA until there is
 * something to measure: at least 2 s of work and 1% done, or 5% done. A migration's first
 * estimate used to come from its first batch and read "255 min left" on a job of seconds.
 */
export class ProgressClock {
  private readonly samples: { at: number; done: number }[] = [];
  private readonly started: number;

  constructor(
    private readonly windowMs = 5_000,
    now = Date.now(),
  ) {
    this.started = now;
  }

  /** Per second over the window, and the ms left (null while unmeasured or without a total). */
  update(done: number, total: number | null, now = Date.now()): { perSecond: number; etaMs: number | null } {
    this.samples.push({ at: now, done });
    while (this.samples.length > 2 && (this.samples[1]?.at ?? now) <= now - this.windowMs) this.samples.shift();
    const first = this.samples[0] ?? { at: now, done };
    const span = now - first.at;
    const perSecond = span > 0 ? Math.max(0, ((done - first.done) * 1000) / span) : 0;
    if (total === null || total <= 0) return { perSecond, etaMs: null };
    const share = done / total;
    const measured = (now - this.started >= 2_000 && share >= 0.01) || share >= 0.05;
    if (!measured || perSecond <= 0 || span < 500) return { perSecond, etaMs: null };
    return { perSecond, etaMs: Math.max(0, ((total - done) / perSecond) * 1000) };
  }
}

/** "12 s left", "3 min 20 s left", "2 h 5 min left"; empty while there is no estimate. */
export function formatEta(ms: number | null): string {
  if (ms === null) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s left`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s left`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min left`;
}
