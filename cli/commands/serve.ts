import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidArgument } from '../../shared/errors';
import { createHandlers } from '../../electron/db/ipc/handlers';
import { startHost } from '../../electron/db/ipc/ws-host';
import type { Command } from '../command';

const RENDERER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/renderer');
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the catalog and the app over WebSocket/HTTP (loopback, token required)',
  usage: 'strata serve [--port N] [--host 127.0.0.1] [--json]',
  options: { port: { type: 'string', default: '4780' }, host: { type: 'string', default: '127.0.0.1' } },
  async run(ctx) {
    const port = Number(ctx.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidArgument('--port must be a port number (0 picks a free one).');
    const host = String(ctx.values.host);
    // The host is long-running like the app: its manager plans on a schedule and may move the
    // catalog by itself when the settings allow it.
    // It owns the data folder while it runs: other processes (the CLI) reach the catalog
    // through it, on the folder's local endpoint.
    const { manager, close } = await ctx.ownCatalog({ as: 'serve', autoMoves: true, planEveryMs: 3_600_000 });
    try {
      const running = await startHost(createHandlers(manager), {
        host,
        port,
        staticDir: fs.existsSync(path.join(RENDERER, 'index.html')) ? RENDERER : null,
      });
      manager.onEvent((name, payload) => running.emit(name, payload));
      const open = `${running.url}/#token=${running.token}`;
      ctx.output.result({ url: running.url, open, token: running.token, ws: `${running.url.replace(/^http/u, 'ws')}/ipc?token=${running.token}` }, () =>
        [
          `Strata is serving ${ctx.dataDir}`,
          `Open ${open}`,
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
