/**
 * Every page of files in every sort order must come straight off an index: no temporary
 * sort, and the cursor as a range bound, so deep pages cost what the first page costs.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import type { FileSort, SortDirection } from '../../store';
import { SqliteStore } from './sqlite-store';
import { FILE_SORT_KEYS, listFilesSql } from './sqlite-list-files';

describe('file listing query plans', () => {
  let dir: string;
  let db: Database.Database;
  beforeAll(async () => {
    dir = makeTempDir('plans');
    const store = await SqliteStore.open(path.join(dir, 'strata.db'));
    await store.close();
    db = new Database(path.join(dir, 'strata.db'), { readonly: true });
  });
  afterAll(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const plan = (sql: string, params: number): string =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array.from({ length: params }, () => 1)) as { detail: string }[])
      .map((r) => r.detail)
      .join(' | ');

  const sorts: FileSort[] = ['name', 'size', 'segments', 'date', 'state'];
  const directions: SortDirection[] = ['asc', 'desc'];
  for (const byFolder of [true, false]) {
    for (const sort of sorts) {
      for (const direction of directions) {
        it(`${byFolder ? 'folder' : 'collection'} by ${sort} ${direction}: index order, cursor as a range`, () => {
          const arity = FILE_SORT_KEYS[sort].columns.length;
          const first = plan(listFilesSql({ byFolder, withState: false, withCursor: false, sort, direction }), 2);
          const next = plan(listFilesSql({ byFolder, withState: false, withCursor: true, sort, direction }), 2 + arity);
          for (const p of [first, next]) {
            expect(p).toMatch(/USING (COVERING )?INDEX files_/u);
            expect(p).not.toMatch(/TEMP B-TREE/u);
          }
          expect(next).toMatch(/[<>]\(?\?/u);
          // A seek: the position's key from the same index (covering, no table rows), then a range.
          const seek = plan(listFilesSql({ byFolder, withState: false, withCursor: false, withSeek: true, sort, direction }), 4);
          expect(seek).toMatch(/^SEARCH f USING (COVERING )?INDEX files_\S+ \([a-z_]+=\? AND [a-z_]+[<>]\?\) \| SCALAR SUBQUERY \d+ \| SEARCH f USING COVERING INDEX files_/u);
          expect(seek).not.toMatch(/TEMP B-TREE/u);
        });
      }
    }
    for (const sort of ['name', 'state'] as FileSort[]) {
      it(`${byFolder ? 'folder' : 'collection'} filtered by state, by ${sort}: index order`, () => {
        const arity = FILE_SORT_KEYS[sort].columns.length;
        const p = plan(listFilesSql({ byFolder, withState: true, withCursor: true, sort, direction: 'asc' }), 3 + arity);
        expect(p).toMatch(/INDEX files_(folder|collection)_state/u);
        expect(p).not.toMatch(/TEMP B-TREE/u);
      });
    }
  }
});
