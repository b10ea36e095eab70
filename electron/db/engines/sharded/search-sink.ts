/**
 * One ingest batch's full-text rows on their way to the search file's writer: the catalog
 * thread adds each file as it writes it; full chunks leave at once, so the search writer
 * indexes while the catalog thread is still inserting files. The batch commits there only
 * after the catalog committed it (search-file.ts), and nothing here waits for that thread.
 */
import type { SearchCommand, SearchRows } from './search-protocol';
import { TextColumnBuilder } from './segment-columns';
import type { ShardWriter } from './shard-writer';

/** Files per message: large enough to amortise messaging, small enough to start early. */
const CHUNK_FILES = 2_048;

export type SearchWriter = ShardWriter<SearchCommand>;

export class SearchSink {
  private count = 0;
  private fileIds = new Float64Array(CHUNK_FILES);
  private readonly names = new TextColumnBuilder(CHUNK_FILES);
  private readonly folders = new TextColumnBuilder(CHUNK_FILES);
  private readonly subjects = new TextColumnBuilder(CHUNK_FILES);

  constructor(private readonly writer: SearchWriter) {}

  add(fileId: number, name: string, folder: string, subject: string | null): void {
    const i = this.count++;
    this.fileIds[i] = fileId;
    this.names.set(i, name);
    this.folders.set(i, folder);
    this.subjects.set(i, subject);
    if (this.count === CHUNK_FILES) this.flush();
  }

  private flush(): void {
    if (this.count === 0) return;
    const rows: SearchRows = { count: this.count, fileIds: this.fileIds, names: this.names.take(), folders: this.folders.take(), subjects: this.subjects.take() };
    this.count = 0;
    this.fileIds = new Float64Array(CHUNK_FILES);
    const transfer = [rows.fileIds, rows.names.lengths, rows.folders.lengths, rows.subjects.lengths].map((a) => a.buffer as ArrayBuffer);
    this.writer.post({ op: 'rows', rows }, transfer);
  }

  /** After the catalog committed the batch: every file up to `upTo` is in it. */
  commit(upTo: number): void {
    this.flush();
    this.writer.post({ op: 'commit', upTo });
  }

  /** The catalog rolled the batch back. */
  abort(): void {
    this.count = 0;
    for (const column of [this.names, this.folders, this.subjects]) column.take();
    this.writer.post({ op: 'rollback' });
  }
}
