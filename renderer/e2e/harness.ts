/**
 * The end-to-end harness: `openApp()` copies a generated catalog into a data folder of its own,
 * starts the REAL headless host on it (`strata serve`, a child process, as a user runs it),
 * opens the app in Debian's Chromium, and hands back the page, a typed Node-side API connected to
 * the same host (for setup and checks), and helpers that screenshot and axe-check the page.
 *
 *   const app = await openApp({ catalog: 'small', colorScheme: 'dark' });
 *   await app.page.getByRole('button', { name: 'Import' }).click();
 *   await app.screenshot('import-dark');
 *   await app.axe('import-dark');
 *   await app.close();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { createApi, type StrataApi } from '../../shared/ipc/api';
import { createClient } from '../../shared/ipc/client';
import type { Port } from '../../shared/ipc/protocol';
import { StrataError } from '../../shared/errors';
import { catalogDir, ROOT, STRATA, type CatalogName } from './catalogs';
import { AXE_PARTS, SCREENS } from './results';

export interface OpenAppOptions {
  /** A generated catalog by name, or any data folder (copied, never changed), e.g. a benchmark's. */
  catalog: CatalogName | { dir: string };
  /** Folders of this machine the host lets the page import and index from (`strata serve --allow`). */
  allow?: string[];
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** Wait until the page has the catalog's first answer (the status bar names the tier). Default true. */
  waitForReady?: boolean;
  /**
   * How long the host waits without a call before it starts an automatic move it may make
   * (STRATA_MOVE_QUIET_MS). Ten minutes unless a test watches one: no other test may find its
   * catalog moving under it because the copied catalog's size history happens to read as growth.
   */
  moveQuietMs?: number;
  /** Runs on the test's copy of the data folder before the host opens it (e.g. a size history). */
  prepare?: (dataDir: string) => void;
}

export interface App {
  page: Page;
  /** The typed API over the host's WebSocket, as the page uses it; it follows restartHost(). */
  api: StrataApi;
  /** This test's own copy of the catalog (wizard tests may move it; nobody else sees it). */
  dataDir: string;
  /** The address the page was opened at, token included (after the #). */
  url: string;
  /** Switches the emulated OS theme (prefers-color-scheme) without reopening the app. */
  setColorScheme(scheme: 'light' | 'dark'): Promise<void>;
  /** Uncaught errors the page threw, in order; a test can assert there were none. */
  pageErrors: string[];
  /**
   * Waits (bounded) until no finite animation or transition runs for a quarter second, as
   * screenshot() and axe() do; `within` (a CSS selector) looks only at the animations there.
   */
  settled(within?: string): Promise<void>;
  /** Writes test-results/screens/<name>.png of the window. */
  screenshot(name: string): Promise<string>;
  /** Runs axe-core on the page, records the result as <name>, fails on serious or critical violations. */
  axe(name: string): Promise<AxeSummary>;
  /** Screenshots and axe-checks the page as `<name>-light` and `<name>-dark`, then returns to light. */
  inBothThemes(name: string): Promise<void>;
  /**
   * Stops the host and starts it again on the same port and data folder (the token is kept
   * there). `whileStopped` runs between the two, e.g. a CLI command on the data folder.
   */
  restartHost(options?: { whileStopped?: () => Promise<void> }): Promise<void>;
  /** Runs `strata <args> --data <dataDir> --json` and returns its JSON answer (exit code 0 expected). */
  cli(...args: string[]): Promise<unknown>;
  /** The host process's output so far (stdout and stderr), for a failing test's message. */
  hostLog(): string;
  close(): Promise<void>;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string; summary: string }[];
}

export interface AxeSummary {
  name: string;
  url: string;
  colorScheme: 'light' | 'dark';
  viewport: { width: number; height: number };
  passes: number;
  incomplete: number;
  violations: AxeViolation[];
  /** How long the check took, settling included (axe is most of an e2e run's time). */
  ms: number;
  /** Of which waiting for the page's transitions to end. */
  settledMs: number;
}

const CHROMIUM = process.env.STRATA_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const NAME = /^[a-z0-9][a-z0-9-]*$/u;

