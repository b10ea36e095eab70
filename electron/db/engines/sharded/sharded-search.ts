/**
 * The search file of a sharded store as the catalog thread sees it: its writer thread, and the
 * read connection searches run on. search-file.ts has the file and its consistency rule.
 */
import path from 'node:path';
import type { SearchPage } from '../../../../shared/domain';
import type { SearchPageQuery } from '../../store-front/engine-core';
import type { SqliteDatabase, SqliteTuning } from '../sqlite/open-database';
import { searchFiles } from '../sqlite/sqlite-search';
import { sqliteFileBytes } from '../sqlite/sqlite-maintenance';
import { CATALOG_ALIAS, SEARCH_FILE, openSearchFileForWriting, openSearchReader } from './search-file';
import type { SearchCommand } from './search-protocol';
import { SearchSink, type SearchWriter } from './search-sink';
import { ShardWriter } from './shard-writer';

/** Its page cache holds the index and the catalog's files pages that searches join. */
export const SEARCH_TUNING: SqliteTuning = { cacheMiB: 32, mmapMiB: 256, busyTimeoutMs: 5000 };

export class ShardedSearch {
  private reader: SqliteDatabase | null = null;

  private constructor(
    readonly file: string,
    private readonly catalogFile: string,
    private readonly storeUid: string,
    private readonly writer: SearchWriter | null,
    /** The file was made anew at this open: every file of the catalog must be indexed into it. */
    private readonly created: boolean,
  ) {}

  /** Read-only folders get no writer; a missing search file there leaves searching to the catalog's own index. */
  static open(dir: string, catalogFile: string, storeUid: string, readOnly: boolean): ShardedSearch {
    const file = path.join(dir, SEARCH_FILE);
    if (readOnly) {
      const search = new ShardedSearch(file, catalogFile, storeUid, null, false);
      search.reader = openSearchReader(file, catalogFile, storeUid, SEARCH_TUNING, true);
      return search;
    }
    const { db, created } = openSearchFileForWriting(file, storeUid, SEARCH_TUNING);
    db.close();
    const writer = new ShardWriter<SearchCommand>({ file, catalogFile, tuning: SEARCH_TUNING }, 'the search file', 'search-writer-worker');
    return new ShardedSearch(file, catalogFile, storeUid, writer, created);
  }

  /**
   * At open, while the catalog connection writes nothing: files the catalog committed after
   * the search file's last commit are indexed (all of them when the file is new). A store from
   * before the search file had its index in the catalog; that copy is emptied once this one holds
   * everything. Returns the rows indexed.
   */
  async recover(catalog: SqliteDatabase): Promise<number> {
    if (!this.writer) return 0;
    const added = await this.writer.request<number>({ op: this.created ? 'rebuild' : 'catch-up' });
    if (this.created) catalog.prepare("INSERT INTO files_fts (files_fts) VALUES ('delete-all')").run();
    this.openReader();
    return added;
  }

  private openReader(): void {
    this.reader ??= openSearchReader(this.file, this.catalogFile, this.storeUid, SEARCH_TUNING, false);
  }

  /** A sink for one ingest batch's rows, or null where nothing may be written. */
  sink(): SearchSink | null {
    return this.writer ? new SearchSink(this.writer) : null;
  }

  /** Null when there is no usable search file (the caller searches the catalog's own index). */
  search(query: SearchPageQuery): SearchPage | null {
    return this.reader ? searchFiles(this.reader, query) : null;
  }

  /** Waits until the writer has handled everything sent so far; rejects with a batch it could not commit. */
  async settle(): Promise<void> {
    await this.writer?.request({ op: 'sync' });
  }

  async purge(fileIds: number[]): Promise<void> {
    await this.writer?.request({ op: 'purge', fileIds });
  }

  /** Indexes the files the catalog committed above the search file's mark; under the store's lock held alone. */
  async catchUp(): Promise<number> {
    return this.writer ? this.writer.request<number>({ op: 'catch-up' }) : 0;
  }

  /** Indexes every file of the catalog anew (after a migration's load, or to repair). */
  async rebuild(): Promise<number> {
    if (!this.writer) return 0;
    const rows = await this.writer.request<number>({ op: 'rebuild' });
    this.openReader();
    return rows;
  }

  /** What is wrong with the index: FTS5's own check, and its entries counted against the catalog's files. */
  async problems(): Promise<string[]> {
    const problems: string[] = [];
    const label = `full-text index (${this.file})`;
    try {
      await this.settle();
    } catch (error) {
      problems.push(`${label}: a batch was not indexed (${(error as Error).message}); the next open indexes it`);
    }
    if (this.writer) {
      const found = await this.writer.request<string | null>({ op: 'check' });
      if (found) problems.push(`${label}: ${found}`);
    }
    if (!this.reader) {
      if (this.writer) problems.push(`${label}: cannot be read`);
      return problems;
    }
    const count = (sql: string): number => (this.reader as SqliteDatabase).prepare(sql).pluck().get() as number;
    const entries = count('SELECT count(*) FROM files_fts');
    const indexed = count(`SELECT count(*) FROM files_fts JOIN ${CATALOG_ALIAS}.files f ON f.id = files_fts.rowid`);
    const files = count(`SELECT count(*) FROM ${CATALOG_ALIAS}.files`);
    // Removed files keep their entries until they are purged with their segments (dead_files).
    const removed = count(`SELECT count(*) FROM ${CATALOG_ALIAS}.dead_files`);
    if (indexed !== files) problems.push(`${label}: ${files - indexed} of ${files} files are not indexed`);
    if (entries - indexed > removed) problems.push(`${label}: ${entries - indexed} entries for files that do not exist`);
    return problems;
  }

  /** The read connection, for a backup of the file (null when there is none). */
  get connection(): SqliteDatabase | null {
    return this.reader;
  }

  get bytes(): number {
    return sqliteFileBytes(this.file);
  }

  async close(): Promise<void> {
    this.reader?.close();
    this.reader = null;
    await this.writer?.close();
  }
}
