/** How a job's numbers read: done of total in its unit, a rate, the time left. Pure. */
import { formatBytes, formatCount } from '../../../shared/format';

export function formatAmount(n: number, unit: string): string {
  return unit === 'bytes' ? formatBytes(n) : `${formatCount(Math.round(n))} ${unit}`;
}

export function formatDone(done: number, total: number | null, unit: string): string {
  if (total === null) return formatAmount(done, unit);
  return unit === 'bytes' ? `${formatBytes(done)} of ${formatBytes(total)}` : `${formatCount(Math.round(done))} of ${formatAmount(total, unit)}`;
}

export function formatRate(rate: number, unit: string): string {
  return unit === 'bytes' ? `${formatBytes(rate)}/s` : `${formatCount(Math.round(rate))} ${unit}/s`;
}

/** "5 s", "3 min 20 s", "2 h 5 min": coarse, as a user reads a time left. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 || m >= 10 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}
