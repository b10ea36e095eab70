/**
 * The headless host: the same handler map over WebSocket, for end-to-end tests in a browser
 * and for users who run Strata on a home server. Loopback by default; every connection must
 * carry the random token printed at start (as `?token=` — browsers cannot set headers on a
 * WebSocket); a browser page from another origin is refused. It also serves the built
 * renderer, which reads the token from the URL fragment (never sent to the server).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { StrataError } from '../../../shared/errors';
import type { Port } from '../../../shared/ipc/protocol';
import type { EventMap, EventName } from '../../../shared/ipc/contract';
import type { DownloadFolder } from '../../../shared/ipc/transfer-schemas';
import { serve, type Dispatcher, type Handlers } from './dispatcher';
import { serveDownload } from './host-downloads';

export interface HostOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  token?: string;
  /** The built renderer (vite build output); omitted: no pages, only the WebSocket. */
  staticDir?: string | null;
  /** Largest message accepted from a client, in bytes. */
  maxMessageBytes?: number;
  /** The folders served at GET /download/<folder>/<name> (exports and backups made over the host). */
  downloads?: Partial<Record<DownloadFolder, string>>;
}

export interface RunningHost {
  url: string;
  port: number;
  token: string;
  /** Sends an event to every connected client (the manager's progress and store changes). */
  emit<E extends EventName>(name: E, payload: EventMap[E]): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

export function wsPort(socket: WebSocket): Port {
  return {
    send: (m) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(m));
    },
    onMessage: (listener) => {
      const wrapped = (data: Buffer, isBinary: boolean): void => {
        if (isBinary) return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString('utf8'));
        } catch {
          return;
        }
        listener(parsed);
      };
      socket.on('message', wrapped);
      return () => socket.off('message', wrapped);
    },
  };
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://host');
  const relative = decodeURIComponent(url.pathname).replace(/^\/+/u, '') || 'index.html';
  const file = path.resolve(root, relative);
  // Nothing outside the renderer folder, whatever the path says.
  if (file !== root && !file.startsWith(`${root}${path.sep}`)) {
    res.writeHead(404).end();
    return;
  }
  fs.readFile(file, (error, body) => {
    if (error) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res
      .writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      })
      .end(body);
  });
}

export async function startHost(handlers: Handlers, options: HostOptions = {}): Promise<RunningHost> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticRoot = options.staticDir ? path.resolve(options.staticDir) : null;
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://host').pathname;
    if (pathname.startsWith('/download/')) serveDownload(options.downloads ?? {}, (given) => sameToken(given, token), req, res);
    else if (staticRoot && (req.method === 'GET' || req.method === 'HEAD')) serveStatic(staticRoot, req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 16 * 1024 * 1024 });
  let actualPort = 0;
  const connected = new Set<Dispatcher>();

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const origin = req.headers.origin;
    const allowedOrigins = new Set([`http://${host}:${actualPort}`, `http://127.0.0.1:${actualPort}`, `http://localhost:${actualPort}`]);
    const reply = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/ipc') return reply('404 Not Found');
    if (!sameToken(url.searchParams.get('token'), token)) return reply('401 Unauthorized');
    // Browsers always send Origin; a page elsewhere on the web must not drive the catalog.
    if (origin !== undefined && !allowedOrigins.has(origin)) return reply('403 Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => {
      // ws reports a frame it refuses (over maxPayload, invalid UTF-8, a bad opcode) as an
      // 'error' on this socket and then closes it; without a listener that error would end
      // the whole process. The connection goes; the host and its other clients stay.
      ws.on('error', () => ws.terminate());
      const dispatcher = serve(wsPort(ws), handlers);
      connected.add(dispatcher);
      ws.on('close', () => {
        connected.delete(dispatcher);
        dispatcher.close();
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new StrataError('conflict', `Port ${options.port} on ${host} is in use by another program; choose another with --port, or --port 0 for any free port.`, {
              port: options.port,
            })
          : new StrataError('io', `The host could not listen on ${host}:${options.port ?? 0} (${error.message}).`),
      );
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  actualPort = typeof address === 'object' && address ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    token,
    emit(name, payload) {
      for (const dispatcher of connected) dispatcher.emit(name, payload);
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
