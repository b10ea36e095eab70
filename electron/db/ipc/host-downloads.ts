/**
 * GET /download/<folder>/<name>?token=: a browser fetches an export or a backup that a call
 * made over the host. Only a regular file directly inside one of the configured folders is
 * served (no links, no dot files, no unfinished `.partial`), always as an attachment, so a
 * downloaded NZB is saved, never rendered by the page's origin.
 */
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import type { DownloadFolder } from '../../../shared/ipc/transfer-schemas';

const TYPES: Record<string, string> = { '.nzb': 'application/x-nzb', '.gz': 'application/gzip' };

function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/gu, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function serveDownload(
  folders: Partial<Record<DownloadFolder, string>>,
  tokenMatches: (given: string | null) => boolean,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  const plain = (status: number, text: string): void => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(text);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'Downloads are fetched with GET.');
  const url = new URL(req.url ?? '/', 'http://host');
  const bearer = /^Bearer (.+)$/u.exec(req.headers.authorization ?? '')?.[1] ?? null;
  if (!tokenMatches(url.searchParams.get('token') ?? bearer)) return plain(401, 'This download needs the host\'s token (?token=).');
  const parts = url.pathname.split('/');
  const [, , folder, encoded, ...rest] = parts;
  const root = folder === 'exports' || folder === 'backups' ? folders[folder] : undefined;
  let name: string;
  try {
    name = decodeURIComponent(encoded ?? '');
  } catch {
    return plain(400, 'The file name in this address is not valid.');
  }
  if (!root || rest.length > 0 || name === '' || name.startsWith('.') || /[/\\\u0000-\u001f]/u.test(name) || name.endsWith('.partial')) {
    return plain(404, 'Not found');
  }
  const file = path.join(root, name);
  // O_NOFOLLOW: a link under a served name is refused, not followed out of the folder.
  fs.open(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0), (openError, fd) => {
    if (openError) return plain(404, 'Not found');
    fs.fstat(fd, (statError, stat) => {
      if (statError || !stat.isFile()) {
        fs.close(fd, () => plain(404, 'Not found'));
        return;
      }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream',
        'content-length': stat.size,
        'content-disposition': contentDisposition(name),
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      if (req.method === 'HEAD') {
        fs.close(fd, () => res.end());
        return;
      }
      const stream = fs.createReadStream('', { fd });
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    });
  });
}
