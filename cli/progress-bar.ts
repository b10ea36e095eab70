/**
 * Progress of long commands: a live bar (cli-progress) when stderr is a terminal, JSON lines
 * on stderr with --json, nothing otherwise (a log file should not fill with redraws).
 */
import cliProgress from 'cli-progress';

export interface ProgressReporter {
  /** `share` (0..1) draws the bar; without it only the text line is shown. */
  (event: Record<string, unknown>, human: string, share?: number): void;
  /** Removes the bar before the command prints its result. */
  stop(): void;
}

const JSON_EVERY_MS = 200;

export function progressReporter(json: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  let last = 0;
  let bar: cliProgress.SingleBar | null = null;
  const report = ((event, human, share) => {
    if (json) {
      const now = Date.now();
      if (now - last < JSON_EVERY_MS) return;
      last = now;
      stream.write(`${JSON.stringify({ progress: event })}\n`);
      return;
    }
    if (stream.isTTY !== true) return;
    if (!bar) {
      bar = new cliProgress.SingleBar(
        { stream, format: '{bar} {percentage}% | {text}', hideCursor: true, clearOnComplete: true, barsize: 30, fps: 8, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(1000, 0, { text: human });
    }
    bar.update(share === undefined ? bar.getProgress() * 1000 : Math.round(Math.min(1, Math.max(0, share)) * 1000), { text: human });
  }) as ProgressReporter;
  report.stop = () => {
    bar?.stop();
    bar = null;
  };
  return report;
}
