/**
 * The update service: electron-updater's updater driven by the update policy, its progress
 * reported as one UpdateState (shared/ipc/updates.ts) for the page. No Electron import here:
 * the updater is handed in (electron-updates.ts builds the real one in the app; the tests build
 * one over an app adapter and a plain Node HTTP client against a real local feed).
 *
 * The download is started here, not by electron-updater (autoDownload off), so that it waits
 * while a move between tiers runs, and stops if one starts: an installer of a hundred megabytes
 * landing in the cache folder would compete for the disk the move's preflight measured.
 * Installing on quit follows the same rule, switched off for as long as a move runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CancellationToken } from 'builder-util-runtime';
import type { AppUpdater } from 'electron-updater';
import { StrataError, serializeError } from '../../../shared/errors';
import type { RestartAnswer, UpdateState } from '../../../shared/ipc/updates';
import type { MoveGuard } from './move-guard';
import {
  FIRST_CHECK_DELAY_MS,
  POLICY_TICK_MS,
  checkDecision,
  downloadDeferral,
  installDecision,
  parseUpdateRecord,
  type Availability,
  type UpdateRecord,
} from './update-policy';

export const UPDATE_RECORD_FILE = 'updates.json';

/** The slice of electron-updater's AppUpdater the service drives. */
export type Updater = Pick<AppUpdater, 'checkForUpdates' | 'downloadUpdate' | 'quitAndInstall' | 'on' | 'off' | 'autoDownload' | 'autoInstallOnAppQuit' | 'disableWebInstaller' | 'logger'>;

export interface UpdateServiceOptions {
  updater: Updater | null;
  availability: Availability;
  guard: Pick<MoveGuard, 'moving' | 'probe' | 'onChange'>;
  /** The data folder (Electron's userData): updates.json keeps the last check and the user's setting. */
  dataDir: string;
  publish: (state: UpdateState) => void;
  log: (line: string) => void;
  /** Closes the catalog cleanly before the installer replaces the app; resolves when it has. */
  stopDatabase: () => Promise<void>;
  /** Starts the database process again when the installer could not be started. */
  startDatabase: () => void;
  now?: () => number;
}

export interface UpdateService {
  state(): UpdateState;
  /** Checks if the policy allows it now; resolves when the check (and the download it starts) has settled. */
  checkNow(): Promise<void>;
  /** "Restart to update": refused while a move runs or when nothing is downloaded. */
  restart(): Promise<RestartAnswer>;
  /** The first check a minute after start, then the policy asked every hour. */
  start(): void;
  stop(): void;
}

export function readUpdateRecord(dataDir: string): UpdateRecord {
  try {
    return parseUpdateRecord(fs.readFileSync(path.join(dataDir, UPDATE_RECORD_FILE), 'utf8'));
  } catch {
    return parseUpdateRecord(null);
  }
}

