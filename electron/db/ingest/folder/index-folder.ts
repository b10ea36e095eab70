/**
 * Indexes a local folder into a collection: walks it, splits every file into segments,
 * hashes each segment while reading the file once, and writes files in batches. A second run
 * reads only what changed: same size and modification time means unchanged; otherwise the
 * file is hashed again, and if its content hash is the same only the time is updated (its
 * upload state is kept), else it is replaced.
 *
 * Nothing in a folder stops the walk: unreadable entries, broken links, symlink loops and
 * special files are reported as problems and skipped.
 */
import fs from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SEGMENT_BYTES, type FileEntry } from '../../../../shared/domain';
import { StrataError, invalidArgument } from '../../../../shared/errors';
import type { IndexResult } from '../../../../shared/results';
import type { CatalogStore, IngestFile } from '../../store';
import { FileHasher, type DuringRead, type FileHashes } from './hash-file';
import { crashPoint } from '../../faults/crash-point';

export interface IndexProgress {
  filesSeen: number;
  filesHashed: number;
  bytesHashed: number;
  elapsedMs: number;
  current: string;
}

export type { IndexProblem, IndexResult } from '../../../../shared/results';

export interface IndexFolderOptions {
  segmentBytes?: number;
  signal?: AbortSignal;
  onProgress?: (p: IndexProgress) => void;
  /** Files per database batch. */
  batchFiles?: number;
  /** Bytes of hashed files per database batch: a batch commits at whichever limit comes first. */
  batchBytes?: number;
  /** Reads of a file that changes while it is read, before it is reported and left for the next index. */
  readAttempts?: number;
  /** Test hook: runs during each read of each file (see FileHasher). */
  duringRead?: DuringRead;
  /** Stop listing problems after this many (they are still counted). */
  maxProblems?: number;
  /**
   * Where links may lead (a confined host): a link whose target's real path this refuses is
   * reported and skipped, so a link inside an allowed folder cannot read a file outside it.
   */
  linkTargetAllowed?: (realPath: string) => boolean;
}

const reasonOf = (error: unknown): string => {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'vanished or a broken link';
    case 'ELOOP':
      return 'symlink loop';
    case 'ENAMETOOLONG':
      return 'path too long for this system';
    case 'EIO':
      return 'read error (the disk may be failing)';
    default:
      return e.message ?? String(error);
  }
};

const mtimeOf = (stat: Stats): number => Math.floor(stat.mtimeMs);

/** 256 MiB: at disk speed a few seconds of hashing, the most a kill can lose. */
export const DEFAULT_BATCH_BYTES = 256 * 1024 * 1024;
/** A file still changing after three reads is being written: it waits for the next index. */
const DEFAULT_READ_ATTEMPTS = 3;

