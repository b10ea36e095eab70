/**
 * The wizard's preflight, as a pure function of what the planner gathers: how much disk a move
 * needs beside the catalog against what is free, how long the measured copy rates say it takes,
 * and why it cannot start now when it cannot. The migration checks the disk again when it
 * starts (`migrateDataFolder`); this answers before the user commits to anything.
 */
import { engineOf } from '../engines/registry';
import type { MigrationTarget, MovePreflight, ServerKind } from '../../../shared/manager';
import type { PlannerInput } from '../planner/plan-tier';
import { formatBytes } from '../../../shared/format';
import { neededForCopy } from '../migration/target-space';
import { THRESHOLDS as T } from '../planner/thresholds';

/** A move the user or the manager's policy asks for: the engine, and its shards or server. */
export interface MoveRequest {
  to: MigrationTarget;
  shards?: number;
  url?: string;
}

export interface PreflightState {
  /** A move is running now. */
  moving: boolean;
  /** The server the active store is on, when it is on one. */
  activeServer: ServerKind | null;
}


export function preflightMove(input: PlannerInput, request: MoveRequest, state: PreflightState): MovePreflight {
  const target = engineOf(request.to);
  const server: ServerKind | null = target.targetServer(request.url);
  // A sharded catalog moved to its own engine changes its shard count in place.
  const inPlace = target.shards !== null && input.engine === request.to;
  const shards = target.shards ? (request.shards ?? (inPlace ? (input.shards ?? target.shards.default) : target.shards.default)) : undefined;
  const remote = server === 'existing';
  const notes: string[] = [];
  let rows = input.rows;
  // From the bytes per row measured for the target engine, as the migration itself checks.
  let neededBytes = remote ? 0 : neededForCopy(request.to, input.rows);
  let estimateMs = Math.round((input.rows / target.copyCost.rowsPerSecond) * 1000);
  let refusal: string | null = null;

  if (inPlace && target.shards) {
    // Jump hashing moves only the rows whose shard changes: (new - old) / new of them going up,
    // (old - new) / old going down.
    const from = input.shards ?? target.shards.default;
    const to = shards ?? from;
    const moved = to === from ? 0 : Math.round((input.segments * Math.abs(to - from)) / Math.max(to, from));
    rows = moved;
    neededBytes = Math.round(input.dbBytes * (moved / Math.max(1, input.segments)));
    estimateMs = Math.round((moved / T.reshardMovedRowsPerSecond) * 1000);
    if (to === from) refusal = `The catalog already has ${from} shards; choose another count to re-shard.`;
    else notes.push(`Re-sharding ${from} → ${to} moves only the segments whose shard changes (about ${moved.toLocaleString('en-US')}); the catalog file stays.`);
  } else if (input.engine === request.to && (server === null || state.activeServer === server)) {
    // The same engine is another tier only on another server (the bundled one to an existing one).
    refusal = `The catalog is already on ${target.storedOn}${server ? ` (${server === 'portable' ? 'the bundled server' : 'an existing server'})` : ''}.`;
  }

  if (server === 'portable' && !input.portableServerAvailable) {
    refusal ??= 'The bundled PostgreSQL server is not part of this installation; connect an existing server instead.';
  }
  if (target.moveNote) notes.push(target.moveNote);
  if (server === 'portable') notes.push('The first move to the bundled server unpacks and starts it (a few seconds, about 60 MB in the data folder).');
  if (remote) notes.push('The data goes to the server’s own disk: make sure it has room for the catalog and its indexes there.');

  const freeBytes = input.freeDiskBytes;
  const fits = remote || neededBytes <= freeBytes;
  if (!fits) refusal ??= `The move needs about ${formatBytes(neededBytes)} free beside the catalog and the disk has ${formatBytes(freeBytes)}. Free some space, then check again.`;
  if (state.moving) refusal = 'A move is running now; wait for it to end or cancel it first.';

  return {
    to: { engine: request.to, ...(shards === undefined ? {} : { shards }) },
    server,
    kind: inPlace ? 'reshard' : 'migrate',
    rows,
    sourceBytes: input.dbBytes,
    neededBytes,
    freeBytes,
    remote,
    fits,
    estimateMs,
    refusal,
    notes,
  };
}