/** Every host this process started, so a crashed test run does not leave servers behind. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

interface Host {
  child: ChildProcess;
  url: string;
  open: string;
  ws: string;
  port: number;
}

/**
 * Under Vitest, one Chromium per test file (each file runs in a process of its own), launched
 * at the first openApp and closed after the file's last test: every app gets a new browser
 * context of its own (its own storage, cache and page), closed with it. A browser per app made
 * each openApp + close about a second longer here (4.3 s instead of 3.6 s for the small catalog
 * on the loaded machine). A browser that went away (a crash) is launched again for the next app. Outside Vitest (the UI benchmark) each app has its own
 * browser, closed with it, so the script's process can end.
 */
const SHARE_BROWSER = process.env.VITEST !== undefined;
let sharedBrowser: Promise<Browser> | null = null;
if (SHARE_BROWSER) {
  const { afterAll } = await import('vitest');
  afterAll(async () => {
    const browser = await sharedBrowser?.catch(() => null);
    sharedBrowser = null;
    await browser?.close().catch(() => {});
  });
}
function browserForApp(): Promise<Browser> {
  if (!SHARE_BROWSER) return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const launching = sharedBrowser;
  if (launching) {
    return launching.then(
      (browser) => {
        if (browser.isConnected()) return browser;
        sharedBrowser = null;
        return browserForApp();
      },
      () => {
        sharedBrowser = null;
        return browserForApp();
      },
    );
  }
  const launched = chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  sharedBrowser = launched;
  return launched;
}

function startHost(dataDir: string, port: number, extra: string[], log: (text: string) => void, moveQuietMs: number): Promise<Host> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [STRATA, 'serve', '--port', String(port), '--data', dataDir, ...extra, '--json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, STRATA_MOVE_QUIET_MS: String(moveQuietMs) },
    });
    live.add(child);
    let stdout = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`strata serve did not print its address within 60 s`)), 60_000);
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stderr.on('data', (d: Buffer) => log(d.toString('utf8')));
    child.stdout.on('data', (d: Buffer) => {
      const text = d.toString('utf8');
      log(text);
      if (settled) return;
      stdout += text;
      for (const line of stdout.split('\n')) {
        if (!line.trim().startsWith('{')) continue;
        let parsed: { url?: unknown; open?: unknown; ws?: unknown; error?: { message?: unknown } };
        try {
          parsed = JSON.parse(line) as typeof parsed;
        } catch {
          continue; // Not complete yet.
        }
        if (typeof parsed.url === 'string' && typeof parsed.open === 'string' && typeof parsed.ws === 'string') {
          settled = true;
          clearTimeout(timer);
          resolve({ child, url: parsed.url, open: parsed.open, ws: parsed.ws, port: Number(new URL(parsed.url).port) });
          return;
        }
        if (parsed.error) fail(new Error(`strata serve refused to start: ${JSON.stringify(parsed.error)}`));
      }
    });
    child.once('exit', (code, signal) => {
      live.delete(child);
      fail(new Error(`strata serve exited (${code ?? signal}) before printing its address`));
    });
  });
}

async function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function runCli(args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [STRATA, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-4000)));
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`strata ${args.join(' ')} exited with ${code}: ${last || stderr}`));
      try {
        resolve(JSON.parse(last));
      } catch {
        reject(new Error(`strata ${args.join(' ')} printed no JSON: ${stdout.slice(-500)}`));
      }
    });
  });
}

function openSocket(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`the host refused the WebSocket (${res.statusCode})`)));
    ws.once('error', reject);
  });
}

/**
 * A Port whose socket can be replaced: after restartHost() the same api object talks to the
 * new host process; calls in flight when the old one went away fail as 'closed'.
 */
