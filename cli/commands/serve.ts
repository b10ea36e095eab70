import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { invalidArgument } from '../../shared/errors';
import type { Command } from '../command';

const RENDERER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/renderer');
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const TOKEN_FILE = 'host-token';

/**
 * The host's token, kept in the data folder (readable by the user alone) so that a restarted
 * host accepts the pages and bookmarks that carried the previous one: an open browser tab
 * reconnects by itself. Delete the file to issue a new token.
 */
export function hostToken(dataDir: string): string {
  const file = path.join(dataDir, TOKEN_FILE);
  try {
    const kept = fs.readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{32,}$/u.test(kept)) return kept;
  } catch {
    // None yet: made below.
  }
  const token = randomBytes(24).toString('base64url');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the catalog and the app over WebSocket/HTTP (loopback, token required)',
  usage: 'strata serve [--port N] [--host 127.0.0.1] [--allow <folder>]... [--json]',
  description:
    "Serves the catalog over WebSocket and the app's pages over HTTP (built by npm run serve), for a browser or a home server. Every connection needs the token in the printed address; it is kept in the data folder across restarts. While it runs it owns the data folder: other strata commands go through it. Ctrl+C stops.",
  examples: [
    { command: 'strata serve', does: "serves the app's data folder on http://127.0.0.1:4780" },
    { command: 'strata serve --port 0 --allow D:\\Downloads\\NZB --json', does: 'a free port, clients may import from that folder, the address as JSON' },
  ],
  // --allow: the folders a client of the host may import and index from (repeatable). Exports
  // and backups made over the host go into the data folder's exports/ and backups/.
  options: {
    port: { type: 'string', value: 'N', default: '4780', description: 'the port (0 picks a free one)' },
    host: { type: 'string', value: 'address', default: '127.0.0.1', description: 'the address to listen on; anything but loopback is reachable from other machines' },
    allow: { type: 'string', value: 'folder', multiple: true, description: 'a folder of this machine that clients may import and index from', defaultText: 'none: uploaded NZBs only' },
  },
  dataFolder: 'creates',
  async run(ctx) {
    const port = Number(ctx.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidArgument('--port must be a port number (0 picks a free one).');
    const host = String(ctx.values.host);
    const [{ createHandlers }, { confinedPolicy }, { startHost }, { yieldSessionGroupInBackground }] = await Promise.all([
      import('../../electron/db/ipc/handlers'),
      import('../../electron/db/ipc/host-policy'),
      import('../../electron/db/ipc/ws-host'),
      import('../../electron/db/runtime/background-priority'),
    ]);
    // The pages run in a browser, another program: a move yields the cores to it (see there).
    yieldSessionGroupInBackground();
    const allowed = ctx.values.allow;
    const policy = confinedPolicy(Array.isArray(allowed) ? allowed : typeof allowed === 'string' ? [allowed] : []);
    // The host is long-running like the app: its manager plans on a schedule and may move the
    // catalog by itself when the settings allow it.
    // It owns the data folder while it runs: other processes (the CLI) reach the catalog
    // through it, on the folder's local endpoint.
    const { manager, close } = await ctx.ownCatalog({ as: 'serve', autoMoves: true, planEveryMs: 3_600_000, ...moveQuietFromEnv(process.env) });
    try {
      const running = await startHost(createHandlers(manager, policy), {
        host,
        port,
        downloads: { exports: path.join(ctx.dataDir, 'exports'), backups: path.join(ctx.dataDir, 'backups') },
        token: hostToken(ctx.dataDir),
        staticDir: fs.existsSync(path.join(RENDERER, 'index.html')) ? RENDERER : null,
      });
      manager.onEvent((name, payload) => running.emit(name, payload));
      const open = `${running.url}/#token=${running.token}`;
      ctx.output.result({ url: running.url, open, token: running.token, allow: policy.paths.kind === 'confined' ? policy.paths.readRoots : [], ws: `${running.url.replace(/^http/u, 'ws')}/ipc?token=${running.token}` }, () =>
        [
          `Strata is serving ${ctx.dataDir}`,
          `Open ${open}`,
          policy.paths.kind === 'confined' && policy.paths.readRoots.length > 0
            ? `Clients may import and index from: ${policy.paths.readRoots.join(', ')}`
            : 'Clients may import uploaded NZBs only (add --allow <folder> to let them read a folder of this machine).',
          ...(LOOPBACK.has(host) ? [] : [`Warning: listening on ${host}, reachable from other machines; anyone with the token can use the catalog.`]),
          ...(fs.existsSync(path.join(RENDERER, 'index.html')) ? [] : ['(The app pages are not built; run `npm run serve` to build and serve them.)']),
          'Press Ctrl+C to stop.',
        ].join('\n'),
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await running.close();
    } finally {
      await close();
    }
  },
};

/**
 * How long the host waits without a call before an automatic move starts: a minute unless
 * STRATA_MOVE_QUIET_MS says otherwise (the end-to-end tests watch an automatic move start
 * within seconds). A value that is not a whole number of milliseconds is refused, not ignored.
 */
export function moveQuietFromEnv(env: NodeJS.ProcessEnv): { quietMs?: number } {
  const raw = env.STRATA_MOVE_QUIET_MS;
  if (raw === undefined || raw === '') return {};
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0) throw invalidArgument(`STRATA_MOVE_QUIET_MS must be a whole number of milliseconds (got "${raw}"); unset it for the default of a minute.`);
  return { quietMs: ms };
}
