/**
 * The update service against a real feed: an HTTP server on 127.0.0.1 serving electron-builder's
 * generic-provider metadata (latest.yml) and a real installer file with its sha512, read by
 * electron-updater's own NsisUpdater, which runs under plain Node when it is given an app
 * adapter (no `require('electron')` on that path) and a Node HTTP client.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
// electron-updater's own HTTP layer (its pinned dependency): the real download and sha512 check.
import { HttpExecutor, configureRequestOptions, configureRequestUrl, type DownloadOptions } from 'builder-util-runtime';
import { NsisUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import yaml from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UpdateState } from '../../../shared/ipc/updates';
import { updateNotice } from '../../../shared/ipc/updates';
import { createMoveGuard, type MoveClient } from './move-guard';
import { CHECK_INTERVAL_MS, updatesAvailability } from './update-policy';
import { UPDATE_RECORD_FILE, createUpdateService, type UpdateService, type UpdateServiceOptions } from './updater';

const CURRENT = '0.1.0';
const INSTALLER_BYTES = 512 * 1024;

/**
 * Plain Node requests for electron-updater (the app uses its ElectronHttpExecutor over Electron's
 * net module). `download` goes through the shared HttpExecutor.doDownload, which is where the
 * sha512 of the bytes is checked against the metadata, exactly as in the app.
 */
class NodeHttpExecutor extends HttpExecutor<http.ClientRequest> {
  createRequest(options: http.RequestOptions, callback: (response: http.IncomingMessage) => void): http.ClientRequest {
    return http.request(options, callback);
  }

  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const request: http.RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, request);
      configureRequestOptions(request);
      this.doDownload(request, { destination, options, onCancel, responseHandler: null, callback: (error) => (error ? reject(error) : resolve(destination)) }, 0);
    });
  }
}

interface Feed {
  url: string;
  dir: string;
  requests: string[];
  /** Called as the metadata is served (a test starts a move "during" the check with it). */
  onMetadata: (() => void) | null;
  /** Called as the installer is asked for; the answer waits 100 ms after it. */
  onInstaller: (() => void) | null;
  publish(version: string, options?: { tamper?: boolean }): { file: string; bytes: Buffer };
  close(): Promise<void>;
}

async function startFeed(root: string): Promise<Feed> {
  const dir = path.join(root, 'feed');
  fs.mkdirSync(dir, { recursive: true });
  const feed: Feed = {
    url: '',
    dir,
    requests: [],
    onMetadata: null,
    onInstaller: null,
    publish(version, { tamper = false } = {}) {
      const file = `Strata-Setup-${version}.exe`;
      const bytes = crypto.randomBytes(INSTALLER_BYTES);
      const sha512 = crypto.createHash('sha512').update(bytes).digest('base64');
      // What electron-builder writes beside the installer (and the release carries as an asset).
      const metadata = yaml.dump({ version, files: [{ url: file, sha512, size: bytes.length }], path: file, sha512, releaseDate: new Date(0).toISOString() });
      // The provider names the metadata after the platform it runs on: latest.yml on Windows,
      // latest-linux.yml here. The same Windows metadata is served under both names.
      for (const name of ['latest.yml', 'latest-linux.yml']) fs.writeFileSync(path.join(dir, name), metadata);
      const served = Buffer.from(bytes);
      if (tamper) served[1000] = (served[1000]! + 1) % 256;
      fs.writeFileSync(path.join(dir, file), served);
      return { file, bytes };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname.slice(1));
    feed.requests.push(name);
    const file = path.join(dir, path.basename(name));
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    if (name.endsWith('.yml')) feed.onMetadata?.();
    const body = fs.readFileSync(file);
    const send = (): void => void res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' }).end(body);
    if (name.endsWith('.exe') && feed.onInstaller) {
      feed.onInstaller();
      setTimeout(send, 100);
    } else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  feed.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return feed;
}

/** A database process's client as the guard sees it: manager/status and the move events. */
function fakeDatabase() {
  let activity: 'idle' | 'moving' = 'idle';
  const asked = { count: 0, silent: false };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const client = {
    call: (channel: string) => {
      if (channel !== 'manager/status') return Promise.reject(new Error(`unexpected ${channel}`));
      asked.count++;
      // A database process too busy to answer: the guard gives up after its timeout.
      if (asked.silent) return new Promise(() => undefined);
      return Promise.resolve({ activity });
    },
    on: (event: string, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  } as unknown as MoveClient;
  const emit = (event: string, payload: unknown): void => {
    for (const l of listeners.get(event) ?? []) l(payload);
  };
  return {
    client,
    asked,
    startMove() {
      activity = 'moving';
      emit('migration/progress', {});
    },
    endMove() {
      activity = 'idle';
      emit('migration/ended', {});
    },
  };
}

let root: string;
let feed: Feed;
let services: UpdateService[];

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-updates-'));
  feed = await startFeed(root);
  services = [];
});

