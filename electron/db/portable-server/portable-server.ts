/**
 * The portable PostgreSQL server (tier 3b): `ensurePortableServer` takes the app's data folder
 * and the folder of packed binaries and returns a running server, doing whatever the data
 * folder still lacks: extraction (first use), initdb (first use), recovery from an earlier
 * session that crashed or was killed, a free loopback port. The database manager calls it at
 * start and calls `stop()` on quit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { StrataError } from '../../../shared/errors';
import { checkClusterVersion, initCluster, isInitialized } from './cluster';
import type { ConnectionParts } from './connection-string';
import { diskFullError, isDiskFull } from './disk-space';
import { extractBinaries, isExtracted, removeOtherBuilds, type ExtractionProgress } from './extract-binaries';
import { freePort } from './free-port';
import { executable, portableLayout, type PortableLayout } from './layout';
import { currentPlatform, readManifest } from './manifest';
import { isPostmasterOf, readPidFile, removePidFile } from './postmaster-pid';
import { StartFailure, launch, stopChild, stopOrphan, type Launched } from './server-process';
import { STOP_TIMEOUT_MS, serverHandle, type PortableServer } from './server-handle';
import { STRATA_CONF, renderServerConfig, type MachineFacts } from './server-config';
import { choosePort, saveState } from './server-port';
import { ensureReachable, giveTo, serverUser, type ServerUser } from './server-user';
import { SUPERUSER, readPassword } from './superuser-password';
import { postgresPathError } from '../win-paths';
import { probeAnsiCodePage } from './windows-code-page';
import { elevationRefusal, probeElevation, type Elevation } from './windows-elevation';

export type { ExitInfo, PortableServer } from './server-handle';

export type PortableServerProgress =
  | ExtractionProgress
  | { phase: 'initdb' }
  | { phase: 'recover'; reason: 'stale-pid-file' | 'orphan-server'; pid: number }
  | { phase: 'start'; port: number }
  | { phase: 'ready'; port: number };

export interface PortableServerOptions {
  /** The app's data folder; the server lives in `<dataDir>/postgres/`. */
  dataDir: string;
  /** The folder holding `<platform>.7z` and `<platform>.json` (resources/postgres). */
  resourcesDir: string;
  onProgress?: (event: PortableServerProgress) => void;
  /** A fixed port. Unset: the last port used if it is free, else any free one. */
  port?: number;
  /** The database the connection string names; created on first start. Default `strata`. */
  database?: string;
  /** How long a start (including crash recovery) may take before it is given up. */
  startTimeoutMs?: number;
  machine?: MachineFacts;
  platform?: string;
  /** Whether this process is elevated (Windows); replaced in tests. */
  probeElevation?: () => Promise<Elevation>;
  /** Windows' ANSI code page (null: unknown or not Windows); replaced in tests. */
  probeCodePage?: () => Promise<number | null>;
}

const PORT_ATTEMPTS = 5;

export async function ensurePortableServer(options: PortableServerOptions): Promise<PortableServer> {
  try {
    return await ensureServer(options);
  } catch (error) {
    // Any write of the app's own (config, state, password) can meet a full disk too.
    if (!(error instanceof StrataError) && isDiskFull(error)) throw diskFullError(options.dataDir, 'start the PostgreSQL server', error);
    throw error;
  }
}

/**
 * Why the portable server cannot run for this process and data folder (Windows), or null.
 * Checked first of all at a start, and by the wizard's preflight before a move is begun.
 */
export async function portableServerRefusal(options: Pick<PortableServerOptions, 'dataDir' | 'probeElevation' | 'probeCodePage'>): Promise<StrataError | null> {
  // An elevated postgres.exe exits at once, after any extraction and initdb.
  const elevated = elevationRefusal(await (options.probeElevation ?? processElevation)());
  if (elevated) return elevated;
  // PostgreSQL on Windows opens no path of MAX_PATH or more, and no path its ANSI code page
  // cannot spell: such a data folder fails in initdb or later, with messages of little help.
  return postgresPathError(options.dataDir, process.platform, await (options.probeCodePage ?? processCodePage)());
}

// Neither changes while the process runs (a token's elevation is fixed; the code page changes
// only with a restart of Windows), so each is asked once, not at every preflight.
let elevationOnce: Promise<Elevation> | null = null;
const processElevation = (): Promise<Elevation> => (elevationOnce ??= probeElevation());
let codePageOnce: Promise<number | null> | null = null;
const processCodePage = (): Promise<number | null> => (codePageOnce ??= probeAnsiCodePage());

