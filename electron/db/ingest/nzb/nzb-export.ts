/**
 * Exports a file, a folder (with everything below it) or a whole collection as an NZB that
 * SABnzbd and NZBGet read. Streamed page by page to `<target>.partial`, then renamed, so a
 * cancelled or failed export never leaves a truncated NZB under the chosen name. Only segments
 * with a message-id can be fetched from Usenet; files with none are left out and counted.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import type { FileEntry, Folder } from '../../../../shared/domain';
import { StrataError, notFound } from '../../../../shared/errors';
import type { CatalogReader } from '../../store';
import type { NzbHead, NzbSegment } from './nzb-types';
import { isValidMessageId } from './nzb-ids';
import { NZB_EPILOGUE, NZB_PROLOGUE, nzbFile, nzbHead } from './nzb-writer';

export interface ExportNzbOptions {
  collectionId: number;
  /** A file or folder path inside the collection; omitted or '' for the whole collection. */
  path?: string;
  signal?: AbortSignal;
  onProgress?: (p: { files: number; segments: number }) => void;
  /** false: an existing file under the target name is never replaced (the confined host). */
  overwrite?: boolean;
}

export interface ExportNzbResult {
  path: string;
  files: number;
  segments: number;
  bytes: number;
  /** Files with no posted segment, which an NZB cannot describe. */
  skippedFiles: number;
  /** Segments without a usable message-id (none, or one an NZB cannot carry) in the files that were exported. */
  skippedSegments: number;
}

/**
 * Waits for `event` on a write stream, or ends with the stream's error once it closes without
 * it: a failed write (a full disk) destroys the stream, and neither 'drain' nor 'finish' comes.
 */
async function untilEvent(stream: fs.WriteStream, event: 'drain' | 'finish', failure: () => Error | null): Promise<void> {
  if (stream.destroyed) throw failure() ?? new StrataError('io', `Writing ${String(stream.path)} stopped unexpectedly.`);
  const done = new AbortController();
  try {
    const closed = await Promise.race([
      once(stream, event, { signal: done.signal }).then(() => false),
      once(stream, 'close', { signal: done.signal }).then(
        () => true,
        () => true,
      ),
    ]);
    if (closed) throw failure() ?? new StrataError('io', `Writing ${String(stream.path)} stopped unexpectedly.`);
  } finally {
    // Takes the listener that did not fire off the stream.
    done.abort();
  }
}

