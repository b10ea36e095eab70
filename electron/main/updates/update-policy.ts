/**
 * When Strata looks for, downloads and installs an update, as pure functions of what main
 * knows (packaged?, portable?, the platform, the last check, a move between tiers), so every
 * rule is tested under Node and the Electron glue only passes values in.
 *
 * - Off unless the app is an installed build that can replace itself: the NSIS install on
 *   Windows, an AppImage on Linux. The portable exe is off: it lives in a folder the user chose
 *   (a USB stick, a synced folder) and is replaced by hand; electron-builder still packs
 *   app-update.yml into it, so the rule is ours. Off in a smoke test (a CI runner must not
 *   reach out to the releases) and when the user turned checks off in updates.json.
 * - At most one check a day, counted from the last attempt, so a machine that is offline does
 *   not retry in a loop.
 * - Never while a move between tiers runs: a check may lead to a download that competes with
 *   the move for the disk it measured, and an install quits the app, which stops the move at a
 *   checkpoint to be resumed by a different version.
 */
import { StrataError, serializeError } from '../../../shared/errors';
import type { RestartAnswer, UpdateState } from '../../../shared/ipc/updates';

export const CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** The first check waits until the window and the catalog are up. */
export const FIRST_CHECK_DELAY_MS = 60_000;
/** How often a long-running app asks the policy again (the policy keeps it to one check a day). */
export const POLICY_TICK_MS = 60 * 60 * 1000;

export interface AvailabilityInput {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  packaged: boolean;
  smokeTest: boolean;
  /** The user's setting (updates.json `check`); true when never set. */
  checkSetting: boolean;
}

export type Availability = { on: true } | { on: false; reason: string };

export function updatesAvailability({ platform, env, packaged, smokeTest, checkSetting }: AvailabilityInput): Availability {
  if (!packaged) return { on: false, reason: 'A development run is not updated; build an installer to try updates.' };
  if (smokeTest) return { on: false, reason: 'A smoke test never looks for updates.' };
  // electron-builder's portable launcher names the folder it runs from in this variable.
  if (env.PORTABLE_EXECUTABLE_DIR) return { on: false, reason: 'The portable Strata is updated by replacing its exe with a newer one from the releases page.' };
  if (platform === 'linux' && !env.APPIMAGE) return { on: false, reason: 'Only the AppImage updates itself on Linux.' };
  if (platform !== 'win32' && platform !== 'linux') return { on: false, reason: 'Strata does not update itself on this system yet.' };
  if (!checkSetting) return { on: false, reason: 'Checking for updates is turned off in updates.json.' };
  return { on: true };
}

/** What main knows of the database process's moves: 'unknown' when it did not answer in time. */
export type MoveActivity = 'idle' | 'moving' | 'unknown';

export interface CheckInput {
  state: UpdateState;
  lastCheckAt: number | null;
  now: number;
  moves: MoveActivity;
}

export type CheckDecision = { check: true } | { check: false; reason: string };

export function checkDecision({ state, lastCheckAt, now, moves }: CheckInput): CheckDecision {
  switch (state.state) {
    case 'off':
      return { check: false, reason: state.reason };
    case 'checking':
    case 'available':
    case 'downloading':
      return { check: false, reason: 'A check or a download is already under way.' };
    case 'ready':
      return { check: false, reason: `Strata ${state.version} is downloaded and waits for a restart.` };
    default:
      break;
  }
  // A clock set back (lastCheckAt in the future) must not stop checks for good.
  if (lastCheckAt !== null && lastCheckAt <= now && now - lastCheckAt < CHECK_INTERVAL_MS) return { check: false, reason: 'Strata looked for updates less than a day ago.' };
  if (moves !== 'idle') return { check: false, reason: moves === 'moving' ? 'A move between tiers is running.' : 'The database process did not say whether a move is running.' };
  return { check: true };
}

/** A found update downloads at once, unless a move runs; then it waits for the move's end. */
export function downloadDeferral(moves: MoveActivity): string | null {
  if (moves === 'idle') return null;
  return moves === 'moving' ? 'A move between tiers is running; the update downloads when it has finished.' : 'The database process did not answer; the download waits for it.';
}

export function installDecision(state: UpdateState, moves: MoveActivity): RestartAnswer {
  if (state.state !== 'ready') return refuse('conflict', 'No update is downloaded yet, so there is nothing to restart for.');
  if (moves === 'moving') return refuse('busy', 'A move between tiers is running. Restart to update when it has finished (or cancel it first on the Upgrade database screen); quitting now would stop it halfway.');
  if (moves === 'unknown') return refuse('busy', 'The database process did not say whether a move is running, so Strata did not restart. Try again in a moment.');
  return { ok: true };
}

function refuse(code: 'busy' | 'conflict', message: string): RestartAnswer {
  return { ok: false, error: serializeError(new StrataError(code, message)) };
}

/** What Strata keeps in `<data folder>/updates.json`. */
export interface UpdateRecord {
  lastCheckAt: number | null;
  /** The user's choice; checks are on unless this is false. */
  check: boolean;
}

/** A missing, unreadable or hand-edited file is a record with nothing in it, never a crash. */
export function parseUpdateRecord(text: string | null): UpdateRecord {
  let raw: unknown = null;
  try {
    raw = text === null ? null : JSON.parse(text);
  } catch {
    raw = null;
  }
  const o = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const at = o.lastCheckAt;
  return { lastCheckAt: typeof at === 'number' && Number.isFinite(at) && at >= 0 ? at : null, check: o.check !== false };
}
