/**
 * Sends files to the headless host in chunks (uploads/begin, chunk, finish) and returns their
 * upload ids for nzb/import. A cancel or a failure discards what was sent, so nothing is left
 * held on the host. The transport is the typed API's upload functions, passed in.
 */
import { StrataError } from '../../../../shared/errors';
import { chunkPlan, toBase64 } from './upload-plan';

export interface UploadTransport {
  begin(name: string, bytes: number, signal: AbortSignal): Promise<{ uploadId: string; chunkBytes: number }>;
  chunk(uploadId: string, offset: number, data: string, signal: AbortSignal): Promise<{ received: number }>;
  finish(uploadId: string, signal: AbortSignal): Promise<unknown>;
  discard(uploadId: string): Promise<unknown>;
}

export interface UploadProgress {
  /** Bytes sent over all files, and in all. */
  sent: number;
  total: number;
  current: string;
}

/** The blob-like part of a File that uploading needs (a File in the page, a Blob in tests). */
export interface UploadSource {
  name: string;
  size: number;
  slice(start: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

export async function uploadFiles(files: readonly UploadSource[], transport: UploadTransport, options: { signal: AbortSignal; onProgress?: (p: UploadProgress) => void }): Promise<string[]> {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  let sent = 0;
  const ids: string[] = [];
  try {
    for (const file of files) {
      if (options.signal.aborted) throw new StrataError('cancelled', 'The upload was cancelled.');
      options.onProgress?.({ sent, total, current: file.name });
      const { uploadId, chunkBytes } = await transport.begin(file.name, file.size, options.signal);
      ids.push(uploadId);
      for (const c of chunkPlan(file.size, chunkBytes)) {
        if (options.signal.aborted) throw new StrataError('cancelled', 'The upload was cancelled.');
        const bytes = new Uint8Array(await file.slice(c.offset, c.offset + c.length).arrayBuffer());
        await transport.chunk(uploadId, c.offset, toBase64(bytes), options.signal);
        sent += c.length;
        options.onProgress?.({ sent, total, current: file.name });
      }
      await transport.finish(uploadId, options.signal);
    }
    return ids;
  } catch (error) {
    // What was sent is useless without its import: free the host's space now, not in an hour.
    await Promise.all(ids.map((id) => transport.discard(id).catch(() => undefined)));
    throw error;
  }
}
