/**
 * What the manager does with a recommendation, by the user's settings: moves that need nothing
 * installed or configured (one file -> sharded, more shards) may run by themselves; moves to
 * PostgreSQL and downgrades ask first. Either rule can be changed in the settings.
 */
import type { ManagerSettings, Recommendation } from '../../../shared/manager';

export type MoveDecision = 'none' | 'ask' | 'run';

export function decideMove(rec: Recommendation, settings: ManagerSettings): MoveDecision {
  if (rec.action === 'stay' || !rec.target) return 'none';
  // Not enough disk: the user must free space first, whatever the setting.
  if (rec.blockedBy) return 'ask';
  const rule = rec.automatic ? settings.simpleMoves : settings.otherMoves;
  return rule === 'automatic' ? 'run' : 'ask';
}