async function* filesUnder(store: CatalogReader, collectionId: number, folder: Folder): AsyncGenerator<FileEntry> {
  // Depth-first, folders before their files' siblings, each level in name order.
  let cursor: string | null = null;
  do {
    const page = await store.listFiles({ collectionId, folderId: folder.id, sort: 'name', limit: 500, cursor });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
  cursor = null;
  do {
    const page = await store.listFolders({ collectionId, parentId: folder.id, limit: 500, cursor });
    for (const child of page.items) yield* filesUnder(store, collectionId, child);
    cursor = page.nextCursor;
  } while (cursor);
}

export async function exportNzb(store: CatalogReader, target: string, options: ExportNzbOptions): Promise<ExportNzbResult> {
  const collection = await store.getCollection(options.collectionId);
  const resolved = await store.resolvePath(collection.id, options.path ?? '');
  if (!resolved) throw notFound(`There is no file or folder "${options.path}" in the collection "${collection.name}".`);
  const files: AsyncIterable<FileEntry> =
    resolved.kind === 'file'
      ? (async function* () {
          yield resolved.file;
        })()
      : filesUnder(store, collection.id, resolved.folder);

  const final = path.resolve(target);
  const partial = `${final}.partial`;
  // Opened on the first file to write, so an export with nothing in it creates nothing.
  let out: fs.WriteStream | null = null;
  let streamError: Error | null = null;
  const write = async (text: string): Promise<void> => {
    if (!out) {
      fs.mkdirSync(path.dirname(final), { recursive: true });
      out = fs.createWriteStream(partial, { flags: options.overwrite === false ? 'wx' : 'w' });
      out.on('error', (error) => (streamError = error));
    }
    if (streamError) throw streamError;
    if (!out.write(text)) await untilEvent(out, 'drain', () => streamError);
  };
  const result: ExportNzbResult = { path: final, files: 0, segments: 0, bytes: 0, skippedFiles: 0, skippedSegments: 0 };
  try {
    let headWritten = false;
    for await (const file of files) {
      if (options.signal?.aborted) throw new StrataError('cancelled', 'The export was cancelled; no file was written.');
      if (!headWritten) {
        await write(NZB_PROLOGUE + nzbHead(await headFor(store, collection.id, collection.name, resolved, file)));
        headWritten = true;
      }
      const detail = await store.getFile(file.id);
      const segments: NzbSegment[] = [];
      let after = 0;
      for (;;) {
        const page = await store.getSegments({ fileId: file.id, afterNumber: after, limit: 10_000 });
        for (const s of page) {
          // A message-id with whitespace, a control character or an angle bracket (imported before
          // Strata checked them, or written by another tool) is left out like a missing one.
          if (s.messageId && isValidMessageId(s.messageId)) segments.push({ number: s.number, bytes: s.bytes, messageId: s.messageId });
          else result.skippedSegments++;
        }
        if (page.length < 10_000) break;
        after = (page[page.length - 1] as { number: number }).number;
      }
      if (segments.length === 0) {
        result.skippedFiles++;
        continue;
      }
      const date = detail.postedAt ?? detail.mtime;
      await write(
        nzbFile({
          subject: detail.subject ?? `"${detail.name}" yEnc (1/${segments.length}) ${detail.size}`,
          poster: detail.poster,
          date: date === null ? null : Math.floor(date / 1000),
          groups: detail.groups,
          segments,
        }),
      );
      result.files++;
      result.segments += segments.length;
      for (const s of segments) result.bytes += s.bytes;
      options.onProgress?.({ files: result.files, segments: result.segments });
    }
    if (result.files === 0) {
      throw new StrataError(
        'not-found',
        'Nothing to export: none of these files has a posted segment (a message-id). Post them, or attach the uploader\'s NZB first.',
        { skippedFiles: result.skippedFiles },
      );
    }
    await write(NZB_EPILOGUE);
    const stream = out as fs.WriteStream | null;
    if (stream) {
      // The epilogue's write went through write(), which threw on an error seen so far.
      stream.end();
      await untilEvent(stream, 'finish', () => streamError);
    }
    // Set from the stream's error event, which TypeScript cannot see happen.
    const failed = streamError as Error | null;
    if (failed) throw failed;
    if (options.overwrite === false) {
      // A hard link fails if the name was taken meanwhile, where a rename would replace it.
      try {
        fs.linkSync(partial, final);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new StrataError('conflict', `${final} already exists; choose another name.`, { destination: final });
        throw error;
      }
      fs.rmSync(partial, { force: true });
    } else fs.renameSync(partial, final);
    return result;
  } catch (error) {
    const stream = out as fs.WriteStream | null;
    if (stream) {
      // A stream a failed write destroyed has closed already, and 'close' does not come twice.
      if (!stream.closed) {
        const closing = once(stream, 'close').catch(() => undefined);
        stream.destroy();
        await closing;
      }
    }
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

/** An NZB made from one imported NZB carries that NZB's meta; anything else is titled by its scope. */
async function headFor(
  store: CatalogReader,
  collectionId: number,
  collectionName: string,
  resolved: NonNullable<Awaited<ReturnType<CatalogReader['resolvePath']>>>,
  first: FileEntry,
): Promise<NzbHead> {
  if (resolved.kind === 'folder' && first.nzbSourceId !== null && resolved.folder.parentId !== null) {
    const sourceFolder = await store.resolvePath(collectionId, first.relPath.slice(0, first.relPath.lastIndexOf('/')));
    if (sourceFolder?.kind === 'folder' && sourceFolder.folder.id === resolved.folder.id) {
      const source = await store.getNzbSource(collectionId, { id: first.nzbSourceId });
      if (source) {
        // A password that came from the NZB's file name ({{pw}}) travels in the meta from now on.
        const passwords = [...new Set([...(source.meta.password ?? []), ...source.passwords])];
        return { meta: { ...source.meta, ...(passwords.length > 0 ? { password: passwords } : {}) } };
      }
    }
  }
  const title = resolved.kind === 'file' ? resolved.file.name : resolved.folder.parentId === null ? collectionName : resolved.folder.name;
  return { meta: { title: [title] } };
}