afterEach(async () => {
  for (const s of services) s.stop();
  await feed.close();
  fs.rmSync(root, { recursive: true, force: true });
});

interface Harness {
  service: UpdateService;
  updater: NsisUpdater;
  states: UpdateState[];
  log: string[];
  db: ReturnType<typeof fakeDatabase>;
  calls: string[];
  cacheDir: string;
  clock: { now: number };
}

function harness(overrides: Partial<UpdateServiceOptions> & { env?: Record<string, string> } = {}): Harness {
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const cacheDir = path.join(root, 'cache');
  // app-update.yml as electron-builder packs it into resources/, pointed at the local feed.
  const config = path.join(root, 'app-update.yml');
  fs.writeFileSync(config, yaml.dump({ provider: 'generic', url: feed.url, updaterCacheDirName: 'strata-updater' }));
  const adapter: AppAdapter = {
    version: CURRENT,
    name: 'Strata',
    isPackaged: true,
    appUpdateConfigPath: config,
    userDataPath: dataDir,
    baseCachePath: cacheDir,
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
  const updater = new NsisUpdater(null, adapter);
  // With an app adapter electron-updater leaves its HTTP client unset (an internal field that
  // its own tests set the same way); this is the one seam between Electron and plain Node.
  Object.assign(updater, { httpExecutor: new NodeHttpExecutor() });
  const db = fakeDatabase();
  const guard = createMoveGuard(1_000);
  guard.follow(db.client);
  const states: UpdateState[] = [];
  const log: string[] = [];
  const calls: string[] = [];
  const clock = { now: Date.parse('2026-12-01T12:00:00Z') };
  const service = createUpdateService({
    updater,
    availability: updatesAvailability({ platform: 'win32', env: overrides.env ?? {}, packaged: true, smokeTest: false, checkSetting: true }),
    guard,
    dataDir,
    publish: (s) => states.push(s),
    log: (line) => log.push(line),
    stopDatabase: async () => {
      calls.push('stopDatabase');
    },
    startDatabase: () => calls.push('startDatabase'),
    now: () => clock.now,
    ...overrides,
  });
  services.push(service);
  return { service, updater, states, log, db, calls, cacheDir, clock };
}

const metadataRequests = (): number => feed.requests.filter((r) => r.endsWith('.yml')).length;
const installerRequests = (): number => feed.requests.filter((r) => r.endsWith('.exe')).length;

describe('the update service against a local feed', () => {
  it('finds a newer version, downloads it, verifies its sha512 and offers a restart', async () => {
    const { bytes, file } = feed.publish('0.2.0');
    const h = harness();
    await h.service.checkNow();
    expect(h.service.state()).toEqual({ state: 'ready', version: '0.2.0' });
    const seen = h.states.map((s) => s.state);
    expect(seen[0]).toBe('checking');
    expect(seen).toContain('downloading');
    expect(seen.at(-1)).toBe('ready');
    const percents = h.states.flatMap((s) => (s.state === 'downloading' ? [s.percent] : []));
    expect(percents[0]).toBe(0);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    // The installer electron-updater will run is the one the feed published, byte for byte.
    const downloaded = path.join(h.cacheDir, 'strata-updater', 'pending', file);
    expect(fs.readFileSync(downloaded).equals(bytes)).toBe(true);
    expect(installerRequests()).toBe(1);
    // The check is remembered in the data folder, for the daily rule after a restart.
    expect(JSON.parse(fs.readFileSync(path.join(root, 'data', UPDATE_RECORD_FILE), 'utf8'))).toEqual({ lastCheckAt: h.clock.now, check: true });
    expect(updateNotice(h.service.state(), null)).toMatchObject({ title: 'Strata 0.2.0 is ready', restart: true });
  });

  it.each(['0.1.0', '0.0.9'])('finds nothing to do when the feed offers %s (the running version is 0.1.0)', async (version) => {
    feed.publish(version);
    const h = harness();
    await h.service.checkNow();
    expect(h.service.state()).toEqual({ state: 'idle', lastCheckAt: h.clock.now });
    expect(metadataRequests()).toBe(1);
    expect(installerRequests()).toBe(0);
    expect(updateNotice(h.service.state(), null)).toBeNull();
  });

  it('refuses a download whose bytes do not match the published sha512', async () => {
    const { file } = feed.publish('0.2.0', { tamper: true });
    const h = harness();
    await h.service.checkNow();
    const state = h.service.state();
    expect(state).toMatchObject({ state: 'error', during: 'download', version: '0.2.0', error: { code: 'io', details: { updaterCode: 'ERR_CHECKSUM_MISMATCH' } } });
    expect(installerRequests()).toBeGreaterThanOrEqual(1);
    // Nothing is left to install: neither the tampered file nor a partial one.
    const pending = path.join(h.cacheDir, 'strata-updater', 'pending');
    expect(fs.existsSync(path.join(pending, file))).toBe(false);
    expect(fs.existsSync(pending) ? fs.readdirSync(pending).filter((f) => f.endsWith('.exe')) : []).toEqual([]);
    expect(updateNotice(state, null)).toMatchObject({ intent: 'warning', title: 'Strata 0.2.0 could not be downloaded' });
    // Restarting for it is refused: nothing verified is there to install.
    expect(await h.service.restart()).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('looks at most once a day, counted from the last attempt, also across restarts', async () => {
    feed.publish(CURRENT);
    const h = harness();
    await h.service.checkNow();
    h.clock.now += CHECK_INTERVAL_MS - 1;
    const asked = h.db.asked.count;
    await h.service.checkNow();
    expect(metadataRequests()).toBe(1);
    // A check that is not due does not even ask the database process about moves.
    expect(h.db.asked.count).toBe(asked);
    // A new service (the app restarted) reads the last check from updates.json.
    const again = harness();
    again.clock.now = h.clock.now;
    await again.service.checkNow();
    expect(metadataRequests()).toBe(1);
    h.clock.now += 1;
    await h.service.checkNow();
    expect(metadataRequests()).toBe(2);
  });

  it('checks again a day after a failed check, not at once (offline machines do not loop)', async () => {
    const h = harness();
    await h.service.checkNow();
    expect(h.service.state()).toMatchObject({ state: 'error', during: 'check', error: { code: 'io' } });
    // A failed check says nothing in the window.
    expect(updateNotice(h.service.state(), null)).toBeNull();
    feed.publish('0.2.0');
    await h.service.checkNow();
    expect(metadataRequests()).toBe(1);
    h.clock.now += CHECK_INTERVAL_MS;
    await h.service.checkNow();
    expect(h.service.state()).toEqual({ state: 'ready', version: '0.2.0' });
  });

  it('never checks in portable mode', async () => {
    feed.publish('0.2.0');
    const h = harness({ env: { PORTABLE_EXECUTABLE_DIR: 'D:\\Strata' } });
    expect(h.service.state()).toMatchObject({ state: 'off' });
    h.service.start();
    await h.service.checkNow();
    expect(feed.requests).toEqual([]);
  });

  it('does not check while a move runs, and checks once it has ended', async () => {
    feed.publish('0.2.0');
    const h = harness();
    h.db.startMove();
    await h.service.checkNow();
    expect(feed.requests).toEqual([]);
    expect(h.service.state()).toMatchObject({ state: 'idle' });
    h.db.endMove();
    await h.service.checkNow();
    expect(h.service.state()).toEqual({ state: 'ready', version: '0.2.0' });
  });

  it('holds a found update back while a move runs and downloads it when the move ends', async () => {
    feed.publish('0.2.0');
    const h = harness();
    // The move starts while the check is on the wire.
    feed.onMetadata = () => h.db.startMove();
    await h.service.checkNow();
    expect(h.service.state()).toMatchObject({ state: 'available', version: '0.2.0', deferred: expect.stringMatching(/move/u) as unknown });
    expect(installerRequests()).toBe(0);
    // Nothing installs on quit while the move runs.
    expect(h.updater.autoInstallOnAppQuit).toBe(false);
    h.db.endMove();
    expect(h.updater.autoInstallOnAppQuit).toBe(true);
    await h.service.checkNow();
    await expect.poll(() => h.service.state().state, { timeout: 15_000 }).toBe('ready');
    expect(installerRequests()).toBe(1);
  });

  it('holds a download back when the database process does not answer, and asks again at the next tick', async () => {
    feed.publish('0.2.0');
    const h = harness();
    feed.onMetadata = () => {
      h.db.asked.silent = true;
    };
    await h.service.checkNow();
    expect(h.service.state()).toMatchObject({ state: 'available', deferred: expect.stringMatching(/did not answer/u) as unknown });
    expect(installerRequests()).toBe(0);
    h.db.asked.silent = false;
    await h.service.checkNow();
    expect(h.service.state()).toEqual({ state: 'ready', version: '0.2.0' });
    expect(metadataRequests()).toBe(1);
  });

  it('stops a download when a move starts, and downloads again when it has ended', async () => {
    const { bytes, file } = feed.publish('0.2.0');
    const h = harness();
    feed.onInstaller = () => {
      feed.onInstaller = null;
      h.db.startMove();
    };
    await h.service.checkNow();
    // The move is heard through the guard's events: on a loaded machine the download's
    // cancellation may land a moment after the check returned, so the state is waited for.
    await expect.poll(() => h.service.state(), { timeout: 15_000 }).toMatchObject({ state: 'available', version: '0.2.0', deferred: expect.stringMatching(/move/u) as unknown });
    // electron-updater removes the partial file after it has rejected the download: waited for too.
    await expect.poll(() => fs.existsSync(path.join(h.cacheDir, 'strata-updater', 'pending', file)), { timeout: 15_000 }).toBe(false);
    h.db.endMove();
    await expect.poll(() => h.service.state().state, { timeout: 15_000 }).toBe('ready');
    expect(installerRequests()).toBe(2);
    // 'ready' is set when electron-updater resolves; under load its last write to the cache file
    // was seen to land a moment after, so the bytes are waited for (a wrong file never passes).
    const pending = path.join(h.cacheDir, 'strata-updater', 'pending', file);
    await expect.poll(() => fs.existsSync(pending) && fs.readFileSync(pending).equals(bytes), { timeout: 15_000 }).toBe(true);
  });
});

describe('restart to update', () => {
  it('is refused while a move runs, and closes the database before installing otherwise', async () => {
    feed.publish('0.2.0');
    const h = harness();
    await h.service.checkNow();
    // The installer itself is not started here (it would replace this process); what the
    // service asks of electron-updater is recorded instead.
    h.updater.quitAndInstall = (silent?: boolean, runAfter?: boolean) => {
      h.calls.push(`quitAndInstall(${String(silent)}, ${String(runAfter)})`);
    };
    h.db.startMove();
    const refused = await h.service.restart();
    expect(refused).toMatchObject({ ok: false, error: { code: 'busy', message: expect.stringMatching(/move between tiers is running/u) as unknown } });
    expect(h.calls).toEqual([]);
    h.db.endMove();
    expect(await h.service.restart()).toEqual({ ok: true });
    expect(h.calls).toEqual(['stopDatabase', 'quitAndInstall(true, true)']);
  });

  it('starts the database again and says so when the installer cannot start', async () => {
    feed.publish('0.2.0');
    const h = harness();
    await h.service.checkNow();
    // As electron-updater's BaseUpdater.install reports a failed start: an 'error' event, at once.
    h.updater.quitAndInstall = () => {
      h.updater.emit('error', Object.assign(new Error('spawn EACCES'), { code: 'EACCES' }));
    };
    const answer = await h.service.restart();
    expect(answer).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringMatching(/installer could not be started/u) as unknown } });
    expect(h.calls).toEqual(['stopDatabase', 'startDatabase']);
    expect(h.service.state()).toMatchObject({ state: 'error', during: 'install', version: '0.2.0' });
  });
});
