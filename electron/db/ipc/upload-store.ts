/**
 * NZB files a browser sends to the host before importing them: each upload is one folder
 * `<data>/uploads/<id>/` holding the file under its own name (the importer reads a title and a
 * `{{password}}` from the name). Chunks arrive in order and are written where they belong; the
 * sizes are fixed at begin, so nothing grows past what was declared. An upload is removed after
 * its import, on discard, or an hour after it began.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StrataError, invalidArgument, notFound } from '../../../shared/errors';
import { formatBytes } from '../../../shared/format';
import { UPLOAD_LIMITS } from '../../../shared/ipc/transfer-schemas';
import { freeDiskBytes } from '../free-disk';

interface Upload {
  id: string;
  session: object;
  name: string;
  file: string;
  bytes: number;
  received: number;
  expiresAt: number;
  handle: fs.promises.FileHandle | null;
  writing: boolean;
  finished: boolean;
}

export interface UploadLimits {
  fileBytes: number;
  chunkBytes: number;
  connectionBytes: number;
  ttlMs: number;
}

/** Keeps this much free beyond an upload, so an upload never takes the last bytes the catalog needs. */
const DISK_MARGIN_BYTES = 64 * 1024 * 1024;

export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly dir: string,
    private readonly limits: UploadLimits = UPLOAD_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.removeStaleFolders();
    // Unreferenced: a forgotten upload must not keep the process alive, only be swept.
    this.timer = setInterval(() => void this.sweep(), Math.min(this.limits.ttlMs, 5 * 60 * 1000));
    this.timer.unref();
  }

  async begin(session: object, name: string, bytes: number): Promise<{ uploadId: string; chunkBytes: number; expiresAt: number }> {
    await this.sweep();
    if (bytes > this.limits.fileBytes) throw invalidArgument(`${name} is ${formatBytes(bytes)}; an upload may be at most ${formatBytes(this.limits.fileBytes)}.`, { bytes });
    const held = [...this.uploads.values()].filter((u) => u.session === session).reduce((sum, u) => sum + u.bytes, 0);
    if (held + bytes > this.limits.connectionBytes) {
      throw new StrataError(
        'busy',
        `This connection already holds ${formatBytes(held)} of uploads, and ${formatBytes(this.limits.connectionBytes)} is the most it may hold; import or discard them first.`,
        { held, limit: this.limits.connectionBytes },
      );
    }
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const free = freeDiskBytes(this.dir);
    if (free < bytes + DISK_MARGIN_BYTES) {
      throw new StrataError('disk-full', `The disk holding ${this.dir} has ${formatBytes(free)} free; ${name} needs ${formatBytes(bytes)} and Strata keeps ${formatBytes(DISK_MARGIN_BYTES)} spare. Free some space and upload again.`, {
        free,
        bytes,
      });
    }
    const id = randomBytes(24).toString('base64url');
    const folder = path.join(this.dir, id);
    fs.mkdirSync(folder, { mode: 0o700 });
    // Characters Windows refuses in a file name become '_'; the name still ends in .nzb.
    const file = path.join(folder, name.replace(/[<>:"|?*]/gu, '_'));
    const handle = await fs.promises.open(file, 'wx', 0o600);
    const upload: Upload = { id, session, name, file, bytes, received: 0, expiresAt: this.now() + this.limits.ttlMs, handle, writing: false, finished: false };
    this.uploads.set(id, upload);
    return { uploadId: id, chunkBytes: this.limits.chunkBytes, expiresAt: upload.expiresAt };
  }

  async chunk(uploadId: string, offset: number, base64: string): Promise<{ received: number }> {
    const upload = this.get(uploadId);
    if (upload.finished || !upload.handle) throw new StrataError('conflict', `The upload of ${upload.name} is already finished.`, { uploadId });
    if (upload.writing) throw new StrataError('busy', `A chunk of ${upload.name} is still being written; send the next one when it is acknowledged.`, { uploadId });
    if (offset !== upload.received) {
      throw invalidArgument(`The upload of ${upload.name} has ${upload.received} bytes; the next chunk starts there, not at ${offset}.`, { uploadId, received: upload.received, offset });
    }
    const data = Buffer.from(base64, 'base64');
    if (data.length === 0 || data.length > this.limits.chunkBytes) throw invalidArgument(`A chunk carries 1 byte to ${formatBytes(this.limits.chunkBytes)}; this one had ${data.length}.`);
    if (offset + data.length > upload.bytes) {
      throw invalidArgument(`${upload.name} was announced as ${upload.bytes} bytes; this chunk would make it ${offset + data.length}.`, { uploadId, bytes: upload.bytes });
    }
    upload.writing = true;
    try {
      await upload.handle.write(data, 0, data.length, offset);
    } catch (error) {
      await this.discard(uploadId);
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC') {
        throw new StrataError('disk-full', `The disk holding ${this.dir} filled while ${upload.name} was uploaded; the upload was removed. Free some space and upload again.`, { uploadId });
      }
      throw new StrataError('io', `The upload of ${upload.name} could not be written (${(error as Error).message}); it was removed.`, { uploadId });
    } finally {
      upload.writing = false;
    }
    upload.received += data.length;
    return { received: upload.received };
  }

  async finish(uploadId: string): Promise<{ uploadId: string; name: string; bytes: number }> {
    const upload = this.get(uploadId);
    if (!upload.finished) {
      if (upload.received !== upload.bytes) {
        throw invalidArgument(`The upload of ${upload.name} has ${upload.received} of its ${upload.bytes} bytes; send the rest before finishing it.`, { uploadId });
      }
      await upload.handle?.sync();
      await upload.handle?.close();
      upload.handle = null;
      upload.finished = true;
    }
    return { uploadId, name: upload.name, bytes: upload.bytes };
  }

  /** The file of a finished upload, for the importer. */
  fileOf(uploadId: string): string {
    const upload = this.get(uploadId);
    if (!upload.finished) throw invalidArgument(`The upload of ${upload.name} is not finished; call uploads/finish first.`, { uploadId });
    return upload.file;
  }

  async discard(uploadId: string): Promise<boolean> {
    const upload = this.uploads.get(uploadId);
    if (!upload) return false;
    this.uploads.delete(uploadId);
    await upload.handle?.close().catch(() => undefined);
    fs.rmSync(path.dirname(upload.file), { recursive: true, force: true });
    return true;
  }

  /** Removes uploads past their hour. */
  async sweep(): Promise<void> {
    const now = this.now();
    for (const upload of [...this.uploads.values()]) if (upload.expiresAt <= now && !upload.writing) await this.discard(upload.id);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private get(uploadId: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw notFound(`There is no upload ${uploadId}: it was imported, discarded, or expired after an hour. Upload the file again.`, { uploadId });
    return upload;
  }

  /** Folders an earlier process left (it stopped before importing them), once they are past their hour. */
  private removeStaleFolders(): void {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(this.dir, { withFileTypes: true });
    } catch {
      return;
    }
    const cutoff = this.now() - this.limits.ttlMs;
    for (const entry of entries) {
      const full = path.join(this.dir, entry.name);
      try {
        if (fs.lstatSync(full).mtimeMs < cutoff) fs.rmSync(full, { recursive: true, force: true });
      } catch {
        // Gone already, or not ours to judge: the next sweep tries again.
      }
    }
  }
}