function writeUpdateRecord(dataDir: string, record: UpdateRecord): void {
  const file = path.join(dataDir, UPDATE_RECORD_FILE);
  // Written aside and renamed: a crash mid-write leaves the previous record, not half of one.
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

/** electron-updater's errors, in the one error shape and the user's words. */
export function updateError(error: unknown, during: 'check' | 'download' | 'install'): StrataError {
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const details = typeof code === 'string' ? { updaterCode: code } : undefined;
  if (code === 'ERR_CHECKSUM_MISMATCH')
    return new StrataError('io', 'The downloaded update did not match the checksum its release published, so it was thrown away. Strata tries again at its next daily check.', details);
  switch (during) {
    case 'check':
      return new StrataError('io', `Strata could not look for updates (${detail}). It tries again tomorrow.`, details);
    case 'download':
      return new StrataError('io', `The update could not be downloaded (${detail}). Strata tries again at its next daily check.`, details);
    case 'install':
      return new StrataError('internal', `The installer could not be started (${detail}). Strata keeps running this version; the log has the details.`, details);
  }
}

export function createUpdateService(options: UpdateServiceOptions): UpdateService {
  const { updater, availability, guard, dataDir, log } = options;
  const now = options.now ?? Date.now;
  let record = readUpdateRecord(dataDir);
  let current: UpdateState = availability.on && updater ? { state: 'idle', lastCheckAt: record.lastCheckAt } : { state: 'off', reason: availability.on ? 'No updater for this build.' : availability.reason };
  let timers: NodeJS.Timeout[] = [];
  let waitingForMove: (() => void) | null = null;
  let settling: Promise<void> = Promise.resolve();
  let lastPercent = -1;

  const set = (next: UpdateState): void => {
    current = next;
    options.publish(next);
  };

  if (updater && current.state !== 'off') {
    updater.autoDownload = false;
    // Nothing is installed while a move runs, on quit included (the flag is read at quit).
    updater.autoInstallOnAppQuit = !guard.moving();
    // Strata ships full installers only; a web installer would be a download nobody verified.
    updater.disableWebInstaller = true;
    updater.logger = { info: (m: unknown) => log(`updater: ${String(m)}`), warn: (m: unknown) => log(`updater warning: ${String(m)}`), error: (m: unknown) => log(`updater error: ${String(m)}`) };
    updater.on('download-progress', (p) => {
      if (current.state !== 'downloading') return;
      // One state per whole percent: a fast download would otherwise flood the page.
      const percent = Math.min(100, Math.max(0, Math.floor(p.percent)));
      if (percent === lastPercent) return;
      lastPercent = percent;
      set({ state: 'downloading', version: current.version, percent });
    });
    guard.onChange((moving) => {
      updater.autoInstallOnAppQuit = !moving;
      if (!moving && waitingForMove) {
        const go = waitingForMove;
        waitingForMove = null;
        go();
      }
    });
  }

  const download = async (version: string): Promise<void> => {
    if (!updater) return;
    const deferral = downloadDeferral(await guard.probe());
    if (deferral) {
      set({ state: 'available', version, deferred: deferral });
      waitingForMove = () => {
        settling = download(version);
      };
      return;
    }
    lastPercent = 0;
    set({ state: 'downloading', version, percent: 0 });
    // A move started during the download stops it (electron-updater removes the partial file);
    // it starts again from the beginning when the move has ended.
    const cancellation = new CancellationToken();
    const stopOnMove = guard.onChange((moving) => {
      if (moving) cancellation.cancel();
    });
    try {
      await updater.downloadUpdate(cancellation);
      set({ state: 'ready', version });
    } catch (error) {
      if (cancellation.cancelled) {
        log(`update ${version} download stopped: a move started`);
        set({ state: 'available', version, deferred: downloadDeferral('moving') });
        waitingForMove = () => {
          settling = download(version);
        };
        return;
      }
      log(`update ${version} download failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      set({ state: 'error', during: 'download', version, error: serializeError(updateError(error, 'download')) });
    } finally {
      stopOnMove();
    }
  };

  const check = async (): Promise<void> => {
    if (!updater) return;
    // A download held back because the database process did not answer hears no end of a move:
    // the next tick asks again.
    if (current.state === 'available') {
      if (waitingForMove && (await guard.probe()) === 'idle') {
        waitingForMove = null;
        await download(current.version);
      }
      return;
    }
    const at = now();
    const input = { state: current, lastCheckAt: record.lastCheckAt, now: at };
    // The manager is asked only when a check is otherwise due (the policy is asked every hour).
    if (!checkDecision({ ...input, moves: 'idle' }).check) return;
    if (!checkDecision({ ...input, moves: await guard.probe() }).check) return;
    // The attempt is recorded before it runs: at most one a day, whether it succeeds or not.
    record = { ...record, lastCheckAt: at };
    try {
      writeUpdateRecord(dataDir, record);
    } catch (error) {
      log(`could not write ${UPDATE_RECORD_FILE}: ${String(error)}`);
    }
    set({ state: 'checking' });
    let found: string | null = null;
    try {
      const result = await updater.checkForUpdates();
      found = result?.isUpdateAvailable ? result.updateInfo.version : null;
    } catch (error) {
      log(`update check failed: ${error instanceof Error ? error.message : String(error)}`);
      set({ state: 'error', during: 'check', version: null, error: serializeError(updateError(error, 'check')) });
      return;
    }
    if (found === null) {
      set({ state: 'idle', lastCheckAt: at });
      return;
    }
    log(`update ${found} found`);
    await download(found);
  };

  // One check at a time: a timer firing while a check or its download runs waits its turn.
  const checkNow = (): Promise<void> => {
    settling = settling.then(check, check);
    return settling;
  };

  return {
    state: () => current,
    checkNow,
    async restart() {
      const answer = installDecision(current, await guard.probe());
      if (!answer.ok || !updater || current.state !== 'ready') return answer;
      const version = current.version;
      log(`restarting to install ${version}`);
      // The database process checkpoints and closes its store before the installer replaces the
      // app: an installer that finds Strata still running would close it less gently.
      await options.stopDatabase();
      // electron-updater reports a failed start of the installer as an 'error' event, synchronously.
      const failed: { error?: unknown } = {};
      const onError = (error: Error): void => {
        failed.error = error;
      };
      updater.on('error', onError);
      try {
        // Silent (the one-click installer has nothing to ask) and Strata starts again after it.
        updater.quitAndInstall(true, true);
      } catch (error) {
        failed.error = error;
      } finally {
        updater.off('error', onError);
      }
      if (!('error' in failed)) return answer;
      options.startDatabase();
      const error = serializeError(updateError(failed.error, 'install'));
      set({ state: 'error', during: 'install', version, error });
      return { ok: false, error };
    },
    start() {
      if (current.state === 'off') return;
      const tick = (): void => void checkNow();
      timers = [setTimeout(tick, FIRST_CHECK_DELAY_MS), setInterval(tick, POLICY_TICK_MS)];
      // The timers never keep a quitting app alive.
      for (const t of timers) t.unref();
    },
    stop() {
      for (const t of timers) clearTimeout(t);
      timers = [];
      waitingForMove = null;
    },
  };
}
