/**
 * Room kept back for cleaning up after a full disk. A data folder holds `reserve.bin`, a few
 * megabytes of real blocks (written, not sparse). When the disk is full, every SQLite open
 * needs a little room (the -shm index of a WAL database; SQLITE_IOERR_SHMSIZE without it), as
 * do the deletes that take back a failed import or a paused move: releasing the reserve first
 * lets `migrate --discard` and the removal of a failed import run. It is written again once
 * the disk has room.
 */
import fs from 'node:fs';
import path from 'node:path';
import { freeDiskBytes } from './free-disk';

export const RESERVE_FILE = 'reserve.bin';

export interface ReserveOptions {
  bytes: number;
  /** The reserve is (re)written only when at least this much is free, so it never takes the last room. */
  writeWhenFreeAbove: number;
}

export const DEFAULT_RESERVE: ReserveOptions = { bytes: 8_000_000, writeWhenFreeAbove: 256_000_000 };

const fileOf = (dataDir: string): string => path.join(dataDir, RESERVE_FILE);

/** Writes the reserve when it is missing and the disk has room; never fails the caller. */
export function ensureReserve(dataDir: string, options: ReserveOptions = DEFAULT_RESERVE): boolean {
  const file = fileOf(dataDir);
  try {
    if (fs.existsSync(file)) return true;
    if (freeDiskBytes(dataDir) < options.writeWhenFreeAbove) return false;
    const partial = `${file}.partial`;
    const fd = fs.openSync(partial, 'w', 0o600);
    try {
      const chunk = Buffer.alloc(Math.min(1 << 20, options.bytes));
      for (let written = 0; written < options.bytes; written += chunk.length) fs.writeSync(fd, chunk, 0, Math.min(chunk.length, options.bytes - written));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(partial, file);
    return true;
  } catch {
    fs.rmSync(`${file}.partial`, { force: true });
    return false;
  }
}

/** Gives the reserve's room back to the disk; true when there was one. */
export function releaseReserve(dataDir: string): boolean {
  try {
    fs.unlinkSync(fileOf(dataDir));
    return true;
  } catch {
    return false;
  }
}

/** At open: on a disk this full, the reserve goes first, so the open and any cleanup can write. */
export function releaseReserveIfFull(dataDir: string, options: ReserveOptions = DEFAULT_RESERVE): boolean {
  try {
    if (!fs.existsSync(fileOf(dataDir)) || freeDiskBytes(dataDir) >= options.bytes * 2) return false;
  } catch {
    return false;
  }
  return releaseReserve(dataDir);
}