export async function indexFolder(
  store: CatalogStore,
  collectionId: number,
  root: string,
  options: IndexFolderOptions = {},
): Promise<IndexResult> {
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  if (!Number.isSafeInteger(segmentBytes) || segmentBytes < 1024 || segmentBytes > 64 * 1024 * 1024) {
    throw invalidArgument('The segment size must be between 1 KiB and 64 MiB.');
  }
  const rootPath = path.resolve(root);
  let rootStat: Stats;
  try {
    rootStat = await fs.stat(rootPath);
  } catch (error) {
    throw new StrataError('io', `The folder ${rootPath} cannot be read (${reasonOf(error)}).`, { path: rootPath });
  }
  if (!rootStat.isDirectory()) throw invalidArgument(`${rootPath} is not a folder.`);

  const started = performance.now();
  // Two files are read at once: while one waits for the disk the other is hashed, which keeps
  // the disk busy even for small files, where one file alone leaves it idle at every open
  // and at every last buffer.
  const hashers = [await FileHasher.create(segmentBytes), await FileHasher.create(segmentBytes)];
  const batchFiles = options.batchFiles ?? 500;
  const batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
  const readAttempts = Math.max(1, options.readAttempts ?? DEFAULT_READ_ATTEMPTS);
  let pendingBytes = 0;
  const maxProblems = options.maxProblems ?? 1000;
  const result: IndexResult = {
    collectionId,
    filesSeen: 0,
    added: 0,
    replaced: 0,
    touched: 0,
    unchanged: 0,
    gone: [],
    segments: 0,
    bytesHashed: 0,
    problems: [],
    elapsedMs: 0,
  };
  let problemCount = 0;
  const problem = (p: string, reason: string): void => {
    problemCount++;
    if (result.problems.length < maxProblems) result.problems.push({ path: p, reason });
  };
  let batch: IngestFile[] = [];
  let touches: { fileId: number; mtime: number }[] = [];
  let lastProgress = 0;
  const progress = (current: string, always = false): void => {
    const now = performance.now();
    if (!always && now - lastProgress < 200) return;
    lastProgress = now;
    options.onProgress?.({
      filesSeen: result.filesSeen,
      filesHashed: result.added + result.replaced + result.touched,
      bytesHashed: result.bytesHashed,
      elapsedMs: now - started,
      current,
    });
  };
  const flush = async (): Promise<void> => {
    if (batch.length > 0) {
      const r = await store.ingest(collectionId, [{ files: batch }], { onExisting: 'replace' });
      result.segments += r.segments;
      batch = [];
      pendingBytes = 0;
      crashPoint('index:committed');
    }
    if (touches.length > 0) {
      await store.updateFileMtimes(touches);
      touches = [];
    }
  };

  /** Catalogued files of one folder, by name; empty when the folder is new. */
  const known = async (relDir: string): Promise<Map<string, FileEntry>> => {
    const map = new Map<string, FileEntry>();
    const resolved = await store.resolvePath(collectionId, relDir);
    if (resolved?.kind !== 'folder') return map;
    let cursor: string | null = null;
    do {
      const page = await store.listFiles({ collectionId, folderId: resolved.folder.id, limit: 1000, cursor });
      for (const f of page.items) map.set(f.name, f);
      cursor = page.nextCursor;
    } while (cursor);
    return map;
  };

  // Folders by device and inode. A link to a folder on the current path (an ancestor) is a
  // loop and is reported; a link to a folder indexed elsewhere is an alias (`g++ -> cpp` in
  // /usr/share/doc), whose files are already in the catalog under their own path: skipped
  // without a word, since it is not a problem with the folder.
  const visited = new Set<string>();
  const ancestors = new Set<string>();
  const walk = async (dir: string, relDir: string, stat: Stats): Promise<void> => {
    const id = `${stat.dev}:${stat.ino}`;
    if (ancestors.has(id)) {
      problem(dir, 'symlink loop (links to a folder that contains it); skipped');
      return;
    }
    if (visited.has(id)) return;
    visited.add(id);
    ancestors.add(id);
    try {
      await walkFolder(dir, relDir);
    } finally {
      ancestors.delete(id);
    }
  };
  const walkFolder = async (dir: string, relDir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      problem(dir, reasonOf(error));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const catalogued = await known(relDir);
    const seen = new Set<string>();
    const subdirs: [string, string, Stats][] = [];
    const toHash: { full: string; rel: string; name: string; mtime: number; before: FileEntry | undefined }[] = [];
    for (const entry of entries) {
      if (options.signal?.aborted) throw new StrataError('cancelled', 'Indexing was cancelled; files indexed so far were kept.');
      const full = path.join(dir, entry.name);
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      let st: Stats;
      try {
        if (options.linkTargetAllowed && entry.isSymbolicLink() && !options.linkTargetAllowed(await fs.realpath(full))) {
          problem(full, 'a link leading outside the folders this host may read; skipped');
          continue;
        }
        // Follows links, so a linked folder or file is indexed as what it points to.
        st = await fs.stat(full);
      } catch (error) {
        problem(full, reasonOf(error));
        continue;
      }
      if (st.isDirectory()) {
        subdirs.push([full, rel, st]);
        continue;
      }
      if (!st.isFile()) {
        problem(full, 'not a regular file (device, pipe or socket); skipped');
        continue;
      }
      result.filesSeen++;
      seen.add(entry.name);
      const before = catalogued.get(entry.name);
      const mtime = mtimeOf(st);
      if (before && before.size === st.size && before.mtime === mtime) {
        result.unchanged++;
        continue;
      }
      toHash.push({ full, rel, name: entry.name, mtime, before });
    }

    /**
     * Reads a file until one read saw it unchanged from first byte to last, at most
     * `readAttempts` times; a file still changing is returned as it was last seen, marked.
     */
    const hashSettled = async (hasher: FileHasher, full: string): Promise<FileHashes & { attempts: number }> => {
      for (let attempt = 1; ; attempt++) {
        const hashes = await hasher.hash(full, options.signal, options.duringRead);
        if (hashes.changed === null || attempt >= readAttempts) return { ...hashes, attempts: attempt };
      }
    };
    let nextToStart = 0;
    const hashed: ((FileHashes & { attempts: number }) | Error | undefined)[] = [];
    const waiters = new Map<number, () => void>();
    const runHasher = async (hasher: FileHasher): Promise<void> => {
      while (nextToStart < toHash.length) {
        const i = nextToStart++;
        const job = toHash[i] as (typeof toHash)[number];
        try {
          hashed[i] = await hashSettled(hasher, job.full);
        } catch (error) {
          hashed[i] = error as Error;
        }
        waiters.get(i)?.();
      }
    };
    const workers = hashers.map((h) => runHasher(h));
    for (let i = 0; i < toHash.length; i++) {
      if (hashed[i] === undefined) await new Promise<void>((resolve) => waiters.set(i, resolve));
      const job = toHash[i] as (typeof toHash)[number];
      const outcome = hashed[i];
      hashed[i] = undefined;
      if (outcome instanceof Error || outcome === undefined) {
        if (outcome instanceof StrataError) {
          await Promise.allSettled(workers);
          throw outcome;
        }
        problem(job.full, reasonOf(outcome));
        continue;
      }
      result.bytesHashed += outcome.size;
      if (outcome.changed !== null) {
        // Never recorded from a read that saw the file change: its size or hashes could be of
        // no version the file ever had. Its catalogue entry (if any) stays, so the next index,
        // seeing another size or time, reads it again.
        problem(job.full, `changed while it was being read, ${outcome.attempts} times (${outcome.changed}); not recorded, the next index reads it again`);
        continue;
      }
      if (outcome.attempts > 1) problem(job.full, `changed while it was being read; read again (${outcome.attempts} reads) and recorded as it is now`);
      const before = job.before;
      if (before && before.contentHash === outcome.contentHash && before.size === outcome.size) {
        touches.push({ fileId: before.id, mtime: outcome.mtime });
        result.touched++;
      } else {
        batch.push({ path: job.rel, size: outcome.size, mtime: outcome.mtime, contentHash: outcome.contentHash, segments: outcome.segments });
        pendingBytes += outcome.size;
        if (before) result.replaced++;
        else result.added++;
      }
      // By bytes as well as files: a batch of a few huge files commits long before 500 of them,
      // so a kill loses at most about batchBytes of hashing.
      if (batch.length >= batchFiles || touches.length >= batchFiles || pendingBytes >= batchBytes) {
        await flush();
        progress(job.full, true);
      } else {
        progress(job.full);
      }
    }
    await Promise.all(workers);
    for (const name of catalogued.keys()) if (!seen.has(name)) result.gone.push(relDir ? `${relDir}/${name}` : name);
    for (const [full, rel, st] of subdirs) await walk(full, rel, st);
  };

  try {
    await walk(rootPath, '', rootStat);
    await flush();
  } catch (error) {
    // A cancel keeps what was hashed: the pending batch is written before giving up.
    if (error instanceof StrataError && error.code === 'cancelled') await flush();
    throw error;
  } finally {
    result.elapsedMs = performance.now() - started;
  }
  if (problemCount > result.problems.length) {
    result.problems.push({ path: rootPath, reason: `${problemCount - result.problems.length} more problems not listed` });
  }
  return result;
}
