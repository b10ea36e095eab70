/**
 * Uploads and downloads for a client that cannot name files on the host's machine (a browser
 * on the headless host). An NZB is sent in bounded base64 chunks into `<data>/uploads/`, then
 * imported by its upload id; an export or backup made under `<data>/exports/` or
 * `<data>/backups/` is fetched with an HTTP GET of `/download/<download>?token=`.
 */
import { z } from 'zod';

const MiB = 1024 * 1024;

export const UPLOAD_LIMITS = {
  /** Largest file one upload may carry. */
  fileBytes: 512 * MiB,
  /** Largest decoded chunk; its base64 text stays far below the WebSocket's message limit. */
  chunkBytes: 1 * MiB,
  /** Bytes one connection may hold in unfinished or unimported uploads at once. */
  connectionBytes: 1024 * MiB,
  /** An upload not imported within this time is removed. */
  ttlMs: 60 * 60 * 1000,
} as const;

/** 24 random bytes, base64url: unguessable, and safe as a folder name on every platform. */
export const uploadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{32}$/u, 'an upload id as uploads/begin returned it');

/** A file name as the user's browser knows it: no folders, no control characters. */
export const uploadNameSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\\u0000-\u001f\u007f]+$/u, 'a file name without folders or control characters')
  .refine((n) => n !== '.' && n !== '..', 'a file name, not "." or ".."')
  .refine((n) => /\.nzb(\.gz)?$/iu.test(n), 'an .nzb or .nzb.gz file name');

const base64Limit = 4 * Math.ceil(UPLOAD_LIMITS.chunkBytes / 3);

export const uploadBeginArgs = z.object({ name: uploadNameSchema, bytes: z.number().int().min(1).max(UPLOAD_LIMITS.fileBytes) }).strict();
export const uploadBeginResult = z.object({ uploadId: uploadIdSchema, chunkBytes: z.number(), expiresAt: z.number() });
export const uploadChunkArgs = z
  .object({
    uploadId: uploadIdSchema,
    offset: z.number().int().min(0).max(UPLOAD_LIMITS.fileBytes),
    data: z.string().min(1).max(base64Limit).regex(/^[A-Za-z0-9+/]+={0,2}$/u, 'base64 text'),
  })
  .strict();
export const uploadIdArgs = z.object({ uploadId: uploadIdSchema }).strict();
export const uploadFinishResult = z.object({ uploadId: uploadIdSchema, name: z.string(), bytes: z.number() });

/**
 * Where a result made under the data folder's exports/ or backups/ can be fetched:
 * `exports/<name>` or `backups/<name>`, one file name below one of the two folders.
 */
export const downloadSchema = z.string().regex(/^(exports|backups)\/[^/\\]+$/u);
export type DownloadFolder = 'exports' | 'backups';

/** The path of a download on the host; the token goes as a query parameter, as for /ipc. */
export function downloadHref(download: string, token: string): string {
  const [folder, name] = download.split('/') as [string, string];
  return `/download/${folder}/${encodeURIComponent(name)}?token=${encodeURIComponent(token)}`;
}
