/**
 * What the banner area says about moves, decided from what the manager reported (its status,
 * the last `migration/progress` and `manager/recommendation` events). Pure, so every case of
 * the manager's behaviour is tested under Node; MoveBanner only renders the answer.
 */
import type { ManagerSettings, ManagerStatus, MoveProgress, Recommendation } from '../../../../shared/manager';
import { PHASE_LABELS, formatDuration, formatPercent, overallFraction } from './move-progress';
import { describeStore } from './tier-options';

/** The move's title on the banner and in Jobs; a move the manager started by itself says so. */
export function moveTitle(p: Pick<MoveProgress, 'kind' | 'to' | 'automatic'>): string {
  const where = describeStore({ engine: p.to.engine, ...(p.to.shards ? { shards: p.to.shards } : {}) });
  const what = p.kind === 'reshard' ? `Re-shard the catalog to ${p.to.shards ?? ''} shards` : `Move the catalog to ${where}`;
  return p.automatic ? `${what} (automatic)` : what;
}

/** A recommendation the manager will not act on by itself: the user is asked (the manager's decideMove 'ask'). */
export function waitsForConsent(rec: Recommendation | null, settings: ManagerSettings | undefined): boolean {
  if (!rec || rec.action === 'stay' || !rec.target || !settings) return false;
  if (rec.blockedBy) return true;
  return (rec.automatic ? settings.simpleMoves : settings.otherMoves) === 'ask';
}

/** The key a dismissed notice is remembered by: the same advice is not shown again, a new one is. */
export function recommendationKey(rec: Recommendation | null): string | null {
  return rec?.target ? JSON.stringify(rec.target) : null;
}

export interface MoveBannerInput {
  /** On the wizard the move and the interrupted one are shown in full, and the notice would point at the screen itself. */
  onWizard: boolean;
  status: Pick<ManagerStatus, 'activity' | 'interrupted' | 'recommendation' | 'settings'> | undefined;
  /** The latest migration/progress heard, or the status's move. */
  progress: MoveProgress | null;
  /** The latest manager/recommendation heard since the last move ended. */
  heard: Recommendation | null;
  /** The key of the notice the user put away with "Not now". */
  dismissed: string | null;
}

export type MoveBannerState =
  | { kind: 'none' }
  | { kind: 'moving'; progress: MoveProgress }
  | { kind: 'interrupted'; interrupted: NonNullable<ManagerStatus['interrupted']> }
  | { kind: 'consent'; recommendation: Recommendation & { target: NonNullable<Recommendation['target']> }; key: string };

export function moveBannerState({ onWizard, status, progress, heard, dismissed }: MoveBannerInput): MoveBannerState {
  if (onWizard) return { kind: 'none' };
  // The last event of a finished move says 'done' until migration/ended clears it; the status says idle.
  const moving = progress !== null && (status?.activity !== 'idle' || progress.phase !== 'done');
  if (moving) return { kind: 'moving', progress };
  if (status?.interrupted) return { kind: 'interrupted', interrupted: status.interrupted };
  const rec = heard ?? status?.recommendation ?? null;
  const key = recommendationKey(rec);
  if (rec?.target && key !== null && key !== dismissed && waitsForConsent(rec, status?.settings)) {
    return { kind: 'consent', recommendation: { ...rec, target: rec.target }, key };
  }
  return { kind: 'none' };
}

/** A bar step of 1/1000 is half a pixel of the banner's 520 px bar: finer steps change nothing on screen. */
export const BAR_STEPS = 1000;

export interface MovingFigures {
  title: string;
  /** Phase, table, percentage and time left, as the banner says them. */
  figures: string;
  /** The bar's value in whole steps of 1/BAR_STEPS. */
  barStep: number;
}

/**
 * What the banner shows of a move in progress, as plain values: two reports that read the same
 * on screen give equal figures, so the banner can skip rendering them again (see MoveBanner).
 */
export function movingFigures(p: MoveProgress): MovingFigures {
  const overall = overallFraction(p);
  const eta = p.etaMs !== null && p.etaMs > 0 ? ` · ${formatDuration(p.etaMs)} left` : '';
  return {
    title: moveTitle(p),
    figures: `${PHASE_LABELS[p.phase]}${p.table ? ` · ${p.table}` : ''} · ${formatPercent(overall)}${eta} · Browsing works; changes wait until it ends.`,
    barStep: Math.floor(overall * BAR_STEPS),
  };
}