async function ensureServer(options: PortableServerOptions): Promise<PortableServer> {
  const refusal = await portableServerRefusal(options);
  if (refusal) throw refusal;
  const manifest = readManifest(options.resourcesDir, options.platform ?? currentPlatform());
  const layout = portableLayout(options.dataDir, manifest);
  const onProgress = options.onProgress ?? (() => undefined);

  const user = serverUser();
  // Checked before the slow first-use work, so a folder the server account cannot reach is
  // reported at once rather than after extraction.
  fs.mkdirSync(layout.root, { recursive: true, mode: 0o700 });
  ensureReachable(user, path.join(layout.root, 'data'), options.dataDir);
  if (!isExtracted(layout.binRoot)) {
    await extractBinaries(path.join(options.resourcesDir, manifest.archive), manifest, layout.binRoot, onProgress);
  }
  ensureReachable(user, executable(layout.binRoot, 'postgres'), options.dataDir);

  if (isInitialized(layout.pgData)) {
    checkClusterVersion(layout.pgData, manifest.pgMajor);
  } else {
    if (fs.existsSync(layout.pgData) && fs.readdirSync(layout.pgData).length > 0) {
      throw new StrataError(
        'pg-start-failed',
        `${layout.pgData} holds files but no PostgreSQL cluster. Move them elsewhere (or set the folder aside) and start again.`,
        { pgData: layout.pgData },
      );
    }
    fs.rmSync(layout.pgData, { recursive: true, force: true });
    onProgress({ phase: 'initdb' });
    await initCluster(layout, user);
  }
  const password = readPassword(layout.passwordFile);
  await recoverLockFile(layout, user, onProgress);

  const launched = await startOnSomePort(layout, user, password, options, onProgress);
  const database = options.database ?? 'strata';
  const parts: ConnectionParts = { host: '127.0.0.1', port: launched.port, user: SUPERUSER, password, database };
  try {
    await ensureDatabase({ ...parts, database: 'postgres' }, database);
    saveState(layout, { port: launched.port });
  } catch (error) {
    // Never leave a server running that the caller got no handle to.
    await stopChild(launched.child, launched.exited, layout, user, STOP_TIMEOUT_MS);
    throw error;
  }
  removeOtherBuilds(layout.binRoot);
  onProgress({ phase: 'ready', port: launched.port });
  return serverHandle(launched, layout, user, parts, manifest.pgVersion);
}

async function recoverLockFile(layout: PortableLayout, user: ServerUser | null, onProgress: (e: PortableServerProgress) => void): Promise<void> {
  const lock = readPidFile(layout.pgData);
  if (!lock) return;
  if (isPostmasterOf(lock.pid, layout.pgData)) {
    // A server of an earlier app session (the app crashed or was killed, the server was not).
    // Stopping it and starting fresh gives this session a process it owns and can watch.
    onProgress({ phase: 'recover', reason: 'orphan-server', pid: lock.pid });
    await stopOrphan(lock.pid, layout, user, STOP_TIMEOUT_MS);
  } else {
    onProgress({ phase: 'recover', reason: 'stale-pid-file', pid: lock.pid });
  }
  removePidFile(layout.pgData);
}

async function startOnSomePort(
  layout: PortableLayout,
  user: ServerUser | null,
  password: string,
  options: PortableServerOptions,
  onProgress: (e: PortableServerProgress) => void,
): Promise<Launched & { port: number }> {
  let port = await choosePort(layout, options.port);
  for (let attempt = 1; ; attempt += 1) {
    writeConfig(layout, user, port, options.machine);
    onProgress({ phase: 'start', port });
    try {
      return { ...(await launch({ layout, user, port, password, timeoutMs: options.startTimeoutMs ?? 120_000 })), port };
    } catch (error) {
      if (!(error instanceof StartFailure)) throw error;
      if (attempt >= PORT_ATTEMPTS || error.kind === 'other') throw error.error;
      if (error.kind === 'port-in-use') {
        // Another program took the port between the probe and the bind.
        if (options.port !== undefined) throw error.error;
        port = await freePort();
      } else {
        // Backends of a killed server detach from its shared memory within moments.
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  }
}

function writeConfig(layout: PortableLayout, user: ServerUser | null, port: number, machine?: MachineFacts): void {
  const file = path.join(layout.pgData, STRATA_CONF);
  fs.writeFileSync(file, renderServerConfig({ port, machine: machine ?? { totalMemoryBytes: os.totalmem(), cpus: os.availableParallelism() } }), { mode: 0o600 });
  giveTo(user, file);
}

async function ensureDatabase(admin: ConnectionParts, database: string): Promise<void> {
  const client = new pg.Client({ ...admin });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
