/**
 * A move's progress as the wizard and the banner show it: one overall fraction across the
 * phases, the current table's fraction, and plain words for phases, durations and rates.
 * Pure, so it is tested under Node.
 */
import type { MoveProgress } from '../../../../shared/manager';
import type { StoreStats } from '../../../../shared/results';

export type MovePhase = MoveProgress['phase'];

/**
 * Share of the whole move each phase ends at. Copying is most of the work; the index build and
 * the verification (digests of both sides) follow it; the switch and cleanup are short.
 */
const PHASE_END: Record<MovePhase, number> = { preflight: 0.02, copy: 0.8, index: 0.9, verify: 0.97, switch: 0.99, cleanup: 1, done: 1 };
const PHASE_START: Record<MovePhase, number> = { preflight: 0, copy: 0.02, index: 0.8, verify: 0.9, switch: 0.97, cleanup: 0.99, done: 1 };

export const PHASES: readonly MovePhase[] = ['preflight', 'copy', 'index', 'verify', 'switch', 'cleanup'];

export const PHASE_LABELS: Record<MovePhase, string> = {
  preflight: 'Checking space',
  copy: 'Copying',
  index: 'Building indexes',
  verify: 'Verifying',
  switch: 'Switching',
  cleanup: 'Cleaning up',
  done: 'Done',
};

const clamp = (x: number): number => Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));

/** 0..1 over the whole move; only the copy advances with rows, the other phases are steps. */
export function overallFraction(p: Pick<MoveProgress, 'phase' | 'rows' | 'totalRows'>): number {
  if (p.phase === 'copy') {
    const share = p.totalRows > 0 ? clamp(p.rows / p.totalRows) : 0;
    return PHASE_START.copy + share * (PHASE_END.copy - PHASE_START.copy);
  }
  return PHASE_START[p.phase];
}

/** The copy's tables in the order the engine copies them, with their rows estimated from the source's counters. */
export function tableEstimates(stats: Pick<StoreStats, 'collections' | 'folders' | 'files' | 'segments'>): { table: string; rows: number }[] {
  // Same order as electron/db/store.ts TABLES, and the same estimate as estimatedCopyRows.
  return [
    { table: 'collections', rows: stats.collections },
    { table: 'nzb_sources', rows: stats.collections },
    { table: 'groups', rows: 0 },
    { table: 'folders', rows: stats.folders },
    { table: 'files', rows: stats.files },
    { table: 'file_groups', rows: stats.files },
    { table: 'segments', rows: stats.segments },
  ];
}

/**
 * The current table's share copied: rows past the tables before it, over its own estimate.
 * Null when it cannot be told (not copying, no table, a re-shard, an unknown table).
 */
export function tableFraction(p: Pick<MoveProgress, 'phase' | 'table' | 'rows' | 'kind'>, estimates: readonly { table: string; rows: number }[]): number | null {
  if (p.phase !== 'copy' || p.table === null) return null;
  if (p.kind === 'reshard') return null;
  const index = estimates.findIndex((e) => e.table === p.table);
  if (index < 0) return null;
  const before = estimates.slice(0, index).reduce((sum, e) => sum + e.rows, 0);
  const own = estimates[index]!.rows;
  if (own <= 0) return 1;
  return clamp((p.rows - before) / own);
}

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.round(ms / 1000);
  if (s < 1) return 'under a second';
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

/** An estimate said as one: rounded up to what a person plans with. */
export function formatEstimate(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return s <= 5 ? 'a few seconds' : `about ${Math.ceil(s / 5) * 5} seconds`;
  const m = Math.ceil(s / 60);
  if (m < 60) return m === 1 ? 'about a minute' : `about ${m} minutes`;
  const h = m / 60;
  return `about ${h < 10 ? h.toFixed(1).replace(/\.0$/u, '') : Math.round(h)} hours`;
}

export function formatRate(rowsPerSecond: number): string {
  if (!(rowsPerSecond > 0)) return '—';
  return `${Math.round(rowsPerSecond).toLocaleString('en-US')} rows/s`;
}

export function formatPercent(fraction: number): string {
  return `${Math.floor(clamp(fraction) * 100)}%`;
}

/**
 * A table's digest as the result page lists it: "1803 rows, 6ccb…; JSON 0 rows, 0000…" becomes
 * ["6ccb…", "JSON 0000…"]. The row count is its own column, so it is not said twice.
 */
export function digestParts(digest: string): string[] {
  return digest
    .split(';')
    .map((part) => part.trim().replace(/\b\d+ rows, /u, ''))
    .filter((part) => part.length > 0);
}