function swappablePort(): { port: Port; attach(ws: WebSocket): void; detach(): void } {
  const listeners = new Set<(message: unknown) => void>();
  let socket: WebSocket | null = null;
  const onMessage = (data: Buffer, isBinary: boolean): void => {
    if (isBinary) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      return;
    }
    for (const l of listeners) l(parsed);
  };
  return {
    port: {
      send(m) {
        if (!socket || socket.readyState !== socket.OPEN) throw new StrataError('closed', 'The test API is not connected to a host (it is restarting or closed).');
        socket.send(JSON.stringify(m));
      },
      onMessage(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    attach(ws) {
      socket = ws;
      ws.on('message', onMessage);
    },
    detach() {
      socket?.off('message', onMessage);
      socket?.close();
      socket = null;
    },
  };
}

function formatViolations(name: string, violations: AxeViolation[]): string {
  const lines = [`axe "${name}": ${violations.length} serious or critical accessibility violation(s)`];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 5)) lines.push(`      at ${n.target}${n.summary ? `\n         ${n.summary.replace(/\n/gu, '\n         ')}` : ''}`);
    if (v.nodes.length > 5) lines.push(`      … and ${v.nodes.length - 5} more`);
  }
  return lines.join('\n');
}

export async function openApp(options: OpenAppOptions): Promise<App> {
  const source = typeof options.catalog === 'string' ? catalogDir(options.catalog) : path.resolve(options.catalog.dir);
  if (typeof options.catalog === 'string' && !fs.existsSync(path.join(source, 'e2e-catalog.json'))) {
    throw new Error(`The "${options.catalog}" catalog is not generated; run the tests through \`npm run test:e2e\` (its global setup builds it).`);
  }
  const label = typeof options.catalog === 'string' ? options.catalog : path.basename(source);
  const allow = (options.allow ?? []).flatMap((dir) => ['--allow', path.resolve(dir)]);
  let colorScheme = options.colorScheme ?? 'light';
  const viewport = options.viewport ?? { width: 1280, height: 800 };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `strata-e2e-${label}-`));
  fs.cpSync(source, dataDir, { recursive: true });
  options.prepare?.(dataDir);
  const moveQuietMs = options.moveQuietMs ?? 600_000;

  let log = '';
  const append = (text: string): void => {
    log += text;
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  let host = await startHost(dataDir, 0, allow, append, moveQuietMs);
  const socketPort = swappablePort();
  socketPort.attach(await openSocket(host.ws, host.url));
  const client = createClient(socketPort.port);
  const api = createApi(client);

  let browser: Browser;
  let context: BrowserContext;
  try {
    browser = await browserForApp();
    context = await browser.newContext({ viewport, colorScheme });
  } catch (error) {
    await stopHost(host.child);
    throw error;
  }
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  /**
   * Waits (bounded) for the page's finite animations and transitions to end: a button whose
   * colours are still moving from disabled to enabled, or a toast fading in, is measured by axe
   * at a contrast no user sees once it has settled. Endless ones (a spinner) are not waited for.
   * The page must stay quiet for a quarter of a second, not one poll: data arriving over the
   * socket a moment after a first quiet poll (a button enabled once the collections load) starts
   * a transition that a single check has already missed.
   */
  let settleCalls = 0;
  const settled = (within?: string): Promise<unknown> =>
    page
      .waitForFunction(
        ({ call, within }) => {
          // The quiet time is counted per call: one that begins after a state change (a
          // button just enabled) must see its own quarter second, not an earlier call's.
          const w = window as unknown as { __strataQuiet?: { call: number; since: number | undefined } };
          if (w.__strataQuiet?.call !== call) w.__strataQuiet = { call, since: undefined };
          const quiet = w.__strataQuiet;
          const moving = document.getAnimations().some((a) => {
            if (a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity) return false;
            if (!within) return true;
            const target = (a.effect as KeyframeEffect | null)?.target;
            return target instanceof Element && target.closest(within) !== null;
          });
          if (moving) {
            quiet.since = undefined;
            return false;
          }
          quiet.since ??= performance.now();
          return performance.now() - quiet.since >= 250;
        },
        { call: ++settleCalls, within: within ?? null },
        { timeout: 3_000, polling: 50 },
      )
      .catch(() => undefined);
  const app: App = {
    page,
    api,
    dataDir,
    url: host.open,
    pageErrors,
    async settled(within) {
      await settled(within);
    },
    async inBothThemes(name) {
      for (const scheme of ['light', 'dark'] as const) {
        await app.setColorScheme(scheme);
        // Fluent re-styles on the media change; one frame or two before the picture, and on a
        // loaded machine the colour transitions (nav items, inputs) may still run: wait them out
        // (bounded; endless animations such as a spinner are not transitions).
        await page.waitForTimeout(150);
        await settled();
        await app.screenshot(`${name}-${scheme}`);
        await app.axe(`${name}-${scheme}`);
      }
      await app.setColorScheme('light');
    },
    async setColorScheme(scheme) {
      colorScheme = scheme;
      await page.emulateMedia({ colorScheme: scheme });
    },
    async screenshot(name) {
      if (!NAME.test(name)) throw new Error(`screenshot names are kebab-case (got "${name}")`);
      await settled();
      fs.mkdirSync(SCREENS, { recursive: true });
      const file = path.join(SCREENS, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async axe(name) {
      if (!NAME.test(name)) throw new Error(`axe names are kebab-case (got "${name}")`);
      const started = Date.now();
      await settled();
      const settledMs = Date.now() - started;
      // Tabster (Fluent's focus manager) puts focusable, aria-hidden sentinels at the edges of
      // focus groups; they pass focus on the instant they get it and never hold it, so axe's
      // aria-hidden-focus on them is not a stop a user meets. Everything else is checked.
      // The app has no frames, so axe runs in the page itself (legacy mode) rather than per
      // frame with its partial results finished in a second, blank page; and only violations
      // carry their nodes' selectors, which working out for every passing node costs most of
      // axe's time on a screen of a thousand rows. Every rule still runs on every node.
      const run = () => new AxeBuilder({ page }).setLegacyMode(true).exclude('[data-tabster-dummy]').options({ resultTypes: ['violations'] }).analyze();
      let result = await run();
      // A contrast measured while a colour transition ran (it started after the quiet wait)
      // passes once the page settles; a real contrast fault is still there on a second look.
      if (result.violations.some((v) => v.id === 'color-contrast')) {
        await settled();
        result = await run();
      }
      const summary: AxeSummary = {
        name,
        url: page.url().replace(/#.*$/u, ''),
        colorScheme,
        viewport: page.viewportSize() ?? viewport,
        passes: result.passes.length,
        incomplete: result.incomplete.length,
        violations: result.violations.map((v) => ({
          id: v.id,
          impact: v.impact ?? null,
          help: v.help,
          helpUrl: v.helpUrl,
          nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
        })),
        ms: Date.now() - started,
        settledMs,
      };
      fs.mkdirSync(AXE_PARTS, { recursive: true });
      fs.writeFileSync(path.join(AXE_PARTS, `${name}.json`), `${JSON.stringify(summary, null, 2)}\n`);
      const blocking = summary.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      if (blocking.length > 0) throw new Error(formatViolations(name, blocking));
      return summary;
    },
    async restartHost(restart = {}) {
      socketPort.detach();
      client.failPending(new StrataError('closed', 'The host was restarted by the test.'));
      await stopHost(host.child);
      await restart.whileStopped?.();
      // The port was just released; a moment's retry covers a slow close.
      for (let attempt = 1; ; attempt++) {
        try {
          host = await startHost(dataDir, host.port, allow, append, moveQuietMs);
          break;
        } catch (error) {
          if (attempt >= 5) throw error;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      socketPort.attach(await openSocket(host.ws, host.url));
    },
    hostLog: () => log,
    cli: (...args) => runCli([...args, '--data', dataDir, '--json']),
    async close() {
      await (SHARE_BROWSER ? context : browser).close().catch(() => {});
      client.close();
      socketPort.detach();
      await stopHost(host.child);
      if (!process.env.STRATA_E2E_KEEP) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await page.goto(host.open);
    if (options.waitForReady ?? true) {
      // The status bar names the tier once the first read has answered: the app is connected.
      await page.getByText(/Tier \d/u).first().waitFor({ timeout: 60_000 });
    }
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}
